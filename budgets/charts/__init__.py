"""Plotly figures as plain dicts: rows in, figure out. Decimal amounts become floats here and
nowhere else, only to place bars; every label shows the exact amount as text. A bar that
leads somewhere carries its address in `customdata`, which static/js/charts.js follows."""

import html
import re
from decimal import Decimal

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.formatting import signed_wan, wan
from budgets.i18n import data_text
from budgets.rates import Denominator, rate

FONT_STACK = "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"
BUDGET_COLOUR = "#7fa7d1"
FINAL_COLOUR = "#b0302a"
TOTAL_COLOUR = "#1d3f72"
UP_COLOUR = "#c0392b"
DOWN_COLOUR = "#2e7d4f"
MET_COLOUR = "#2e7d4f"
MISSED_COLOUR = "#b0302a"
NEUTRAL_COLOUR = "#9aa5b1"
PERSONNEL_COLOUR = "#5b8cc4"
PUBLIC_COLOUR = "#e0a458"
PROJECT_COLOUR = "#b0302a"
NO_REASON = gettext_lazy("公开说明未写原因")


def sentence(template: str, as_html: bool, **values):
    """A translated sentence of a chart's description. As plain text (for an attribute, or a
    page that shows it as text) or, as_html, as HTML whose values are escaped unless already
    HTML: published names passed through name() are then marked Chinese on English pages."""
    if not as_html:
        return template % values
    return SafeString(
        conditional_escape(template) % {k: conditional_escape(v) for k, v in values.items()}
    )


def name(text: str, as_html: bool):
    """A published name in a description: marked lang="zh-Hans" on English pages (as_html)."""
    return data_text(text) if as_html else text


def joined(separator: str, parts, as_html: bool):
    if not as_html:
        return separator.join(str(part) for part in parts)
    return SafeString(
        conditional_escape(separator).join(conditional_escape(part) for part in parts)
    )


def plotted(amount: Decimal | None) -> float | None:
    return None if amount is None else float(amount)


def plotly_text(text: str) -> str:
    """Text from the database for a Plotly label: plotly.js reads a few HTML tags in labels
    (<a>, <b>, <br>...), so markup characters are escaped and show as typed."""
    return html.escape(text, quote=False)


# What a line break never splits: a number, a code or a Latin word ("29.17/30", "12333").
UNBROKEN = re.compile(r"[0-9A-Za-z.,%/:+\-]+|.", re.S)
# Chinese punctuation that never starts a line: it stays at the end of the line before.
CLOSING = set("）」』】》〉，。、；：！？”’")


def wrapped(text: str, width: int = 9) -> str:
    """A long Chinese label, escaped and broken into lines of about `width` characters so that
    the plot keeps its width on a phone; never inside a number or a word, and never before a
    closing bracket or a comma."""
    lines, line = [], ""
    for token in UNBROKEN.findall(text):
        if line and len(line) + len(token) > width and token not in CLOSING:
            lines.append(line)
            line = ""
        line += token
    lines.append(line)
    # No last line of one Chinese character ("…回复满意" / "度"): it takes one more along.
    if len(lines) > 1 and len(lines[-1]) == 1 and len(lines[-2]) > 2:
        last, before = lines[-1], lines[-2]
        if not (last + before[-1]).isascii():
            lines[-2:] = [before[:-1], before[-1] + last]
    return "<br>".join(plotly_text(line) for line in lines)


# Room on the right for the amount printed after the longest bar ("+159.93"): plotly draws
# text outside the plot area but not outside the figure.
OUTSIDE_TEXT_MARGIN = {"l": 8, "r": 60, "t": 8, "b": 40}


def _layout(height: int, **extra) -> dict:
    return {
        "font": {"family": FONT_STACK, "size": 13},
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 40},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        **extra,
    }


def _amount_axis(largest: float, title: str = "") -> dict:
    # At most five level tick labels: on a 375 px phone plotly otherwise turns four-digit
    # amounts ("1000 2000 …") on end, over the axis title.
    return {
        "title": {"text": title or _("万元")},
        "nticks": 5,
        "tickangle": 0,
        "automargin": True,
        "range": [0, largest * 1.22 if largest > 0 else 1],
        "fixedrange": True,
        "gridcolor": "#e5e5e5",
        "zeroline": True,
    }


