"""django-tables2 tables of the city and department pages (budgets/tables.py holds the unit
pages'). Amounts in 万元 as Decimal; blank stays blank; rates as text."""

import django_tables2 as tables

from budgets.tables import (
    NAME,
    NUMERIC,
    AmountColumn,
    CardTable,
    CodeColumn,
    RateColumn,
    level_row_attrs,
    row_link,
)


class DepartmentUnitTable(CardTable):
    """The units of a department in a year: initial budget and final side by side."""

    name = tables.Column("单位", attrs=NAME, linkify=row_link)
    code = CodeColumn("单位编码")
    initial = AmountColumn("年初预算（万元）")
    final = AmountColumn("决算（万元）")
    rate = RateColumn("完成年初预算")
    initial_share = RateColumn("占部门年初预算")
    final_share = RateColumn("占部门决算")
    published_text = tables.Column("已公开", orderable=False)

    class Meta:
        attrs = {"class": "data stack"}
        empty_text = "这个部门没有下属单位。"


class DepartmentSubjectTable(CardTable):
    """The department's total by 类 and 款 of one classification."""

    code = CodeColumn("科目编码", linkify=row_link)
    name = tables.Column("科目名称", attrs=NAME)
    initial = AmountColumn("年初预算（万元）")
    final = AmountColumn("决算（万元）")
    difference = AmountColumn("差额（万元）", signed=True)
    rate = RateColumn("完成年初预算")

    class Meta:
        row_attrs = level_row_attrs()
        attrs = {"class": "data tree stack"}
        orderable = False
        empty_text = "没有数据。"


class DepartmentYearsTable(CardTable):
    year = tables.Column("年度", attrs=NAME, linkify=row_link)
    published = tables.Column("公开情况", accessor="publishing__text", orderable=False)
    initial = AmountColumn("年初预算（万元）")
    final = AmountColumn("决算（万元）")
    rate = RateColumn("完成年初预算")

    class Meta:
        attrs = {"class": "data stack"}
        orderable = False


class CityDepartmentTable(CardTable):
    """The departments of the city in a year (the home page)."""

    name = tables.Column("部门", attrs=NAME, linkify=row_link)
    code = CodeColumn("部门编码")
    units = tables.Column("单位数", accessor="publishing__units", attrs=NUMERIC)
    finals = tables.Column("已公开决算的单位", accessor="publishing__finals", attrs=NUMERIC)
    initial = AmountColumn("年初预算（万元）")
    final = AmountColumn("决算（万元）")
    rate = RateColumn("完成年初预算")

    class Meta:
        attrs = {"class": "data stack"}
        empty_text = "还没有已公开的预算或决算。"

    def render_name(self, record, value):
        return f"{value}（示例数据）" if record.is_example else value

    def value_name(self, record, value):
        return self.render_name(record, value)
