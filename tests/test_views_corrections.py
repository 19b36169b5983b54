"""A correction after publishing: every page of the year says "更正于 DATE：reason", and the
corrections page shows the figures before and after."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import Fact
from tests.staff import fact_form, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def corrected_fact(client):
    fact = Fact.objects.get(
        publication__kind="final", subject__code="2080150", stage="final", direction="expenditure"
    )
    client.force_login(staff_user("shenhe", "审核人员", "503033"))
    data = fact_form(fact, amount="328.67", correction_reason="房租结算单据核对后调整")
    response = client.post(reverse("admin:budgets_fact_change", args=[fact.pk]), data)
    assert response.status_code == 302
    client.logout()
    fact.refresh_from_db()
    return fact


def test_a_year_without_corrections_shows_no_note(client, year_url):
    assert "更正于" not in client.get(year_url()).content.decode()


@pytest.mark.parametrize(
    "page",
    ["", "functional/", "economic/", "final/", "final/gk01/", "subjects/functional/2080150/"],
)
def test_every_page_of_the_year_notes_the_correction(client, year_url, corrected_fact, page):
    html = client.get(year_url(page)).content.decode()
    assert "决算更正于" in html
    assert "房租结算单据核对后调整" in html
    assert year_url("final/corrections/") in html


def test_the_corrections_page_shows_the_figures_before_and_after(
    client, year_url, corrected_fact, django_assert_num_queries
):
    # The publication, the year's publications, the note's corrections, the page's corrections,
    # and two for the kind of record they changed: none per correction.
    with django_assert_num_queries(6):
        response = client.get(year_url("final/corrections/"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "房租结算单据核对后调整" in html
    assert "328.66" in html
    assert "328.67" in html
    assert "2080150" in html
    assert corrected_fact.amount == Decimal("328.67")


def test_a_corrected_years_pages_run_the_same_queries_however_many_corrections(
    client, year_url, corrected_fact
):
    pages = ["", "functional/", "final/gk03/", "final/corrections/"]

    def queries():
        counts = {}
        for page in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(year_url(page)).status_code == 200
            counts[page] = len(captured)
        return counts

    with_one = queries()
    client.force_login(staff_user("fuhe", "审核人员", "503033"))
    for code, amount in (("2080199", "306.13"), ("2101199", "8.51")):
        fact = Fact.objects.get(
            publication__kind="final", subject__code=code, stage="final", direction="expenditure"
        )
        data = fact_form(fact, amount=amount, correction_reason=f"{code} 核对后调整")
        change = reverse("admin:budgets_fact_change", args=[fact.pk])
        assert client.post(change, data).status_code == 302
    client.logout()
    assert queries() == with_one


def test_the_corrected_figure_is_what_the_pages_show(client, year_url, corrected_fact):
    html = client.get(year_url("functional/")).content.decode()
    assert "328.67" in html


def test_a_publication_without_corrections_says_so(client, year_url):
    html = client.get(year_url("budget/corrections/")).content.decode()
    assert "本文件公开后没有更正" in html


def test_corrections_of_an_unknown_publication_kind_are_not_found(client, year_url):
    assert client.get(year_url("draft/corrections/")).status_code == 404
