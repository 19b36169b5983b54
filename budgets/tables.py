"""django-tables2 tables of the public pages. Amount columns hold Decimal values in 万元: pages
show them with two places and CSV files write them as plain decimals; blank stays blank."""

import weakref
from decimal import Decimal

import django_tables2 as tables
import django_tables2.utils
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets.choices import ExpenseClass, Stage
from budgets.formatting import signed_wan, wan
from budgets.i18n import data_text, local_name
from budgets.rates import percent_text

NUMERIC = {"th": {"class": "num"}, "td": {"class": "num"}}


# The unit of amount columns, in each language's header; every table states it above.
UNIT_SUFFIXES = ("（万元）", " (10,000 yuan)")


def without_unit(header: str) -> str:
    for suffix in UNIT_SUFFIXES:
        header = header.replace(suffix, "")
    return header


def labelled(attrs: dict, label: str) -> dict:
    """Column attrs with the label repeated on each cell, for the stacked layout on phones
    (without the unit: every table states it above)."""
    return {**attrs, "td": {**attrs.get("td", {}), "data-label": without_unit(str(label))}}


NAME = {"td": {"class": "name"}}  # the cell that names the row: a card's title on phones
WIDE = {"td": {"class": "wide"}}  # running text: the whole width of a card on phones


_signature = django_tables2.utils.signature
_SIGNATURES = {False: weakref.WeakKeyDictionary(), True: weakref.WeakKeyDictionary()}


def _cached_signature(fn):
    """django-tables2 asks inspect for the signature of a column's render method, a link or
    an attrs callable once per cell (a tenth of a unit page's time); a function's signature
    does not change, so it is read once per function (and per bound or not: a bound method's
    drops self). Other callables are asked every time, as before."""
    function = getattr(fn, "__func__", fn)
    try:
        cache = _SIGNATURES[function is not fn]
        found = cache.get(function)
    except TypeError:  # not weakly referenceable
        return _signature(fn)
    if found is None:
        found = cache[function] = _signature(fn)
    return found


django_tables2.utils.signature = _cached_signature

# The text between the tags of django_tables2/table.html's tbody block, as the template
# engine writes it for each row and cell (CardTable.tbody_html).
_TBODY_OPEN = "\n                <tbody {}>\n                "
_ROW_OPEN = "\n                    \n                    <tr {}>\n                        "
_CELL = "\n                            <td {}>{}</td>\n                        "
# Template text, no data: safe as written.
_ROW_CLOSE = mark_safe("\n                    </tr>\n                    \n                ")
_TBODY_CLOSE = mark_safe("\n                </tbody>\n            ")


