"""Plotly figures as plain dicts: rows in, figure out. Decimal amounts become floats here and
nowhere else, only for plotting; every label shows the exact amount as text."""

from decimal import Decimal

from budgets.formatting import wan

FONT_STACK = "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"
BUDGET_COLOUR = "#7fa7d1"
FINAL_COLOUR = "#b0302a"


def plotted(amount: Decimal | None) -> float | None:
    return None if amount is None else float(amount)


def _bars(name, labels, codes, amounts, colour):
    return {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "y": labels,
        "x": [plotted(a) for a in amounts],
        "text": [wan(a) for a in amounts],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": codes,
        "marker": {"color": colour},
        "hovertemplate": f"%{{y}}<br>{name}：%{{text}} 万元<extra></extra>",
    }


def budget_vs_final_by_class(rows) -> dict:
    """Bars of the initial budget beside the final figure of each 类, in 万元.

    `rows` have code, name, initial and final (Decimal or None). Horizontal bars keep the
    Chinese names readable on a phone; the first 类 is at the top.
    """
    labels = [row.name for row in rows]
    codes = [row.code for row in rows]
    amounts = [a for row in rows for a in (row.initial, row.final) if a is not None]
    largest = plotted(max(amounts)) if amounts else 1.0
    return {
        "data": [
            _bars("年初预算", labels, codes, [row.initial for row in rows], BUDGET_COLOUR),
            _bars("决算", labels, codes, [row.final for row in rows], FINAL_COLOUR),
        ],
        "layout": {
            "barmode": "group",
            "font": {"family": FONT_STACK, "size": 13},
            "height": 120 + 90 * len(rows),
            "margin": {"l": 8, "r": 8, "t": 8, "b": 40},
            "legend": {
                "orientation": "h",
                "x": 0,
                "y": 1.0,
                "yanchor": "bottom",
                "traceorder": "normal",
            },
            "yaxis": {"automargin": True, "autorange": "reversed", "fixedrange": True},
            "xaxis": {
                "title": {"text": "万元"},
                "range": [0, largest * 1.22],
                "fixedrange": True,
                "gridcolor": "#e5e5e5",
                "zeroline": True,
            },
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
        },
    }


def describe_by_class(rows, year: int) -> str:
    """A one-sentence summary of the bar chart for screen readers and text browsers."""
    parts = []
    for row in rows:
        initial = (
            f"年初预算 {wan(row.initial)} 万元" if row.initial is not None else "年初预算未安排"
        )
        final = f"决算 {wan(row.final)} 万元" if row.final is not None else "决算空白"
        parts.append(f"{row.name}{initial}、{final}")
    return f"{year} 年按功能分类（类）：" + "；".join(parts) + "。"
