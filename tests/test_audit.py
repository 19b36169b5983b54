"""The audit trail: every change is recorded with who, when, the old and the new value, is
visible in the admin, and downloads as CSV for the units the user works for."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import Fact, Publication, Unit
from budgets.models.history import audited_models
from tests.helpers import csv_rows
from tests.staff import fact_form, staff_user

pytestmark = pytest.mark.django_db


def staff_of(code, username="caiwu"):
    return staff_user(username, "财务人员", code)


@pytest.fixture
def draft_fact():
    fact = Fact.objects.get(publication__kind="budget", subject__code="2080199")
    Publication.objects.filter(pk=fact.publication_id).update(status="draft")
    return Fact.objects.get(pk=fact.pk)


def change_amount(client, fact, amount):
    url = reverse("admin:budgets_fact_change", args=[fact.pk])
    assert client.post(url, fact_form(fact, amount=amount)).status_code == 302


def test_every_model_of_the_app_keeps_its_history():
    names = {model.__name__ for model in audited_models()}
    assert {"Fact", "Subject", "Publication", "Explanation", "EvaluationItem"} <= names
    assert len(names) == 22
    assert "PublicationSource" in names
    models = {
        model.__name__
        for model in apps.get_app_config("budgets").get_models()
        if not model.__name__.startswith("Historical")
    }
    # Only these keep none: corrections and quality reports record changes and checks
    # themselves, memberships (who works for which unit) have none so far, and the open lines
    # are a read model rewritten from the facts (whose history is kept), and builds of the
    # downloads record themselves; the data version only counts changes; an error report from
    # the public records who handled it. A model added without history fails here.
    assert models - names == {
        "Correction", "QualityReport", "UnitMembership", "OpenLine", "DownloadBuild", "DataVersion",
        "ErrorReport",
    }  # fmt: skip


def test_loading_the_publications_records_a_first_version_of_every_record():
    call_command("load_publications", "--force", verbosity=0)
    for model in (Fact, Publication):
        loaded = model.history.filter(history_change_reason="载入公开文件")
        assert loaded.count() == model.objects.count()


def test_a_change_shows_on_the_records_history_page(client, draft_fact):
    client.force_login(staff_of("503033"))
    change_amount(client, draft_fact, "483.40")
    history = client.get(reverse("admin:budgets_fact_history", args=[draft_fact.pk]))
    html = history.content.decode()
    assert history.status_code == 200
    assert "caiwu" in html
    assert "483.41" in html
    assert "483.40" in html


def test_the_publications_changes_download_as_csv_with_old_and_new_values(client, draft_fact):
    client.force_login(staff_of("503033"))
    change_amount(client, draft_fact, "483.40")
    url = reverse("admin:budgets_publication_changes_of", args=[draft_fact.publication_id])
    everything = reverse("admin:budgets_publication_changes")
    # A fixed number of queries: at most one per history table and a few to find the user's
    # units, whatever the number of changes (three more changes below add none).
    with CaptureQueriesContext(connection) as one_change:
        response = client.get(url)
        rows = csv_rows(response)
    with CaptureQueriesContext(connection) as all_of_one_change:
        csv_rows(client.get(everything))
    assert len(one_change) <= len(audited_models()) + 5
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *changes = rows
    assert header[:4] == ["时间", "用户", "表", "记录编号"]
    amount_changes = [row for row in changes if row[2] == "数据" and row[5] == "金额（万元）"]
    assert [row[1:8] for row in amount_changes if row[1] == "caiwu"] == [
        ["caiwu", "数据", str(draft_fact.pk), "修改", "金额（万元）", "483.41", "483.40"]
    ]
    for amount in ("483.39", "483.38", "483.37"):
        change_amount(client, draft_fact, amount)
    with CaptureQueriesContext(connection) as four_changes:
        assert len(csv_rows(client.get(url))) == len(rows) + 3
    with CaptureQueriesContext(connection) as all_of_four_changes:
        csv_rows(client.get(everything))
    assert len(four_changes) == len(one_change)
    assert len(all_of_four_changes) == len(all_of_one_change)


def test_staff_of_another_unit_cannot_download_a_units_changes(client, draft_fact):
    other = Unit.objects.create(
        code="503099", name="另一个单位", parent=Unit.objects.get(code="503")
    )
    staff_a = staff_of("503033", "a")
    client.force_login(staff_a)
    change_amount(client, draft_fact, "483.40")
    mine = csv_rows(client.get(reverse("admin:budgets_publication_changes")))
    assert ["a", "数据", str(draft_fact.pk), "修改"] in [row[1:5] for row in mine]
    client.force_login(staff_of("503099", "b"))
    url = reverse("admin:budgets_publication_changes_of", args=[draft_fact.publication_id])
    assert client.get(url).status_code == 404
    everything = csv_rows(client.get(reverse("admin:budgets_publication_changes")))
    # Only the history of b's own unit: its creation above, nothing of 503033.
    assert {(row[2], row[3]) for row in everything[1:]} == {("单位", str(other.pk))}


def test_a_publications_changes_include_those_of_the_publication_itself(client):
    final = Publication.objects.get(kind="final")
    Publication.objects.filter(pk=final.pk).update(status="draft")
    client.force_login(staff_user("shenhe", "审核人员", "503033"))
    publish = {"action": "publish", "_selected_action": [final.pk]}
    client.post(reverse("admin:budgets_publication_changelist"), publish)
    url = reverse("admin:budgets_publication_changes_of", args=[final.pk])
    rows = csv_rows(client.get(url))
    assert ["shenhe", "公开文件", str(final.pk), "修改", "状态", "", "published", "公开"] in [
        row[1:9] for row in rows
    ]
