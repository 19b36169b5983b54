"""The public data-quality page of a publication, and the same check in the admin."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from budgets import quality
from budgets.models import Publication, QualityReport, Unit
from tests.conftest import FIXTURES
from tests.staff import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked():
    for publication in Publication.objects.all():
        quality.store(publication)


def test_the_page_lists_what_the_check_found(client, year_url, checked):
    html = client.get(year_url("final/quality/")).content.decode()
    assert "核对 288 项：不一致 5 处，尾差 0 处，提示 5 处" in html
    assert "说明中为 96.8%，整体绩效自评表中实际完成值为 83.2%。" in html
    assert "说明称未使用资金“结转下一年度”" in html
    assert "公开为 无预算安排，由明细数据算得 0.20" in html
    assert html.count('class="severity severity-mismatch"') == 5 + 1  # + the legend


def test_the_page_reads_the_stored_report_in_a_fixed_number_of_queries(
    client, year_url, checked, tenfold, django_assert_num_queries
):
    # The publication, the year's publications, the stored report.
    with django_assert_num_queries(3):
        assert client.get(year_url("final/quality/")).status_code == 200


def test_an_unchecked_publication_says_so(client, year_url):
    QualityReport.objects.filter(publication__kind="budget").delete()
    html = client.get(year_url("budget/quality/")).content.decode()
    assert "本文件尚未核对" in html


def test_publications_loaded_by_loaddata_are_checked_once_the_load_is_committed(
    client, year_url, django_capture_on_commit_callbacks
):
    """The README offers `loaddata fixtures/*.json`: its published publications have their
    check as soon as the load commits, and the pages that show it write nothing."""
    QualityReport.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddata", *FIXTURES, verbosity=0)
    assert QualityReport.objects.count() == 2
    budget = client.get(year_url("budget/quality/")).content.decode()
    assert "本文件尚未核对" not in budget
    assert "不一致 0 处" in budget
    final = client.get(year_url("final/quality/")).content.decode()
    assert "核对 288 项：不一致 5 处，尾差 0 处，提示 5 处" in final


@pytest.mark.parametrize("page", ["", "functional/", "final/gk01/", "subjects/economic/301/"])
def test_every_page_of_the_year_links_to_both_checks(client, year_url, page):
    html = client.get(year_url(page)).content.decode()
    assert f'href="{year_url("budget/quality/")}"' in html
    assert f'href="{year_url("final/quality/")}"' in html


def test_a_draft_has_no_public_check_page(client, year_url, checked):
    Publication.objects.filter(kind="final").update(status="draft")
    assert client.get(year_url("final/quality/")).status_code == 404


def test_staff_run_the_check_in_the_admin_on_a_draft(client):
    publication = Publication.objects.get(kind="final")
    Publication.objects.filter(pk=publication.pk).update(status="draft")
    client.force_login(staff_user("caiwu", "财务人员", publication.unit.code))
    url = reverse("admin:budgets_publication_quality", args=[publication.pk])
    html = client.get(url).content.decode()
    assert "核对 288 项：不一致 5 处" in html
    assert "本文件为草稿" in html
    change = client.get(reverse("admin:budgets_publication_change", args=[publication.pk]))
    assert url in change.content.decode()


def test_staff_of_another_unit_cannot_run_a_units_check(client):
    other = Unit.objects.create(
        code="503099", name="另一个单位", parent=Unit.objects.get(code="503")
    )
    client.force_login(staff_user("b", "财务人员", other.code))
    publication = Publication.objects.get(kind="final")
    url = reverse("admin:budgets_publication_quality", args=[publication.pk])
    assert client.get(url).status_code == 404


def test_publishing_reports_the_check_and_stores_it_for_the_public_page(
    client, year_url, django_capture_on_commit_callbacks
):
    publication = Publication.objects.get(kind="final")
    Publication.objects.filter(pk=publication.pk).update(status="draft")
    client.force_login(staff_user("shenhe", "审核人员", publication.unit.code))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:budgets_publication_changelist"),
            {"action": "publish", "_selected_action": [publication.pk]},
            follow=True,
        )
    assert "数据核对：核对 288 项：不一致 5 处" in response.content.decode()
    assert quality.stored(publication).mismatches == 5
    html = client.get(year_url("final/quality/")).content.decode()
    assert "不一致 5 处" in html
