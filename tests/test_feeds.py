"""Atom feeds of publications and corrections (site-wide and per unit), the sitemap of every
public page, robots.txt, the corrections CSV, CORS on the CSV twins and feeds, and the API
schema's Content-Disposition."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from budgets.models import Correction, Publication
from tests.staff import fact_form, staff_user

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEEDS = [
    ("budgets:publications_feed", []),
    ("budgets:corrections_feed", []),
    ("budgets:unit_publications_feed", ["503033"]),
    ("budgets:unit_corrections_feed", ["503033"]),
]


@pytest.fixture
def corrected(client):
    from budgets.models import Fact

    fact = Fact.objects.get(
        publication__kind="final", subject__code="2080150", stage="final", direction="expenditure"
    )
    client.force_login(staff_user("shenhe", "审核人员", "503033"))
    data = fact_form(fact, amount="328.67", correction_reason="房租结算单据核对后调整")
    assert (
        client.post(reverse("admin:budgets_fact_change", args=[fact.pk]), data).status_code == 302
    )
    client.logout()
    return Correction.objects.get()


def atom(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def check_atom(feed):
    """The elements RFC 4287 requires of a feed and of each entry."""
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{required}") or "").strip(), required
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        [link] = [a for a in entry.findall(f"{ATOM}link") if a.get("rel") == "alternate"]
        assert link.get("href").startswith("http://testserver/")
    return entries


@pytest.mark.parametrize(("name", "args"), FEEDS)
def test_every_feed_is_valid_atom(client, corrected, name, args):
    check_atom(atom(client.get(reverse(name, args=args))))


def test_the_publications_feed_lists_the_published_ones_linking_to_their_pages(client):
    entries = check_atom(atom(client.get(reverse("budgets:publications_feed"))))
    published = Publication.objects.published()
    assert len(entries) == published.count() > 0
    hrefs = {entry.find(f"{ATOM}link").get("href") for entry in entries}
    assert {f"http://testserver{p.get_absolute_url()}" for p in published} == hrefs


def test_a_draft_is_in_no_feed(client):
    draft = Publication.objects.get(kind="final")
    Publication.objects.filter(pk=draft.pk).update(status="draft")
    body = client.get(reverse("budgets:publications_feed")).content.decode()
    assert draft.get_absolute_url() not in body
    assert Publication.objects.get(kind="budget").get_absolute_url() in body


def test_the_corrections_feed_links_to_the_correction_with_its_reason_and_date(client, corrected):
    [entry] = check_atom(
        atom(client.get(reverse("budgets:unit_corrections_feed", args=["503033"])))
    )
    assert (
        entry.find(f"{ATOM}link")
        .get("href")
        .endswith(f"/units/503033/2024/final/corrections/#correction-{corrected.pk}")
    )
    assert "房租结算单据核对后调整" in entry.findtext(f"{ATOM}summary")
    assert entry.findtext(f"{ATOM}updated").startswith(corrected.corrected_at.strftime("%Y-%m-%d"))


def test_a_unit_without_publications_has_empty_feeds_and_an_unknown_one_a_404(client):
    assert client.get(reverse("budgets:unit_publications_feed", args=["9"])).status_code == 404


@pytest.mark.parametrize(("name", "args"), FEEDS)
def test_feeds_run_a_fixed_number_of_queries(
    client, corrected, name, args, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        client.get(reverse(name, args=args))


def test_the_home_and_unit_pages_link_their_feeds(client):
    home = client.get(reverse("budgets:home")).content.decode()
    feed = reverse("budgets:publications_feed")
    assert f'type="application/atom+xml" title="新公开的预算与决算" href="{feed}"' in home
    unit = client.get(reverse("budgets:unit", args=["503033"])).content.decode()
    assert reverse("budgets:unit_corrections_feed", args=["503033"]) in unit
    assert 'rel="alternate" type="application/atom+xml"' in unit


def sitemap_urls(client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    urls = []
    for location in index.iter(f"{SITEMAP}loc"):
        section = ET.fromstring(client.get(location.text.replace("http://testserver", "")).content)
        urls += [loc.text for loc in section.iter(f"{SITEMAP}loc")]
    return urls


def test_every_address_in_the_sitemap_answers_200(client):
    urls = sitemap_urls(client)
    paths = [url.replace("http://testserver", "") for url in urls]
    assert "/" in paths
    assert "/units/503033/2024/" in paths
    assert "/units/503033/2024/final/gk01/" in paths
    assert "/units/503033/2024/subjects/functional/2080150/" in paths
    assert "/units/503033/2024/subjects/functional/208/" in paths
    assert len(paths) == len(set(paths))
    for path in paths:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("section", ["years", "publications", "subjects"])
def test_a_sitemap_page_costs_the_same_queries_at_ten_times_the_data(
    client, section, django_assert_max_num_queries, request
):
    # A list section is one query (the paginator counts the list); a query section two.
    url = reverse("budgets:sitemap_section", args=[section])
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200
    request.getfixturevalue("tenfold")
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_the_corrections_csv_holds_the_values_before_and_after(client, corrected):
    response = client.get("/units/503033/2024/final/corrections.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    [amount] = [row for row in rows if row["before"] == "328.66"]
    assert amount["after"] == "328.67"
    assert amount["stage"] == "final"
    assert amount["reason"] == "房租结算单据核对后调整"
    assert amount["corrected_at"].startswith(corrected.corrected_at.strftime("%Y-%m-%d"))
    assert amount["page"].endswith(
        f"/units/503033/2024/final/corrections/#correction-{corrected.pk}"
    )


def test_the_corrections_csv_of_a_publication_without_any_is_its_header(client):
    response = client.get("/units/503033/2024/budget/corrections.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == [",".join(
        ["corrected_at", "unit_code", "year", "kind", "stage", "table", "record", "field",
         "before", "after", "reason", "page"]
    )]  # fmt: skip


@pytest.mark.parametrize(
    "path",
    [
        "/units/503033/2024/functional.csv",
        "/units/503033/2024/final/corrections.csv",
        "/units/503033/2024/final/gk01.csv",
        "/data/browse.csv?year=2024",
        "/feeds/publications.atom",
        "/units/503033/feeds/corrections.atom",
        "/api/units/",
    ],
)
def test_csv_twins_downloads_and_feeds_are_open_to_every_origin(client, path):
    response = client.get(path, headers={"origin": "https://newsroom.example"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_html_pages_are_not_opened_to_other_origins(client):
    response = client.get("/units/503033/2024/", headers={"origin": "https://newsroom.example"})
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize(("query", "suffix"), [("", "yaml"), ("?format=json", "json")])
def test_the_api_schema_has_a_valid_ascii_content_disposition(client, query, suffix):
    header = client.get(f"/api/schema/{query}")["Content-Disposition"]
    assert header == f'inline; filename="open-budget-portal-api.{suffix}"'
    assert header.isascii()
