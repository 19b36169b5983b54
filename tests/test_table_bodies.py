"""The unit pages' django-tables2 tables write their bodies in Python (CardTable.tbody_html,
for speed): the HTML must be byte for byte what django-tables2's template writes, in both
languages, with text that needs escaping, blank amounts, links, row ids and paginated pages."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from budgets.tables import EconomicComparisonTable, FunctionalComparisonTable


@dataclass
class Row:
    code: str
    name: str
    level: int
    initial: Decimal | None
    final: Decimal | None
    difference: Decimal | None = None
    rate_text: str = ""
    reason: str = ""
    url: str = ""
    name_en: str = ""
    expense_class: str = ""
    is_blank: bool = False


ROWS = [
    Row("208", "社会保障和就业支出", 0, Decimal("720.94"), Decimal("732.00"), Decimal("11.06"),
        "101.5%", "人员变动", "/units/503033/2024/subjects/functional/208/", "Social security"),
    Row("20801", '<script>alert("x")</script> & 人力', 1, None, Decimal("0.50"), None, "",
        '"引号" <b>', ""),
    Row("2080150", "事业运行", 2, Decimal("1234567.89"), None, None, "", "", "/x/?a=1&b=2"),
]  # fmt: skip


class TemplateBody:
    """The same table with the body left to django-tables2's template."""

    @property
    def tbody_html(self):
        return ""


def render(table) -> str:
    request = RequestFactory().get("/units/503033/2024/functional/?sort=-final")
    template = Template("{% load django_tables2 %}{% render_table table %}")
    return template.render(Context({"table": table, "request": request}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("table_class", [FunctionalComparisonTable, EconomicComparisonTable])
@pytest.mark.parametrize("page", [None, 1, 2])
def test_a_table_body_written_in_python_is_the_templates_byte_for_byte(language, table_class, page):
    slow_class = type(
        "Slow" + table_class.__name__, (TemplateBody, table_class), {"Meta": table_class.Meta}
    )
    with translation.override(language):
        fast, slow, probe = table_class(ROWS), slow_class(ROWS), table_class(ROWS)
        if page:
            for table in (fast, slow, probe):
                table.paginate(page=page, per_page=2)
        assert probe.tbody_html  # the fast path is taken (a row counter: once per table)
        html = render(fast)
        assert html == render(slow)
    assert "&lt;script&gt;" in html or page
    assert "<script>alert" not in html


def test_an_empty_table_keeps_the_templates_empty_text():
    table = FunctionalComparisonTable([])
    assert table.tbody_html == ""
    assert "没有数据。" in render(table)
