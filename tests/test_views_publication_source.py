"""Each publication's original: where it was published, and the archived copy of the text its
figures were transcribed from (budgets.models.PublicationSource)."""

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from budgets import downloads
from budgets.models import Publication, PublicationSource
from tests.staff import staff_user

pytestmark = pytest.mark.django_db

SOURCES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"


@pytest.mark.parametrize(
    ("kind", "file_name"),
    [("budget", "000_c7e32329ae0fc463.txt"), ("final", "002_aea50f7f8f430055.txt")],
)
def test_the_archived_copy_is_the_transcribed_text_byte_for_byte(client, year_url, kind, file_name):
    answer = client.get(year_url(f"{kind}/source.txt"))
    original = (SOURCES / file_name).read_bytes()
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/plain; charset=utf-8"
    assert answer["Content-Disposition"].startswith(f'inline; filename="{file_name}"')
    assert answer.content == original
    assert answer["X-Content-SHA256"] == hashlib.sha256(original).hexdigest()


def test_the_publication_page_says_where_it_was_published_and_links_the_archived_copy(
    client, year_url
):
    html = client.get(year_url("final/")).content.decode()
    digest = hashlib.sha256((SOURCES / "002_aea50f7f8f430055.txt").read_bytes()).hexdigest()
    assert "2024年度武汉市人力资源和社会保障投诉咨询中心单位决算公开" in html
    assert 'href="/units/503033/2024/final/source.txt"' in html
    assert digest in html
    assert "PDF 经 OCR 转文本" in html
    # Unknown is said, never guessed.
    assert "公开网址</dt><dd>未载明" in html
    assert "页数</dt><dd>未载明" in html
    budget = client.get(year_url("budget/")).content.decode()
    assert "原文未印标题" in budget


def test_a_known_address_and_page_count_are_shown_and_go_into_the_data_package(client, year_url):
    source = PublicationSource.objects.get(publication__kind="final")
    source.address = "https://example.gov.cn/2024/juesuan.pdf"
    source.page_count = 31
    source.save()
    html = client.get(year_url("final/")).content.decode()
    assert 'href="https://example.gov.cn/2024/juesuan.pdf"' in html
    assert "31 页" in html
    final = next(s for s in downloads.publication_sources() if "决算" in s["title"])
    assert final["path"] == "https://example.gov.cn/2024/juesuan.pdf"
    assert final["archived_copy"] == "/units/503033/2024/final/source.txt"


def test_an_unpublished_publication_has_no_archived_copy(client, year_url):
    Publication.objects.filter(kind="final").update(status="draft")
    assert client.get(year_url("final/source.txt")).status_code == 404
    assert client.get(year_url("draft/source.txt")).status_code == 404


def test_staff_see_the_original_in_the_publication_admin(client):
    client.force_login(staff_user("caiwu-source", "财务人员", "503033"))
    publication = Publication.objects.get(kind="budget")
    page = client.get(reverse("admin:budgets_publication_change", args=[publication.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "原始文件" in html
    assert "000_c7e32329ae0fc463.txt" in html
