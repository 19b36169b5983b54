"""The open lines: every line of the open data as lines.csv prints it, one row each, kept in a
table of its own so that the lines page, the API and the bulk CSV read one indexed table at
city scale (a million lines) instead of joining facts, publications, units, subjects,
citations and project links on every request.

It is a read model, not a source: rows are written from the facts (`budgets.open_lines`)
whenever a publication is published, corrected or reloaded, and never edited by hand. Totals
are never read from it; `budgets.summaries.totals` sums the facts.
"""

from django.db import models
from django.db.models import BigIntegerField, F, Value
from django.db.models.functions import Coalesce

from budgets.fields import ExactDecimalField
from budgets.keyset import BLANK_HIGH, BLANK_LOW
from budgets.models.facts import Fact
from budgets.models.organisation import Publication, Unit


class OpenLine(models.Model):
    """One published line of a real unit (or, where settings open them, of an example unit),
    with every column of lines.csv. `amount` is in 万元 (None: printed blank); `stage` is the
    fact's stage (initial budget, adjusted budget, final); `source` names the publication and
    tables that print it; `project_code` is the project of the line's own unit linked to its
    subject and stage (inferred)."""

    fact = models.OneToOneField(
        Fact, verbose_name="数据", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    publication = models.ForeignKey(
        Publication, verbose_name="公开文件", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("所属年度")
    stage = models.CharField("阶段", max_length=16)
    direction = models.CharField("收支", max_length=16)
    unit_code = models.CharField("单位编码", max_length=32)
    unit_name = models.CharField("单位名称", max_length=200)
    breakdown = models.CharField("分类", max_length=16, blank=True)
    subject_code = models.CharField("科目编码", max_length=7, blank=True)
    functional_code = models.CharField("功能分类科目编码", max_length=7, blank=True)
    functional_name = models.CharField("功能分类科目名称", max_length=200, blank=True)
    functional_level = models.CharField("功能分类层级", max_length=8, blank=True)
    economic_code = models.CharField("经济分类科目编码", max_length=7, blank=True)
    economic_name = models.CharField("经济分类科目名称", max_length=200, blank=True)
    expenditure_type = models.CharField("支出类型", max_length=16, blank=True)
    expense_class = models.CharField("经费性质", max_length=16, blank=True)
    fund_source = models.CharField("资金来源", max_length=32, blank=True)
    project_code = models.CharField("项目编码", max_length=64, blank=True)
    amount = ExactDecimalField("金额（万元）", null=True, blank=True)
    source = models.TextField("出处", blank=True)
    # The line's record of lines.csv (its columns guarded against formulas, quoted, amounts
    # with two places; no line end), written with the line (budgets.open_lines) so that the
    # bulk CSV on PostgreSQL is a COPY of this one column (budgets.lines_csv).
    csv_row = models.TextField("CSV 记录", editable=False)
    # The line's object in the lines API (its JSON as DRF renders it, sources included),
    # written with the line (budgets.line_records), so that a page of /api/lines/ is its rows'
    # records joined (budgets.api.lines_lane).
    api_json = models.TextField("API 记录", editable=False)

    class Meta:
        verbose_name = "公开明细"
        verbose_name_plural = "公开明细"
        ordering = ["pk"]
        # The filters and orders the lines page and the API offer, each ending in the key so
        # that a page is an index range (keyset pagination) and never a sort of the table.
        indexes = [
            models.Index(fields=["year", "stage", "fact"], name="openline_year_stage"),
            models.Index(fields=["unit_code", "year", "fact"], name="openline_unit_year"),
            models.Index(fields=["subject_code", "year", "fact"], name="openline_code_year"),
            models.Index(fields=["year", "fact"], name="openline_year"),
            # One for each choice filter: a rare value (or one no line has) is then an index
            # range, not a walk through the whole table (200 ms for a view of no lines).
            models.Index(fields=["direction", "fact"], name="openline_direction"),
            models.Index(fields=["breakdown", "fact"], name="openline_breakdown"),
            models.Index(fields=["expenditure_type", "fact"], name="openline_expenditure_type"),
            models.Index(fields=["expense_class", "fact"], name="openline_expense_class"),
            models.Index(fields=["fund_source", "fact"], name="openline_fund_source"),
            # The amount orders, blanks last both ways (budgets.keyset, filters.LINE_ORDERS):
            # the same expressions as the queries, scanned forwards or backwards. PostgreSQL
            # also has prefix indexes on unit_code and subject_code (migration 0011).
            models.Index(
                Coalesce("amount", Value(BLANK_HIGH), output_field=BigIntegerField()),
                F("fact"),
                name="openline_amount_up",
            ),
            models.Index(
                Coalesce("amount", Value(BLANK_LOW), output_field=BigIntegerField()),
                F("fact"),
                name="openline_amount_down",
            ),
        ]

    def __str__(self):
        code = self.subject_code or "全单位"
        return f"{self.year} {self.unit_code} {self.stage} {code} {self.amount}"
