"""django-tables2 tables of the comparison pages (a subject across years, across a
department's units, units like this one). Amounts in 万元 as Decimal: pages show two places,
CSV files plain decimals; blank stays blank. Split from budgets/tables.py by noun."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets.formatting import wan
from budgets.i18n import data_text, local_name
from budgets.tables import (
    NAME,
    WIDE,
    AmountColumn,
    CardTable,
    CodeColumn,
    DataColumn,
    RateColumn,
    row_link,
)


def derived_tag():
    """推算: a figure the publications imply in words rather than print."""
    return format_html(
        '<span class="tag" title="{}">{}</span>',
        gettext("公开文件未直接列出，由文字推算"),
        gettext("推算"),
    )


class MarkedAmountColumn(AmountColumn):
    """An amount that may be implied rather than printed: the page marks it 推算; the CSV keeps
    the plain amount and says so in its own column."""

    def __init__(self, verbose_name, *args, derived_field, **kwargs):
        self.derived_field = derived_field
        super().__init__(verbose_name, *args, **kwargs)

    def render(self, value, record):
        if getattr(record, self.derived_field):
            return format_html("{}{}", wan(value), derived_tag())
        return wan(value)


class SubjectYearsTable(CardTable):
    year = tables.Column(_("年度"), attrs=NAME, linkify=row_link)
    code = CodeColumn(_("当年科目编码"), default="")
    name = DataColumn(_("当年科目名称"), default="")
    initial = MarkedAmountColumn(_("年初预算（万元）"), derived_field="initial_derived")
    final = MarkedAmountColumn(_("决算（万元）"), derived_field="final_derived")
    rate = RateColumn(_("完成年初预算"))
    derived = tables.Column(_("是否推算"), default="")
    # empty_values=(): render_source runs for a year with only a final figure's source too.
    source = tables.Column(_("出处"), accessor="initial_source", attrs=WIDE, empty_values=())

    class Meta:
        attrs = {"class": "data stack"}
        orderable = False

    def render_year(self, value):
        return gettext("%(year)s 年") % {"year": value}

    def value_year(self, value):
        return value

    def render_code(self, value):
        return value or gettext("（无对应科目）")

    def value_code(self, value):
        return value or gettext("（无对应科目）")

    def render_derived(self, value, record):
        if record.initial is None and record.final is None:
            return gettext("未公开")
        return gettext("由文字推算") if value else gettext("公开数")

    def value_derived(self, value, record):
        return self.render_derived(value, record)

    def render_source(self, value, record):
        sources = dict.fromkeys(filter(None, [record.initial_source, record.final_source]))
        return data_text("；".join(sources)) if sources else gettext("未公开")

    def value_source(self, value, record):
        sources = dict.fromkeys(filter(None, [record.initial_source, record.final_source]))
        return "；".join(sources) or gettext("未公开")


class DepartmentSubjectTable(CardTable):
    code = CodeColumn(_("单位编码"), accessor="unit__code", linkify=row_link)
    name = tables.Column(_("单位名称"), attrs=NAME, accessor="unit")
    initial = AmountColumn(_("年初预算（万元）"))
    initial_share = RateColumn(_("占部门年初预算"))
    final = AmountColumn(_("决算（万元）"))
    final_share = RateColumn(_("占部门决算"))
    rate = RateColumn(_("完成年初预算"))
    kinds = tables.Column(_("本年公开"), default="")

    class Meta:
        attrs = {"class": "data stack"}
        orderable = False

    def render_name(self, value):
        return local_name(value)

    def value_name(self, value):
        return value.name

    def render_kinds(self, value):
        labels = {"budget": gettext("预算"), "final": gettext("决算")}
        return gettext("、").join(labels[kind] for kind in value) or gettext("未公开")

    def value_kinds(self, value):
        return self.render_kinds(value)


class SimilarUnitsTable(CardTable):
    code = CodeColumn(_("单位编码"), accessor="unit__code", linkify=row_link)
    name = tables.Column(_("单位名称"), attrs=NAME, accessor="unit")
    main_class = CodeColumn(_("支出最多的类（功能分类）"), default="")
    initial = AmountColumn(_("年初预算（万元）"))
    final = AmountColumn(_("决算（万元）"))
    rate = RateColumn(_("完成年初预算"), accessor="totals__completion_rate")
    is_self = tables.Column(_("备注"), default="")

    class Meta:
        attrs = {"class": "data stack"}
        orderable = False

    def render_name(self, value):
        return local_name(value)

    def value_name(self, value):
        return value.name

    def render_is_self(self, value):
        return gettext("本单位") if value else ""

    def value_is_self(self, value):
        return self.render_is_self(value)


class SimilarUnitsCsvTable(SimilarUnitsTable):
    """Both tables of the page in one file, each row saying which it is in."""

    group = tables.Column(_("比较口径"))

    class Meta(SimilarUnitsTable.Meta):
        sequence = ("group", "...")