def _bars(name, labels, urls, amounts, colour):
    return {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "y": labels,
        "x": [plotted(a) for a in amounts],
        "text": [wan(a) for a in amounts],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": urls,
        "marker": {"color": colour},
        "hovertemplate": _("%%{y}<br>%(name)s：%%{text} 万元<extra></extra>") % {"name": name},
    }


def budget_vs_final(rows) -> dict:
    """The initial budget beside the final figure of each row, in 万元.

    `rows` have name, initial, final (Decimal or None) and url (the row's subject page, "" for
    none). Horizontal bars keep Chinese names readable on a phone; the first row is at the top.
    """
    labels = [wrapped(row.name) for row in rows]
    urls = [row.url for row in rows]
    amounts = [a for row in rows for a in (row.initial, row.final) if a is not None]
    largest = plotted(max(amounts)) if amounts else 1.0
    return {
        "data": [
            _bars(_("年初预算"), labels, urls, [row.initial for row in rows], BUDGET_COLOUR),
            _bars(_("决算"), labels, urls, [row.final for row in rows], FINAL_COLOUR),
        ],
        "layout": _layout(
            120 + 90 * len(rows),
            margin=OUTSIDE_TEXT_MARGIN,
            barmode="group",
            legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            yaxis={"automargin": True, "autorange": "reversed", "fixedrange": True},
            xaxis=_amount_axis(largest),
        ),
    }


def describe_budget_vs_final(rows, what: str, as_html: bool = False) -> str:
    """One sentence for screen readers and text browsers: every row's two amounts (as_html:
    HTML with the rows' names marked as published text)."""
    parts = []
    for row in rows:
        initial = (
            _("年初预算 %(amount)s 万元") % {"amount": wan(row.initial)}
            if row.initial is not None
            else _("年初预算未安排")
        )
        final = (
            _("决算 %(amount)s 万元") % {"amount": wan(row.final)}
            if row.final is not None
            else _("决算空白")
        )
        # A space after the name: a unit named "示例单位 0101" must not run into its figures.
        parts.append(
            sentence(
                _("%(name)s %(initial)s、%(final)s"),
                as_html,
                name=name(row.name, as_html),
                initial=initial,
                final=final,
            )
        )
    return sentence(
        _("%(what)s：%(parts)s。"), as_html, what=what, parts=joined(_("；"), parts, as_html)
    )


def variance_waterfall(initial: Decimal, final: Decimal, steps) -> dict:
    """From the initial budget to the final figure, one step per line whose figure changed.

    `steps` have name, code, change (final minus initial, a line absent from one stage counting
    as nothing there), reason and url. A remainder that the steps do not explain (there is none
    when every line is published) is shown as its own step rather than hidden.
    """
    labels = [_("年初预算"), *[wrapped(step.name) for step in steps]]
    changes = [step.change for step in steps]
    reasons = [wrapped(step.reason or str(NO_REASON), 18) for step in steps]
    urls = ["", *[step.url for step in steps]]
    remainder = final - initial - sum(changes, Decimal(0))
    if remainder:
        labels.append(_("其他（未列明细）"))
        changes.append(remainder)
        reasons.append(_("年初预算与决算之差中未能归到具体科目的部分"))
        urls.append("")
    labels.append(_("决算"))
    urls.append("")
    return {
        "data": [
            {
                "type": "waterfall",
                "orientation": "h",
                "measure": ["absolute", *["relative"] * len(changes), "total"],
                "y": labels,
                "x": [plotted(initial), *[plotted(c) for c in changes], None],
                "text": [wan(initial), *[signed_wan(c) for c in changes], wan(final)],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertext": [_("年初预算"), *reasons, _("决算")],
                "hovertemplate": _("%{y}<br>%{text} 万元<br>%{hovertext}<extra></extra>"),
                "customdata": urls,
                "connector": {"line": {"color": "#9aa5b1", "width": 1}},
                "increasing": {"marker": {"color": UP_COLOUR}},
                "decreasing": {"marker": {"color": DOWN_COLOUR}},
                "totals": {"marker": {"color": TOTAL_COLOUR}},
            }
        ],
        "layout": _layout(
            140 + 44 * len(labels),
            margin=OUTSIDE_TEXT_MARGIN,
            showlegend=False,
            yaxis={"automargin": True, "autorange": "reversed", "fixedrange": True},
            xaxis={**_amount_axis(1.0), "range": _waterfall_range(initial, changes)},
        ),
    }


