"""The two languages: Chinese at the addresses the portal always had, English under /en/, a
switch on every page that keeps the address, and the same figures in both."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.addresses import public_paths
from tests.helpers import links, page_text
from tests.languages import AMOUNT, unmarked_chinese

pytestmark = pytest.mark.django_db

# An amount with two decimals, wherever it ends: not with \b, which finds no figure in
# "720.94万元" (a Chinese character is a word character) but finds it in English.


def html_pages() -> list[str]:
    """One real address of every public HTML page (not the CSVs, files, feeds, sitemaps)."""
    return [
        path
        for path in public_paths(read_only=True)
        if path.endswith("/") and "/feeds/" not in path and not path.startswith("/data/builds/")
    ]


def english(path: str) -> str:
    return "/en" + path


def test_chinese_stays_at_the_addresses_it_always_had(client):
    response = client.get("/units/503033/2024/")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-Hans">' in response.content.decode()


def test_english_is_the_same_address_under_en(client):
    response = client.get("/en/units/503033/2024/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_links_in_an_english_page_stay_in_english(client):
    html = client.get("/en/units/503033/2024/").content.decode()
    own = [href for href, text in links(html) if href.startswith("/units/") and text != "中文"]
    assert own == []
    assert any(href.startswith("/en/units/503033/2024/") for href, _text in links(html))


def test_reverse_gives_english_addresses_while_english_is_active():
    with translation.override("en"):
        assert reverse("budgets:home") == "/en/"
    with translation.override("zh-hans"):
        assert reverse("budgets:home") == "/"


@pytest.mark.parametrize("path", ["/", "/units/503033/2024/functional/", "/glossary/"])
def test_every_page_links_to_itself_in_the_other_language(client, path):
    chinese = client.get(path).content.decode()
    assert ("/en" + path, "English") in links(chinese)
    in_english = client.get(english(path)).content.decode()
    assert (path, "中文") in links(in_english)


def test_the_switch_keeps_the_parameters(client):
    html = client.get("/units/503033/2024/functional/", {"level": "2"}).content.decode()
    assert ("/en/units/503033/2024/functional/?level=2", "English") in links(html)


def test_the_switch_keeps_a_chinese_search(client):
    html = client.get("/search/", {"q": "事业运行"}).content.decode()
    assert ("/en/search/?q=%E4%BA%8B%E4%B8%9A%E8%BF%90%E8%A1%8C", "English") in links(html)


def test_search_engines_are_told_of_both_languages(client):
    html = client.get("/units/503033/2024/").content.decode()
    assert (
        '<link rel="alternate" hreflang="zh-Hans" href="http://testserver/units/503033/2024/">'
        in html
    )
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/en/units/503033/2024/">'
        in html
    )


def test_an_unknown_english_address_is_a_404_in_english(client):
    response = client.get("/en/units/999999/2024/")
    assert response.status_code == 404
    assert '<html lang="en">' in response.content.decode()


def test_the_admin_and_the_api_are_not_under_en(client):
    assert client.get("/en/api/lines/").status_code == 404
    assert client.get("/api/lines/").status_code == 200


def test_the_english_overview_shows_the_published_totals(client):
    text = page_text(client.get("/en/units/503033/2024/").content.decode())
    assert "720.94" in text
    assert "732.00" in text


@pytest.mark.parametrize("path", html_pages())
def test_every_figure_is_the_same_in_both_languages(client, path):
    chinese = client.get(path)
    in_english = client.get(english(path))
    assert in_english.status_code == chinese.status_code
    if chinese.status_code == 200:
        figures = AMOUNT.findall(page_text(chinese.content.decode()))
        assert AMOUNT.findall(page_text(in_english.content.decode())) == figures


@pytest.mark.parametrize("path", html_pages())
def test_english_pages_show_chinese_only_as_marked_data(client, path):
    response = client.get(english(path))
    if response.status_code != 200:
        return
    assert unmarked_chinese(response.content.decode()) == []


@pytest.mark.parametrize("page", ["/", "/en/", "/units/503033/2024/", "/en/units/503033/2024/"])
def test_an_error_can_be_reported_about_a_page_in_either_language_from_either(client, page):
    assert client.get("/report/", {"page": page}).status_code == 200
    assert client.get("/en/report/", {"page": page}).status_code == 200


def test_a_nul_byte_in_an_english_address_is_refused_in_english(client):
    response = client.get("/en/search/", {"q": "事业\x00运行"})
    assert response.status_code == 400
    assert "Parameter q: contains a NUL character, which is not a valid value." in page_text(
        response.content.decode()
    )


def test_a_nul_byte_in_a_chinese_address_is_still_refused_in_chinese(client):
    response = client.get("/search/", {"q": "事业\x00运行"})
    assert "参数 q：含有空字符（NUL），不是有效的值。" in page_text(response.content.decode())


def test_a_year_a_unit_did_not_publish_is_a_404_naming_the_unit_in_english(client):
    text = page_text(client.get("/en/units/503033/1999/").content.decode())
    assert (
        "Wuhan Human Resources and Social Security Complaint and Consultation Centre has no "
        "published budget or final accounts for 1999." in text
    )


def test_the_english_home_page_names_departments_by_their_english_names(client):
    html = client.get("/en/").content.decode()
    assert "Wuhan Municipal Bureau of Human Resources and Social Security" in page_text(html)
    assert unmarked_chinese(html) == []
