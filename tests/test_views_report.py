"""报告数据错误 (budgets/views/reports.py), the footer's publisher, the <head>'s sharing
metadata, the rows' ids and 引用 controls, and the print stylesheet."""

import re
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from budgets import page_cache
from budgets.models import DataVersion, ErrorReport
from budgets.report_forms import MAX_SECONDS, issue_token
from tests.helpers import new_process_settings
from tests.staff import staff_user

pytestmark = pytest.mark.django_db

SUBJECT = "/units/503033/2024/subjects/functional/2080150/"
REPORT = "/report/"


@pytest.fixture(autouse=True)
def _empty_rate_counts():
    cache.clear()
    yield
    cache.clear()


def form_data(**changes) -> dict:
    """The form as a person sends it: opened ten seconds ago, honeypot empty."""
    data = {
        "page": SUBJECT,
        "figure": "2080150",
        "description": "决算 328.66 与决算公开表3不一致。",
        "contact": "reader@example.org",
        "website": "",
        "token": issue_token(time.time() - 10),
    }
    data.update(changes)
    return data


def test_the_form_opens_with_the_page_and_figure_it_was_reported_from(client):
    response = client.get(REPORT, {"page": SUBJECT, "figure": "2080150"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<input type="hidden" name="page" value="{SUBJECT}"' in html
    assert '<input type="hidden" name="figure" value="2080150"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="website"' in html  # the honeypot
    assert "no-store" in response["Cache-Control"]


def test_a_page_that_is_not_ours_is_a_bad_request_in_chinese(client):
    for page in ("https://example.org/", "//evil.example/", "/nowhere/", "/report/"):
        response = client.get(REPORT, {"page": page})
        assert response.status_code == 400, page
        assert "参数 page" in response.content.decode()
    assert client.get(REPORT, {"page": "/", "figure": "<script>"}).status_code == 400


def test_a_valid_report_is_stored_and_the_reporter_gets_its_reference(client):
    response = client.post(REPORT, form_data())
    assert response.status_code == 302
    report = ErrorReport.objects.get()
    assert (report.page, report.figure, report.unit_code) == (SUBJECT, "2080150", "503033")
    assert report.status == ErrorReport.Status.NEW
    assert re.fullmatch(r"BG-20\d\d-\d{6}", report.reference)
    assert "127.0.0.1" not in report.client_hash
    assert len(report.client_hash) == 64
    sent = client.get(response["Location"])
    assert sent.status_code == 200
    assert report.reference in sent.content.decode()


def test_other_methods_are_refused_with_a_405_in_chinese(client):
    response = client.put(REPORT)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert "不支持 PUT" in response.content.decode()
    assert client.post("/report/sent/").status_code == 405


def test_the_receipt_cannot_be_made_up(client):
    assert client.get("/report/sent/", {"r": "BG-2026-000001"}).status_code == 400


def test_a_filled_honeypot_is_refused_and_nothing_is_stored(client):
    response = client.post(REPORT, form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert "无法受理" in response.content.decode()
    assert not ErrorReport.objects.exists()


def test_a_form_sent_back_within_three_seconds_is_refused(client):
    response = client.post(REPORT, form_data(token=issue_token(time.time() - 1)))
    assert response.status_code == 400
    assert "提交得太快" in response.content.decode()
    assert not ErrorReport.objects.exists()


def test_a_form_older_than_a_day_or_with_an_altered_time_is_refused(client):
    stale = issue_token(time.time() - MAX_SECONDS - 60)
    assert client.post(REPORT, form_data(token=stale)).status_code == 400
    forged = issue_token(time.time() - 10)[:-2] + "xx"
    assert client.post(REPORT, form_data(token=forged)).status_code == 400
    assert client.post(REPORT, form_data(token="")).status_code == 400
    assert not ErrorReport.objects.exists()


def test_a_report_about_a_page_that_is_not_ours_is_refused_and_says_why(client):
    response = client.post(REPORT, form_data(page="https://example.org/"))
    assert response.status_code == 400
    assert "应为本站一个页面的路径" in response.content.decode()
    assert not ErrorReport.objects.exists()


def test_a_report_without_a_description_is_shown_again_with_the_error(client):
    response = client.post(REPORT, form_data(description=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "请写明哪里有错" in html
    assert 'value="reader@example.org"' in html  # what was typed is kept
    assert not ErrorReport.objects.exists()


def test_a_sixth_report_within_the_hour_is_refused_with_429(client, settings):
    settings.PORTAL_REPORTS_PER_HOUR = 5
    for _ in range(5):
        assert client.post(REPORT, form_data()).status_code == 302
    response = client.post(REPORT, form_data())
    assert response.status_code == 429
    assert "一小时内" in response.content.decode()
    assert ErrorReport.objects.count() == 5
    # Another address has its own count.
    assert client.post(REPORT, form_data(), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_behind_a_proxy_the_limit_counts_the_address_in_the_configured_header(client, settings):
    settings.PORTAL_REPORTS_PER_HOUR = 1
    settings.PORTAL_CLIENT_IP_HEADER = "X-Real-IP"
    assert client.post(REPORT, form_data(), HTTP_X_REAL_IP="203.0.113.1").status_code == 302
    assert client.post(REPORT, form_data(), HTTP_X_REAL_IP="203.0.113.2").status_code == 302
    assert client.post(REPORT, form_data(), HTTP_X_REAL_IP="203.0.113.1").status_code == 429


def test_opening_the_form_or_the_receipt_never_writes(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(REPORT, {"page": SUBJECT, "figure": "2080150"})
        client.head(REPORT, {"page": SUBJECT})
    assert not ErrorReport.objects.exists()


def test_a_report_neither_changes_the_data_version_nor_is_cached(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    caches[page_cache.CACHE_ALIAS].clear()
    before = DataVersion.objects.get().version
    client.post(REPORT, form_data())
    assert DataVersion.objects.get().version == before
    first = client.get(REPORT, {"page": SUBJECT})
    second = client.get(REPORT, {"page": SUBJECT})
    assert "X-Cache" not in first
    assert "X-Cache" not in second
    assert first.content != second.content  # a fresh signed time each time
    # The pages that link to the form are still cached: a plain link, no CSRF token.
    client.cookies.clear()
    assert client.get(SUBJECT)["X-Cache"] == "miss"
    cached = client.get(SUBJECT)
    assert cached["X-Cache"] == "hit"
    assert "csrfmiddlewaretoken" not in cached.content.decode()
    caches[page_cache.CACHE_ALIAS].clear()


def test_the_form_posts_with_its_csrf_token_when_csrf_is_enforced():
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    html = browser.get(REPORT, {"page": SUBJECT}).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert browser.post(REPORT, form_data()).status_code == 403
    assert browser.post(REPORT, form_data(csrfmiddlewaretoken=token)).status_code == 302


# -- the admin ------------------------------------------------------------------------------


def submitted(page=SUBJECT, unit_code="503033") -> ErrorReport:
    return ErrorReport.submit(
        page=page, figure="2080150", unit_code=unit_code, description="数字有误", client_hash="x"
    )


def test_the_admin_lists_the_report_with_its_page(admin_client):
    report = submitted()
    response = admin_client.get(reverse("admin:budgets_errorreport_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert report.reference in html
    assert f'href="{SUBJECT}#2080150"' in html
    assert "数据错误报告" in html
    filtered = admin_client.get(
        reverse("admin:budgets_errorreport_changelist"), {"status__exact": "handled"}
    )
    assert report.reference not in filtered.content.decode()


def test_finance_staff_see_the_reports_on_their_units_pages_and_mark_them_handled(client):
    own = submitted()
    other = submitted(page="/departments/999/", unit_code="999")
    general = submitted(page="/", unit_code="")
    user = staff_user("caiwu-report", "财务人员", "503033")
    client.force_login(user)
    html = client.get(reverse("admin:budgets_errorreport_changelist")).content.decode()
    assert own.reference in html
    assert other.reference not in html
    assert general.reference not in html
    change = reverse("admin:budgets_errorreport_change", args=[own.pk])
    response = client.post(change, {"status": "handled"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "handled"
    assert own.handled_by == user
    assert own.handled_at is not None
    assert own.description == "数字有误"  # read-only
    assert client.get(reverse("admin:budgets_errorreport_add")).status_code == 403
    outside = reverse("admin:budgets_errorreport_change", args=[other.pk])
    assert client.get(outside).status_code in (302, 404)


def test_reviewers_also_see_the_reports_about_no_unit(client):
    general = submitted(page="/", unit_code="")
    client.force_login(staff_user("shenhe-report", "审核人员", "503033"))
    html = client.get(reverse("admin:budgets_errorreport_changelist")).content.decode()
    assert general.reference in html


# -- who publishes, sharing metadata --------------------------------------------------------


def test_every_page_says_who_publishes_and_links_to_the_report_form(client, settings):
    settings.PORTAL_OPERATOR_NAME = "武汉市财政局信息中心"
    settings.PORTAL_OPERATOR_EMAIL = "open@example.gov.cn"
    html = client.get(SUBJECT).content.decode()
    footer = html[html.index("<footer") :]
    assert "武汉市人力资源和社会保障投诉咨询中心" in footer
    assert "联系电话 85370050" in footer
    assert "武汉市江汉区新华路25号伟业大厦11楼" in footer
    assert "武汉市财政局信息中心" in footer
    assert "mailto:open@example.gov.cn" in footer
    # A subject's page is about its own row: the report names it.
    report = "/report/?page=%2Funits%2F503033%2F2024%2Fsubjects%2Ffunctional%2F2080150%2F"
    assert f'{report}&amp;figure=2080150"' in footer
    home = client.get("/").content.decode()
    assert "武汉市财政局信息中心" in home
    assert "/report/?page=%2F" in home
    department = client.get("/departments/503/").content.decode()
    assert "武汉市人力资源和社会保障局" in department[department.index("<footer") :]


def test_the_operator_settings_are_read_strictly():
    names = ("PORTAL_OPERATOR_NAME", "PORTAL_OPERATOR_EMAIL", "PORTAL_REPORTS_PER_HOUR")
    good = new_process_settings(
        names, PORTAL_OPERATOR_NAME="某市财政局", PORTAL_OPERATOR_EMAIL="a@example.cn"
    )
    assert good == {
        "PORTAL_OPERATOR_NAME": "某市财政局",
        "PORTAL_OPERATOR_EMAIL": "a@example.cn",
        "PORTAL_REPORTS_PER_HOUR": 5,
    }
    assert (
        "PORTAL_OPERATOR_EMAIL" in new_process_settings(names, PORTAL_OPERATOR_EMAIL="x")["error"]
    )
    assert "PORTAL_OPERATOR_NAME" in new_process_settings(names, PORTAL_OPERATOR_NAME=" ")["error"]
    assert (
        "PORTAL_REPORTS_PER_HOUR"
        in new_process_settings(names, PORTAL_REPORTS_PER_HOUR="0")["error"]
    )


def head_of(html: str) -> str:
    return html[: html.index("</head>")]


def meta(head: str, attribute: str, name: str) -> str:
    match = re.search(rf'<meta {attribute}="{name}" content="([^"]*)">', head)
    assert match, name
    return match.group(1)


@pytest.mark.parametrize(
    ("address", "title_part"),
    [
        (SUBJECT, "2080150 事业运行"),
        ("/units/503033/2024/", "武汉市人力资源和社会保障投诉咨询中心"),
        ("/departments/503/", "武汉市人力资源和社会保障局"),
        ("/", "首页"),
    ],
)
def test_pages_give_a_description_open_graph_and_a_canonical_address(client, address, title_part):
    head = head_of(client.get(address).content.decode())
    description = meta(head, "name", "description")
    assert description
    assert title_part in meta(head, "property", "og:title")
    assert meta(head, "property", "og:description") == description
    assert meta(head, "property", "og:site_name") == "预决算公开平台"
    assert meta(head, "property", "og:locale") == "zh_CN"
    canonical = f"http://testserver{address}"
    assert f'<link rel="canonical" href="{canonical}">' in head
    assert meta(head, "property", "og:url") == canonical


def test_a_subject_page_describes_its_figures(client):
    description = meta(head_of(client.get(SUBJECT).content.decode()), "name", "description")
    assert "年初预算 168.73 万元" in description
    assert "决算 328.66 万元" in description


def test_the_canonical_address_keeps_filters_and_drops_order_and_paging(client):
    head = head_of(
        client.get("/units/503033/2024/functional/?sort=-final&level=item").content.decode()
    )
    expected = "http://testserver/units/503033/2024/functional/?level=item"
    assert f'<link rel="canonical" href="{expected}">' in head


# -- row ids, 引用, print -------------------------------------------------------------------

TABLE_PAGES = [
    "/units/503033/2024/",
    "/units/503033/2024/functional/",
    "/units/503033/2024/economic/",
    SUBJECT,
    "/units/503033/2024/subjects/economic/30201/",
    "/departments/503/2024/",
]


@pytest.mark.parametrize("address", TABLE_PAGES)
def test_table_rows_have_ids_unique_on_their_page_each_with_one_cite_control(client, address):
    html = client.get(address).content.decode()
    ids = re.findall(r'\sid="([^"]*)"', html)
    repeated = [name for name, count in Counter(ids).items() if count > 1]
    assert repeated == []
    assert all(re.fullmatch(r"[^\s]+", name) for name in ids)  # HTML ids: no space, not empty
    rows = re.findall(r'<tr[^>]*\sid="([^"]+)"', html)
    assert rows
    cites = re.findall(r'<a class="cite" href="#([^"]+)"', html)
    assert sorted(cites) == sorted(rows)  # one control per row, pointing at its row


def test_the_functional_table_row_of_2080150_is_addressable_by_its_code(client):
    html = client.get("/units/503033/2024/functional/").content.decode()
    assert re.search(r'<tr class="[^"]*" id="2080150">', html)
    overview = client.get("/units/503033/2024/").content.decode()
    assert 'id="change-2080150"' in overview
    assert 'id="2080150"' not in overview


def test_the_csv_of_a_table_with_cite_controls_has_names_only(client):
    response = client.get("/units/503033/2024/functional.csv")
    body = b"".join(response.streaming_content).decode()
    assert "引用" not in body
    assert "2080150,事业运行,168.73" in body


def test_pages_load_the_cite_script_from_static_files_only(client):
    html = client.get(SUBJECT).content.decode()
    assert '<script src="/static/js/cite.js" defer></script>' in html
    script = Path(__file__).resolve().parents[1] / "static" / "js" / "cite.js"
    source = script.read_text()
    assert "navigator.clipboard" in source
    assert 'role", "status' in source


def test_the_print_stylesheet_hides_the_controls_and_prints_the_address():
    css = (Path(__file__).resolve().parents[1] / "static" / "css" / "portal.css").read_text()
    printed = css[css.index("/* print */") :]
    assert "@media print" in printed
    for hidden in ("nav", "form", ".cite", ".filters"):
        assert hidden in printed
    assert ".print-only { display: block; }" in printed


def test_every_page_prints_its_address(client):
    html = client.get("/units/503033/2024/functional/?level=item").content.decode()
    assert (
        '<p class="print-only">预决算公开平台 · 本页地址：'
        "http://testserver/units/503033/2024/functional/?level=item</p>"
    ) in html


def test_a_page_without_a_url_name_still_renders_its_footer(admin_client):
    # The admin's catch-all 404 resolves without a name; the footer must not fail on it.
    assert admin_client.get("/admin/abc/").status_code == 404