def _waterfall_range(initial: Decimal, changes) -> list[float]:
    """An axis that starts near the smallest running total, so that the steps, not the two
    totals, fill the width (the axis says where it starts)."""
    running, totals = initial, [initial]
    for change in changes:
        running += change
        totals.append(running)
    low, high = float(min(totals)), float(max(totals))
    span = max(high - low, 1.0)
    start = max(0.0, low - span * 0.6)
    start = start - start % 50
    return [start, high + span * 0.3]


def describe_waterfall(initial, final, steps, as_html: bool = False) -> str:
    parts = [
        sentence(
            _("%(name)s%(change)s 万元"),
            as_html,
            name=name(step.name, as_html),
            change=signed_wan(step.change),
        )
        for step in steps
    ]
    return sentence(
        _("从年初预算 %(initial)s 万元到决算 %(final)s 万元，变化来自：%(parts)s。"),
        as_html,
        initial=wan(initial),
        final=wan(final),
        parts=joined(_("、"), parts, as_html),
    )


# A box too small for its label at 10px shows none (its figures are in the hover, the summary
# and the tables) rather than text shrunk out of sight.
READABLE = {"minsize": 10, "mode": "hide"}


def _treemap(ids, labels, parents, values, texts, colours, urls) -> dict:
    return {
        "type": "treemap",
        "ids": ids,
        "labels": labels,
        "parents": parents,
        "values": values,
        "branchvalues": "remainder",
        "text": texts,
        "customdata": urls,
        "textinfo": "label+text",
        "hovertemplate": _("%{label}<br>%{text} 万元<extra></extra>"),
        "marker": {"colors": colours},
        "tiling": {"pad": 2},
    }


def functional_treemap(rows, total: Decimal) -> dict:
    """Final spending by functional subject, 类 containing 款 containing 项, in 万元.

    Only leaves carry values (branchvalues "remainder"), so that float rounding can never make
    children outgrow their parent; the text of every box is the exact amount.
    """
    shown = [row for row in rows if row.final is not None]
    leaves = {
        row.code
        for row in shown
        if not any(other.code != row.code and other.code.startswith(row.code) for other in shown)
    }
    ids = ["total", *[row.code for row in shown]]
    parents = ["", *[_parent_id(row.code, shown) for row in shown]]
    return {
        "data": [
            _treemap(
                ids,
                [_("决算合计"), *[plotly_text(row.name) for row in shown]],
                parents,
                [0, *[plotted(row.final) if row.code in leaves else 0 for row in shown]],
                [wan(total), *[wan(row.final) for row in shown]],
                ["#ffffff", *[_class_colour(row.code) for row in shown]],
                ["", *[row.url for row in shown]],
            )
        ],
        "layout": _layout(460, margin={"l": 4, "r": 4, "t": 4, "b": 4}, uniformtext=READABLE),
    }


def _parent_id(code, rows) -> str:
    prefixes = [row.code for row in rows if code.startswith(row.code) and row.code != code]
    return max(prefixes, key=len) if prefixes else "total"


CLASS_COLOURS = ["#1d3f72", "#b0302a", "#2e7d4f", "#a15c00", "#6b4c9a", "#00838f"]


def _class_colour(code: str) -> str:
    return CLASS_COLOURS[int(code[:3]) % len(CLASS_COLOURS)]