class CardTable(tables.Table):
    """A table that becomes one card per row on phones (class `stack`, static/css/portal.css):
    every cell carries its column's header as `data-label`, shown above the value. The label
    is set here, per table, because headers are lazy translations: the request's language is
    known only now (each table has its own copy of the columns)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for column in self.columns:
            column.column.attrs = labelled(column.column.attrs, str(column.header))

    @property
    def tbody_html(self) -> str:
        """The table's body as django_tables2/table.html writes it, byte for byte, without
        the template engine (most of a unit page's time went to its loops): the cells, the
        row and cell attributes and their escaping are django-tables2's own, only the text
        around them is written here. "" (the template then writes the body) for no rows or
        a column that localizes its cells."""
        rows = self.paginated_rows
        if not len(rows) or any(c.localize is not None for c in self.columns):
            return ""
        context = Context(autoescape=True)
        tbody = self.attrs.get("tbody")
        # format_html throughout: the attributes and cells come escaped (SafeString) from
        # django-tables2 and render_value_in_context, as the template has them; only the
        # template's own text is marked safe.
        parts = [format_html(_TBODY_OPEN, tbody.as_html() if hasattr(tbody, "as_html") else "")]
        # A column's cell attributes given as plain values are the same on every row: written
        # once (None: some are callables of the row, asked per cell as the template does).
        static = {column.name: self._static_td(column) for column in self.columns}
        for row in rows:
            parts.append(format_html(_ROW_OPEN, row.attrs.as_html()))
            for column, cell in row.items():
                html = static[column.name]
                if html is None:
                    html = column.attrs["td"].as_html()
                parts.append(format_html(_CELL, html, render_value_in_context(cell, context)))
            parts.append(_ROW_CLOSE)
        parts.append(_TBODY_CLOSE)
        return format_html_join("", "{}", ((part,) for part in parts))

    def _static_td(self, column):
        """The column's td attributes as HTML when none is computed per row, else None."""
        attrs = {**self.attrs, **column.column.attrs}
        td = attrs.get("td", attrs.get("cell", {}))
        if any(callable(value) or isinstance(value, dict) for value in td.values()):
            return None
        return column.attrs["td"].as_html()


LEVEL_CLASSES = ("level-class", "level-section", "level-item")


class AmountColumn(tables.Column):
    """An amount in 万元; None (not published) renders blank, never 0.00."""

    def __init__(self, verbose_name=None, *args, signed=False, **kwargs):
        kwargs.setdefault("attrs", NUMERIC)  # data-label: CardTable
        kwargs.setdefault("default", "")
        self.signed = signed
        super().__init__(verbose_name, *args, **kwargs)

    def render(self, value):
        return signed_wan(value) if self.signed else wan(value)

    def value(self, value):
        return value


class PointsColumn(tables.Column):
    """Points (分) as the self-evaluation prints them: 8, 29.17."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMERIC)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format(value.normalize(), "f")

    def value(self, value):
        return value


class AmountOrTextColumn(tables.Column):
    """Amounts in 万元 as Decimal, rates and words as text, in one column."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMERIC)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def render(self, value):
        return wan(value) if isinstance(value, Decimal) else value

    def value(self, value):
        return value


class RateColumn(tables.Column):
    """A rate in percent as the final accounts print it (one place, trailing zero dropped:
    101.5%, 87%); the CSV gets the same text."""

    def __init__(self, verbose_name, *args, places=1, **kwargs):
        kwargs.setdefault("attrs", NUMERIC)  # data-label: CardTable
        kwargs.setdefault("default", "")
        self.places = places
        super().__init__(verbose_name, *args, **kwargs)

    def render(self, value):
        return percent_text(value, self.places)

    def value(self, value):
        return percent_text(value, self.places)


def row_link(record):
    """A row's own page, set on the row by the view; no link without one."""
    return record.url or None


class DataColumn(tables.Column):
    """Published text (a row label, an explanation, an indicator): shown as printed, marked
    lang="zh-Hans" on English pages (budgets.i18n.data_text); the CSV gets the text alone."""

    def render(self, value):
        return data_text(value)

    def value(self, value):
        return value


class CodeColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "code"}})
        super().__init__(*args, **kwargs)


def row_id(record, table):
    """A row's id, its code (`#2080150`): the address of one figure, which the 引用 control
    cites. A table that shares its page with another of the same codes gives a prefix."""
    code = getattr(record, "code", "")
    return f"{table.row_id_prefix}{code}" if code else None


def cite_link(row_id: str, what):
    """引用: a link to the row without JavaScript; static/js/cite.js makes it a button that
    copies the row's citation (its text is read from the row's cells). `what` may be HTML
    (a name marked as Chinese)."""
    return format_html(
        '<a class="cite" href="#{}">{}<span class="visually-hidden"> {}</span></a>',
        row_id,
        gettext("引用"),
        what,
    )


