"""The plain-language answers at the top of a unit's year (issue 12), generated from the data:
what the unit does, what it planned and spent, the biggest changes and their published
reasons, what the data check found."""

import re

import pytest

from budgets.models import Explanation, Publication, QualityReport
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def answers_html(client, url) -> str:
    html = client.get(url).content.decode()
    match = re.search(r'<section class="card answers".*?</section>', html, re.S)
    assert match, "no answers section"
    return match.group(0)


def answers_text(client, url) -> str:
    """The answers as read, without the glossary's definitions."""
    html = re.sub(r'<span class="term-tip".*?</span>', "", answers_html(client, url))
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_answers_come_right_after_the_key_figures(client, year_url):
    html = client.get(year_url()).content.decode()
    assert html.index('aria-label="主要数字"') < html.index("简要回答") < html.index("按功能分类")


def test_what_the_unit_does_is_the_publications_duties_text(client, year_url):
    text = answers_text(client, year_url())
    assert "负责受理武汉市人力资源和社会保障各类投诉举报和意见建议" in text  # the final accounts
    assert "（主要职责）" in text
    Publication.objects.filter(kind="final").update(duties="测试职责：接听 12333 热线。")
    assert "测试职责：接听 12333 热线。" in answers_text(client, year_url())


def test_a_unit_without_a_duties_text_gets_no_answer_to_that_question(client, year_url):
    Publication.objects.update(duties="")
    assert "这个单位做什么" not in answers_text(client, year_url())


def test_planned_and_spent_with_what_each_rate_divides_by(client, year_url):
    text = answers_text(client, year_url())
    assert "计划支出 720.94 万元" in text
    assert "实际支出 732.00 万元 ，比年初预算多 11.06 万元" in text
    assert "“完成年初预算 101.5%”是决算 ÷ 年初预算" in text
    # 337.12 ÷ 483.41: the project expenditure against its own initial budget.
    assert "项目支出 年初预算 483.41 万元，实际支出 337.12 万元，是年初预算的 69.7%" in text
    assert "“预算执行率 100%”是决算 ÷ 调整后预算 732.00 万元" in text
    assert "不是与年初预算相比" in text


def test_the_three_biggest_changes_with_the_reasons_as_published(client, year_url):
    html = answers_html(client, year_url())
    items = re.findall(r"<li>(.*?)</li>", html.split('class="answer-changes"')[1], re.S)
    texts = [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items[:3]]
    assert texts[0].startswith(
        "2080199 其他人力资源和社会保障管理事务支出 ：483.41 → 306.12 万元（-177.29）"
    )
    assert texts[1].startswith("2080150 事业运行 ：168.73 → 328.66 万元（+159.93）")
    assert texts[2].startswith("2080799 其他就业补助支出 ：年初预算未安排 → 31.00 万元（+31.00）")
    reasons = dict(
        Explanation.objects.filter(
            kind="variance_reason", subject__code__in=["2080199", "2080150", "2080799"]
        ).values_list("subject__code", "text")
    )
    assert f"公开的原因：“{reasons['2080199']}”" in texts[0]
    assert "用于支付办公用房租赁费用" in texts[1]
    assert f"公开的原因：“{reasons['2080799']}”" in texts[2]
    assert 'href="/units/503033/2024/subjects/functional/2080150/"' in html


def test_what_the_checks_found_links_to_the_quality_pages(client, year_url):
    html = answers_html(client, year_url())
    text = answers_text(client, year_url())
    assert "决算：核对 288 项，发现 10 处需要注意（其中不一致 5 处）" in text
    assert "预算：核对 285 项，发现 2 处需要注意（其中不一致 0 处）" in text
    assert 'href="/units/503033/2024/final/quality/"' in html
    # The mismatches come first, one sentence each.
    first = "第三部分九 · 2. 公务用车购置及运行费 · 完成年初预算：公开为 100%，由明细数据算得 96%。"
    assert first in text
    assert "原文称" not in text  # the rest of the message stays on the quality page


def test_an_unchecked_year_says_so(client, year_url):
    QualityReport.objects.all().delete()
    assert "本年度的公开文件尚未核对" in answers_text(client, year_url())


def test_a_year_with_only_a_budget_answers_what_it_can(client, year_url):
    Publication.objects.filter(kind="final").update(status="draft")
    text = answers_text(client, year_url())
    assert "计划支出 720.94 万元" in text
    assert "决算尚未公开" in text
    assert "完成年初预算" not in text
    assert "变化最大" not in text
    assert "负责受理我市人力资源和社会保障各类投诉举报" in text  # the budget's duties


def test_the_answers_are_in_the_page_text_a_reader_gets(client, year_url):
    assert "简要回答" in page_text(client.get(year_url()).content.decode())


def notes(html: str) -> list[str]:
    found = re.findall(r'<p class="finding-note[^"]*" role="note">(.*?)</p>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", note).split()) for note in found]


def test_the_performance_page_shows_the_texts_claim_beside_the_indicator(client, year_url):
    html = client.get(year_url("performance/")).content.decode()
    [note] = notes(html)
    assert note.startswith("数据核对发现不一致 （12333电话端、微信端服务综合接通率）")
    assert "说明中为 96.8%，整体绩效自评表中实际完成值为 83.2%。" in note
    # In the unit's self-evaluation card, after its table, which prints 83.2%.
    card = html[
        html.index('id="self-evaluation-unit"') : html.index('id="self-evaluation-project"')
    ]
    assert card.index("83.2%") < card.index('class="finding-note"')
    assert 'href="/units/503033/2024/final/quality/#rule-narrative"' in card


def test_the_notes_follow_the_stored_findings_not_the_page(client, year_url):
    """Driven by the findings: a check that found nothing about the indicator shows no note."""
    report = QualityReport.objects.get(publication__kind="final")
    report.report["findings"] = [
        f for f in report.report["findings"] if not f.get("about", "").startswith("indicator:")
    ]
    report.save()
    assert notes(client.get(year_url("performance/")).content.decode()) == []


def test_the_three_public_page_notes_the_reception_budget_written_as_none(client, year_url):
    html = client.get(year_url("three-public/")).content.decode()
    found = notes(html)
    reception = [note for note in found if "（公务接待费）" in note]
    assert reception[0].startswith(
        "数据核对发现不一致 （公务接待费）：公开为 无预算安排，由明细数据算得 0.20。"
    )
    assert "位置：第三部分九 · 3. 公务接待费 · 预算。" in reception[0]
    assert all("quality" not in note for note in found)  # the link is a link, not text
    assert html.index("0.20") < html.index('class="finding-note"')


def test_lesser_findings_are_counted_not_listed_beside_the_rows(client, year_url):
    found = notes(client.get(year_url("three-public/")).content.decode())
    mismatches = [note for note in found if note.startswith("数据核对发现不一致")]
    assert len(mismatches) == 3  # two 完成年初预算 100% against 96%, the reception budget
    assert found[-1].startswith("数据核对另有 6 处提示（如空白与 0、用文字写出的数）")


def test_the_answers_list_only_mismatches_of_the_check(client, year_url):
    text = answers_text(client, year_url())
    assert "写作 0，对应的数据为空白" not in text  # the budget's two notes stay on its page