def economic_treemap(personnel_rows, public_rows, projects, totals) -> dict:
    """Final spending by what it buys: personnel and public funds by economic subject (basic
    expenditure), and project spending by project, in 万元.

    `totals` has final, final_personnel, final_public and final_project; `projects` is a list of
    (name, final amount)."""
    ids, labels, parents, values, texts, colours, urls = (
        ["total"], [_("决算合计")], [""], [0], [wan(totals.final)], ["#ffffff"], [""],
    )  # fmt: skip
    groups = (
        ("personnel", _("人员经费"), personnel_rows, PERSONNEL_COLOUR, totals.final_personnel),
        ("public", _("公用经费"), public_rows, PUBLIC_COLOUR, totals.final_public),
    )
    for group_id, group_label, rows, colour, group_total in groups:
        shown = [row for row in rows if row.final is not None]
        ids.append(group_id)
        labels.append(group_label)
        parents.append("total")
        values.append(0)
        texts.append(wan(group_total))
        colours.append(colour)
        urls.append("")
        for row in shown:
            is_leaf = len(row.code) == 5
            ids.append(row.code)
            labels.append(plotly_text(row.name))
            parents.append(row.code[:3] if is_leaf else group_id)
            values.append(plotted(row.final) if is_leaf else 0)
            texts.append(wan(row.final))
            colours.append(colour)
            urls.append(row.url)
    ids.append("projects")
    labels.append(_("项目支出"))
    parents.append("total")
    values.append(0)
    texts.append(wan(totals.final_project))
    colours.append(PROJECT_COLOUR)
    urls.append("")
    for index, (name, amount) in enumerate(projects):
        ids.append(f"project-{index}")
        labels.append(plotly_text(name))
        parents.append("projects")
        values.append(plotted(amount))
        texts.append(wan(amount))
        colours.append(PROJECT_COLOUR)
        urls.append("")
    return {
        "data": [_treemap(ids, labels, parents, values, texts, colours, urls)],
        "layout": _layout(460, margin={"l": 4, "r": 4, "t": 4, "b": 4}, uniformtext=READABLE),
    }


def performance_bullets(items) -> dict:
    """Each indicator's actual value against its target, as a share of the target (100% is
    the target mark). Green where met, red where not; where the two cannot be compared as
    numbers (≤5个工作日), a grey hatched bar at the target.

    The published actual value and the score are written under the indicator's name, left of
    the plot, so that no text lies where the target line runs or past the right edge.

    `items` have level3, target, actual (published text), parsed_target, parsed_actual, met,
    score and weight.
    """
    labels, ratios, colours, patterns, hovers = [], [], [], [], []
    for item in items:
        labels.append(
            "<br>".join(
                [
                    wrapped(item.level3, 10),
                    wrapped(_("完成 %(actual)s") % {"actual": item.actual}, 12),
                    _("得分 %(score)s/%(weight)s分")
                    % {"score": _points(item.score), "weight": _points(item.weight)},
                ]
            )
        )
        ratio = _attainment(item.parsed_target, item.parsed_actual)
        ratios.append(plotted(ratio) if ratio is not None else 100.0)
        comparable = ratio is not None and item.met is not None
        patterns.append("" if comparable else "/")
        colours.append(
            NEUTRAL_COLOUR if item.met is None else MET_COLOUR if item.met else MISSED_COLOUR
        )
        state = _("无法按数字比较") if item.met is None else _("达成") if item.met else _("未达成")
        hovers.append(
            plotly_text(
                _("目标 %(target)s，完成 %(actual)s，%(state)s")
                % {"target": item.target, "actual": item.actual, "state": state}
            )
        )
    largest = max(ratios, default=100.0)
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": ratios,
                "marker": {"color": colours, "pattern": {"shape": patterns}},
                "hovertext": hovers,
                "hovertemplate": "%{hovertext}<extra></extra>",
                "name": _("完成值"),
            }
        ],
        "layout": _layout(
            100 + 84 * len(labels),
            margin={"l": 8, "r": 16, "t": 28, "b": 40},
            showlegend=False,
            yaxis={"automargin": True, "autorange": "reversed", "fixedrange": True},
            xaxis={
                "title": {"text": _("完成值占目标值（%）")},
                "range": [0, max(largest * 1.08, 120)],
                "fixedrange": True,
                "gridcolor": "#e5e5e5",
                "ticksuffix": "%",
            },
            shapes=[
                {
                    "type": "line",
                    "x0": 100,
                    "x1": 100,
                    "xref": "x",
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"color": "#1f2933", "width": 2, "dash": "dot"},
                }
            ],
            annotations=[
                {
                    "x": 100,
                    "y": 1,
                    "xref": "x",
                    "yref": "paper",
                    "text": _("目标"),
                    "showarrow": False,
                    "yanchor": "bottom",
                }
            ],
        ),
    }


