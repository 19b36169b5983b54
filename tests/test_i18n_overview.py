"""The unit-year overview and the publication pages in English (issue 12): the same figures as
the Chinese pages, the plain-language answers and the data-check findings in English, the
published text kept in Chinese and marked lang="zh-Hans", and no extra query for English."""

import re

import pytest

from budgets.i18n import HAN
from tests.helpers import page_text
from tests.languages import AMOUNT, unmarked_chinese
from tests.test_plain_language import answers_html, answers_text
from tests.test_views_overview import OVERVIEW_QUERIES

pytestmark = pytest.mark.django_db


def english(url: str) -> str:
    return "/en" + url


def without_glossary(html: str) -> str:
    """The glossary's terms and tooltips ({% term %}) are translated on their own: left out
    of what these tests read."""
    return re.sub(r'<span class="term-wrap">.*?</span></span>', "", html, flags=re.S)


# The publication kinds' labels (预算, 决算) are choices, made translatable with the tables.
KIND_LABELS = {"预算", "决算"}


def test_the_english_overview_shows_the_published_totals_as_key_figures(client, year_url):
    html = client.get(english(year_url())).content.decode()
    figures = re.search(r'<section class="figures".*?</section>', html, re.S).group(0)
    text = " ".join(page_text(figures).split())
    assert "Initial budget 720.94 × 10,000 yuan" in text
    assert "Final accounts (actual spending) 732.00 × 10,000 yuan" in text
    assert "final spending ÷ initial budget, difference +11.06 × 10,000 yuan" in text


def test_the_english_answers_say_what_was_planned_and_spent_and_what_each_rate_divides_by(
    client, year_url
):
    text = answers_text(client, english(year_url()))
    assert "it planned to spend 720.94 × 10,000 yuan" in text
    assert "it spent 732.00 × 10,000 yuan , 11.06 × 10,000 yuan more than the initial budget" in (
        text
    )
    assert '"Share of the initial budget spent 101.5%" is final spending ÷ initial budget' in text
    assert "483.41 × 10,000 yuan and spent 337.12 × 10,000 yuan: 69.7% of its initial budget" in (
        text
    )
    assert "not a comparison with the initial budget" in text


def test_the_english_answers_have_the_figures_of_the_chinese_ones_in_the_same_order(
    client, year_url
):
    chinese = AMOUNT.findall(answers_text(client, year_url()))
    assert "720.94" in chinese
    assert "732.00" in chinese
    assert AMOUNT.findall(answers_text(client, english(year_url()))) == chinese


def test_the_english_answers_show_chinese_only_as_marked_published_text(client, year_url):
    html = without_glossary(answers_html(client, english(year_url())))
    left = [re.sub("|".join(KIND_LABELS), "", text) for text in unmarked_chinese(html)]
    assert [text for text in left if HAN.search(text)] == []
    # What the unit does and the reasons are quoted as published, marked as Chinese.
    assert '<span lang="zh-Hans">负责受理武汉市人力资源和社会保障各类投诉举报' in html
    assert (
        'Published reason: "<span lang="zh-Hans">支出决算数小于年初预算数的主要原因是服务外包项目'
        in html
    )


def test_the_english_answers_give_the_data_checks_findings_in_english(client, year_url):
    text = answers_text(client, english(year_url()))
    assert "288 checks, 10 findings to note (5 of them mismatches)" in text
    assert "Published as 无预算安排 ; the detailed figures give 0.20." in text
    assert "Published as 100%; the detailed figures give 96%." in text


def test_the_english_quality_page_gives_each_finding_in_english(client, year_url):
    html = client.get(english(year_url("final/quality/"))).content.decode()
    text = " ".join(page_text(html).split())
    assert "The text says 96.8%; the actual value in 整体绩效自评表 is 83.2%." in text
    assert 'Written as "无预算安排"; the corresponding figure is blank (not published).' in text
    assert "Mismatch" in text
    assert "Subtotals" in text
    # The printed words stay as published, marked as Chinese; the portal's own word is English.
    assert '<span lang="zh-Hans">无预算安排</span>' in html
    assert ">blank<" in html
    # The finding's link goes to the English page of the section.
    assert 'href="/en/units/503033/2024/final/' in html
    assert 'href="/units/503033/2024/final/gk' not in html


def test_the_chinese_quality_page_keeps_the_stored_chinese_messages(client, year_url):
    text = page_text(client.get(year_url("final/quality/")).content.decode())
    assert "说明中为 96.8%，整体绩效自评表中实际完成值为 83.2%。" in text
    assert "公开为 无预算安排，由明细数据算得 0.20。" in text


def test_a_report_stored_before_the_english_messages_shows_its_chinese_message_marked(
    client, year_url
):
    from budgets.models import QualityReport

    for saved in QualityReport.objects.all():
        for finding in saved.report["findings"]:
            finding.pop("parts", None)
        saved.save()
    html = client.get(english(year_url("final/quality/"))).content.decode()
    assert (
        '<span lang="zh-Hans">说明中为 96.8%，整体绩效自评表中实际完成值为 83.2%。</span>' in html
    )


@pytest.mark.parametrize(
    "page",
    [
        "",
        "structure/",
        "history/",
        "final/",
        "budget/",
        "final/gk01/",
        "final/corrections/",
        "final/quality/",
    ],
)
def test_english_pages_of_the_year_have_the_chinese_pages_figures(client, year_url, page):
    chinese = AMOUNT.findall(page_text(client.get(year_url(page)).content.decode()))
    in_english = AMOUNT.findall(page_text(client.get(english(year_url(page))).content.decode()))
    assert in_english == chinese


def test_the_english_overview_runs_as_many_queries_as_the_chinese_one(
    client, year_url, django_assert_num_queries
):
    with django_assert_num_queries(OVERVIEW_QUERIES):
        assert client.get(year_url()).status_code == 200
    with django_assert_num_queries(OVERVIEW_QUERIES):
        assert client.get(english(year_url())).status_code == 200


def test_the_english_chart_descriptions_name_the_subjects_as_published(client, year_url):
    html = client.get(english(year_url())).content.decode()
    summary = re.search(r'<p class="chart-summary" id="chart-waterfall-summary">(.*?)</p>', html)
    assert summary, "the waterfall's description labels its chart in English"
    assert summary.group(1).startswith(
        "From the initial budget of 720.94 × 10,000 yuan to final spending of 732.00 × 10,000 "
        'yuan, the changes came from: <span lang="zh-Hans">事业运行</span> +159.93'
    )
    assert 'aria-labelledby="chart-waterfall-summary"' in html