class CitedNameColumn(tables.Column):
    """The row's name (name_en on English pages when staff gave one, else the published name
    marked as Chinese), with the row's 引用 control when the row has an id; the CSV gets the
    published name alone."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NAME)
        super().__init__(*args, **kwargs)

    def render(self, value, record, table):
        name = local_name(record)
        identifier = row_id(record, table)
        if identifier is None:
            return name
        return format_html(
            "{} {}", name, cite_link(identifier, format_html("{} {}", record.code, name))
        )

    def value(self, value):
        return value


class CitableTable(CardTable):
    """Rows with ids (row_id) and a 引用 control in the name cell."""

    row_id_prefix = ""


def level_row_attrs():
    return {"class": lambda record: LEVEL_CLASSES[record.level], "id": row_id}


def subject_link(record):
    return record.url or None


class FunctionalComparisonTable(CitableTable):
    code = CodeColumn(_("科目编码"), linkify=subject_link)
    name = CitedNameColumn(_("科目名称"))
    initial = AmountColumn(_("年初预算（万元）"))
    final = AmountColumn(_("决算（万元）"))
    difference = AmountColumn(_("差额（万元）"), signed=True)
    rate = tables.Column(_("完成年初预算"), attrs=NUMERIC, empty_values=())
    reason = DataColumn(
        _("决算与年初预算差异原因（公开说明）"), attrs={"td": {"class": "reason"}}, default=""
    )

    class Meta:
        row_attrs = level_row_attrs()
        attrs = {"class": "data tree stack"}
        empty_text = _("没有数据。")

    def render_rate(self, record):
        return record.rate_text

    def value_rate(self, record):
        return record.rate_text


class EconomicComparisonTable(CitableTable):
    code = CodeColumn(_("科目编码"), linkify=subject_link)
    name = CitedNameColumn(_("科目名称"))
    expense_class = tables.Column(_("经费性质"), default="", attrs={"td": {"class": "class"}})
    initial = AmountColumn(_("年初预算（万元）"))
    final = AmountColumn(_("决算（万元）"))
    difference = AmountColumn(_("差额（万元）"), signed=True)
    rate = tables.Column(_("决算占年初预算"), attrs=NUMERIC, empty_values=())

    class Meta:
        row_attrs = level_row_attrs()
        attrs = {"class": "data tree stack"}
        empty_text = _("没有数据。")

    def render_expense_class(self, value):
        return ExpenseClass(value).label if value else ""

    def value_expense_class(self, value):
        return self.render_expense_class(value)

    def render_rate(self, record):
        return record.rate_text

    def value_rate(self, record):
        return record.rate_text


class SplitTable(CardTable):
    """Basic and project expenditure, initial budget beside final, with their shares."""

    label = tables.Column(_("项目"), attrs=NAME)
    initial = AmountColumn(_("年初预算（万元）"))
    initial_share = tables.Column(_("占年初预算"), attrs=NUMERIC, default="")
    final = AmountColumn(_("决算（万元）"))
    final_share = tables.Column(_("占决算"), attrs=NUMERIC, default="")

    class Meta:
        attrs = {"class": "data stack"}
        orderable = False
        # The total row, whether its label is translated (views/years.py) or not.
        row_attrs = {
            "class": lambda record: "total" if record["label"] in {"合计", gettext("合计")} else ""
        }


class ProjectStageTable(CardTable):
    label = tables.Column(_("阶段"), attrs=NAME)
    value = AmountOrTextColumn(_("金额（万元）或比率"))
    note = DataColumn(_("出处或算法"), default="", attrs=WIDE)

    class Meta:
        attrs = {"class": "data stack"}
        orderable = False


class ThreePublicTable(CardTable):
    label = tables.Column(_("项目"), orderable=False, attrs=NAME)
    initial = AmountColumn(_("年初预算（万元）"), orderable=False)
    adjusted = AmountColumn(_("调整后预算（万元）"), orderable=False)
    final = AmountColumn(_("决算（万元）"), orderable=False)

    class Meta:
        row_attrs = {
            "class": lambda record: (
                f"indent-{record.indent}" + (" total" if record.is_total else "")
            )
        }
        attrs = {"class": "data stack"}


class CostLineTable(CardTable):
    activity = DataColumn(_("项目活动"), attrs=NAME)
    description = DataColumn(_("活动内容表述"), attrs=WIDE)
    economic_name = DataColumn(_("支出经济分类"))
    economic_code = CodeColumn(_("经济分类编码（按名称对应）"))
    amount = AmountColumn(_("金额（万元）"))
    basis = DataColumn(_("测算依据及说明"), attrs=WIDE)

    class Meta:
        attrs = {"class": "data stack"}
        orderable = False


class ProcurementTable(CardTable):
    item = DataColumn(_("品名"), attrs=NAME)
    quantity = DataColumn(_("数量"))
    amount = AmountColumn(_("金额（万元）"))

    class Meta:
        attrs = {"class": "data stack"}
        orderable = False


def indicator_status(met):
    if met is None:
        return ""
    return gettext("达成") if met else gettext("未达成")


class EvaluationTable(CardTable):
    level1 = DataColumn(_("一级指标"))
    level2 = DataColumn(_("二级指标"), default="")
    level3 = DataColumn(_("三级指标"), default="", attrs=NAME)
    target = DataColumn(_("年初目标值"), default="")
    actual = DataColumn(_("实际完成值"), default="")
    met = tables.Column(_("是否达成"), accessor="met", default="", orderable=False)
    weight = PointsColumn(_("分值"))
    score = PointsColumn(_("得分"))

    class Meta:
        attrs = {"class": "data stack"}
        orderable = False

    def render_met(self, value):
        css = "met" if value else "missed"
        return format_html('<span class="{}">{}</span>', css, indicator_status(value))

    def value_met(self, value):
        return indicator_status(value)


class TargetTable(CardTable):
    horizon = tables.Column(_("目标期限"), accessor="get_horizon_display")
    level1 = DataColumn(_("一级指标"))
    level2 = DataColumn(_("二级指标"))
    level3 = DataColumn(_("三级指标"), attrs=NAME)
    target = DataColumn(_("指标值（当年）"))
    prior = tables.Column(_("以前年度指标值"), empty_values=(), orderable=False, attrs=WIDE)
    basis = DataColumn(_("指标值确定依据"), attrs=WIDE)

    class Meta:
        attrs = {"class": "data stack"}
        orderable = False

    def render_prior(self, record):
        return format_html_join(
            gettext("；"),
            gettext("%(year)s 年 %(value)s") % {"year": "{}", "value": "{}"},
            ((p.year, data_text(p.value)) for p in record.prior_values.all()),
        )

    def value_prior(self, record):
        return "；".join(f"{p.year} 年 {p.value}" for p in record.prior_values.all())


class EvaluationCsvTable(EvaluationTable):
    """The items of every self-evaluation in one file, each with the table it comes from."""

    evaluation = tables.Column(_("自评表"), accessor="evaluation__section__title")

    class Meta(EvaluationTable.Meta):
        sequence = ("evaluation", "...")


class TargetCsvTable(TargetTable):
    """The targets of every target table in one file, each with the table it comes from."""

    plan = tables.Column(_("绩效目标表"), accessor="plan__section__title")

    class Meta(TargetTable.Meta):
        sequence = ("plan", "...")


class WaterfallTable(CitableTable):
    """The lines whose figure changed between the initial budget and the final accounts."""

    row_id_prefix = "change-"  # the overview's table of changes; #2080150 is the subject tables'
    code = CodeColumn(_("科目编码"), linkify=subject_link)
    name = CitedNameColumn(_("科目名称"))
    initial = AmountColumn(_("年初预算（万元）"))
    final = AmountColumn(_("决算（万元）"))
    change = AmountColumn(_("变化（万元）"), signed=True)
    reason = DataColumn(
        _("公开说明的原因"), default=_("公开说明未写原因"), attrs={"td": {"class": "reason"}}
    )

    class Meta:
        attrs = {"class": "data stack"}
        orderable = False
        row_attrs = {"id": row_id}


class HistoryTable(CardTable):
    year = tables.Column(_("年度"), attrs=NAME)
    series = tables.Column(_("口径"))
    stage = tables.Column(_("阶段"))
    amount = AmountColumn(_("金额（万元）"))
    derived = tables.Column(_("是否推算"), default="")
    source = DataColumn(_("出处"), attrs=WIDE)

    class Meta:
        attrs = {"class": "data stack"}
        orderable = False

    def render_series(self, value):
        return {"total": gettext("支出合计"), "project": gettext("项目支出")}[value]

    def value_series(self, value):
        return self.render_series(value)

    def render_stage(self, value):
        return Stage(value).label

    def value_stage(self, value):
        return self.render_stage(value)

    def render_derived(self, value):
        return gettext("由文字推算") if value else gettext("公开数")

    def value_derived(self, value):
        return self.render_derived(value)


class StageSplitTable(CardTable):
    """A subject's amounts by stage, split as the publications split them."""

    stage = tables.Column(_("阶段"), attrs=NAME)
    total = AmountColumn(_("合计（万元）"))
    basic = AmountColumn(_("基本支出（万元）"))
    project = AmountColumn(_("项目支出（万元）"))
    personnel = AmountColumn(_("人员经费（万元）"))
    public = AmountColumn(_("公用经费（万元）"))

    class Meta:
        attrs = {"class": "data stack"}
        orderable = False

    def __init__(self, splits: dict, scheme: str, **kwargs):
        rows = [
            {"stage": Stage(stage).label, **values}
            for stage, values in splits.items()
            if any(v is not None for v in values.values())
        ]
        exclude = ("basic", "project") if scheme == "economic" else ()
        super().__init__(rows, exclude=exclude, **kwargs)