def _attainment(target, actual) -> Decimal | None:
    """Actual as a percentage of target, the better way up for "≤" targets."""
    if target is None or actual is None or target.unit != actual.unit or actual.comparator:
        return None
    if target.comparator in ("≤", "<"):
        return rate(target.value, actual.value, of=Denominator.TARGET)
    return rate(actual.value, target.value, of=Denominator.TARGET)


def _points(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


def describe_performance(items, total, as_html: bool = False) -> str:
    """The performance chart in one sentence (as_html: the missed indicators' published names
    marked Chinese on English pages)."""
    missed = [name(item.level3, as_html) for item in items if item.met is False]
    text = sentence(_("总分 %(total)s 分。"), as_html, total=_points(total))
    if missed:
        text += sentence(
            _("未达成目标的指标：%(missed)s。"), as_html, missed=joined(_("、"), missed, as_html)
        )
    return text + sentence(_("其余指标达到或超过目标，或无法按数字比较（照录原文）。"), as_html)


SERIES_LABELS = {
    ("total", "initial_budget"): gettext_lazy("支出合计·预算"),
    ("total", "final"): gettext_lazy("支出合计·决算"),
    ("project", "initial_budget"): gettext_lazy("项目·预算"),
    ("project", "final"): gettext_lazy("项目·执行"),
}
SERIES_COLOURS = {
    ("total", "initial_budget"): BUDGET_COLOUR,
    ("total", "final"): FINAL_COLOUR,
    ("project", "initial_budget"): "#b8cde3",
    ("project", "final"): "#d98b86",
}


def history_bars(points) -> dict:
    """Totals and project amounts by year and stage, in 万元, as the publications cite them.

    Figures only implied by the text are hatched and labelled 推算.
    """
    years = sorted({point.year for point in points})
    traces = []
    for key, series_name in SERIES_LABELS.items():
        series = {point.year: point for point in points if (point.series, point.stage) == key}
        if not series:
            continue
        values = [series.get(year) for year in years]
        traces.append(
            {
                "type": "bar",
                "name": str(series_name),
                "x": [_("%(year)s 年") % {"year": year} for year in years],
                "y": [plotted(p.amount) if p else None for p in values],
                "text": [
                    (wan(p.amount) + (_("（推算）") if p.derived else "")) if p else ""
                    for p in values
                ],
                "textposition": "outside",
                # Upright along the bar: four bars a year are too narrow on a phone for the
                # amount written across, which plotly would shrink out of sight.
                "textangle": -90,
                "constraintext": "none",
                "cliponaxis": False,
                "hovertext": [plotly_text(p.source) if p else "" for p in values],
                "hovertemplate": (
                    _("%%{x} %(series)s：%%{text} 万元<br>%%{hovertext}<extra></extra>")
                    % {"series": series_name}
                ),
                "marker": {
                    "color": SERIES_COLOURS[key],
                    "pattern": {"shape": ["/" if p and p.derived else "" for p in values]},
                },
            }
        )
    largest = max((float(p.amount) for p in points), default=1.0)
    return {
        "data": traces,
        "layout": _layout(
            420,
            barmode="group",
            legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            xaxis={"fixedrange": True, "type": "category"},
            yaxis={**_amount_axis(largest), "range": [0, largest * 1.35], "automargin": True},
        ),
    }


def describe_history(points) -> str:
    parts = []
    for point in points:
        series_name = SERIES_LABELS[(point.series, point.stage)]
        template = (
            _("%(year)s 年%(series)s %(amount)s 万元（由文字推算）")
            if point.derived
            else _("%(year)s 年%(series)s %(amount)s 万元")
        )
        parts.append(
            template % {"year": point.year, "series": series_name, "amount": wan(point.amount)}
        )
    return _("%(parts)s。") % {"parts": _("；").join(parts)}
