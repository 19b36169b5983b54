"""Figures of the comparison pages: a subject's initial budget and final by year (implied
figures hatched and labelled 推算), and bars by unit (budgets.charts.budget_vs_final)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.charts import (
    BUDGET_COLOUR,
    FINAL_COLOUR,
    _amount_axis,
    _layout,
    plotly_text,
    plotted,
)
from budgets.formatting import wan

YEAR_SERIES = (
    ("initial", gettext_lazy("年初预算"), BUDGET_COLOUR),
    ("final", gettext_lazy("决算"), FINAL_COLOUR),
)


def _label(amount, derived: bool) -> str:
    if amount is None:
        return ""
    return wan(amount) + (_("（推算）") if derived else "")


def subject_year_bars(rows) -> dict:
    """Initial budget and final of one subject in each year (rows: summaries.comparisons.
    YearRow), in 万元; a figure only implied by a later publication is hatched."""
    years = [_("%(year)s 年") % {"year": row.year} for row in rows]
    traces = []
    for field, name, colour in YEAR_SERIES:
        amounts = [getattr(row, field) for row in rows]
        derived = [getattr(row, f"{field}_derived") for row in rows]
        traces.append(
            {
                "type": "bar",
                "name": str(name),
                "x": years,
                "y": [plotted(a) for a in amounts],
                "text": [_label(a, d) for a, d in zip(amounts, derived, strict=True)],
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": [row.url for row in rows],
                "hovertext": [plotly_text(getattr(row, f"{field}_source")) for row in rows],
                "hovertemplate": (
                    _("%%{x} %(series)s：%%{text} 万元<br>%%{hovertext}<extra></extra>")
                    % {"series": name}
                ),
                "marker": {
                    "color": colour,
                    "pattern": {"shape": ["/" if d else "" for d in derived]},
                },
            }
        )
    amounts = [a for row in rows for a in (row.initial, row.final) if a is not None]
    largest = plotted(max(amounts)) if amounts else 1.0
    return {
        "data": traces,
        "layout": _layout(
            380,
            barmode="group",
            legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            xaxis={"fixedrange": True, "type": "category"},
            yaxis={**_amount_axis(largest), "automargin": True},
        ),
    }


def describe_subject_years(rows, what: str) -> str:
    """One sentence for screen readers: each year's two amounts, implied ones marked."""
    parts = []
    for row in rows:
        initial = _label(row.initial, row.initial_derived) or _("未公开")
        final = _label(row.final, row.final_derived) or _("未公开")
        parts.append(
            _("%(year)s 年年初预算 %(initial)s、决算 %(final)s")
            % {"year": row.year, "initial": initial, "final": final}
        )
    return _("%(what)s（万元）：%(parts)s。") % {"what": what, "parts": _("；").join(parts)}
