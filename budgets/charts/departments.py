"""Charts of the department pages: plain dicts for json_script, drawn by static/js/charts.js."""

from django.utils.translation import gettext as _

from budgets.charts import budget_vs_final, describe_budget_vs_final
from budgets.i18n import in_english


def by_class(rows) -> tuple[dict, str]:
    """The department's initial budget beside its final by 类 (functional), in 万元, and the
    sentence that says the same for screen readers."""
    classes = [row for row in rows if row.level == 0]
    return budget_vs_final(classes), describe_budget_vs_final(
        classes, _("部门支出按功能分类（类）"), as_html=in_english()
    )


def by_unit(rows) -> tuple[dict, str]:
    """Each unit's initial budget beside its final, in 万元."""
    return budget_vs_final(rows), describe_budget_vs_final(
        rows, _("各单位年初预算与决算"), as_html=in_english()
    )
