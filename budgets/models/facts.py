"""Amounts as published: facts at their finest published grain, where each is printed, the
totals and narrative figures printed beside them, and the published reasons.

Totals are never stored as facts. A total printed in a table is kept as a PublishedFigure, a
claim of the publication that the reconciliation compares with the sum of the facts.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from budgets.choices import (
    FUND_SOURCE_GROUP_LABELS,
    THREE_PUBLIC_GROUP_LABELS,
    Direction,
    ExpenditureType,
    ExpenseClass,
    ExplanationKind,
    FigureKind,
    FundSource,
    Measure,
    Scheme,
    Stage,
    ThreePublicKind,
)
from budgets.fields import ExactDecimalField
from budgets.formatting import figure_text
from budgets.models.history import audited
from budgets.models.organisation import (
    Publication,
    PublishedQuerySet,
    Section,
    Unit,
    year_validators,
)
from budgets.models.subjects import Subject

MONEY_MEASURES = {
    Measure.EXPENDITURE,
    Measure.INCOME,
    Measure.THREE_PUBLIC,
    Measure.PROJECT,
    Measure.CHANGE,
    Measure.BALANCE,
    Measure.PROJECT_TOTAL_BUDGET,
    Measure.PROCUREMENT,
    Measure.ASSETS,
    Measure.OPERATING_COSTS,
    Measure.PURCHASED_SERVICES,
}
WAN_YUAN = "万元"


def amount_field(verbose_name="金额（万元）", **kwargs):
    """An amount in 万元 with two places, stored as integer yuan; None means printed blank."""
    return ExactDecimalField(
        verbose_name,
        null=True,
        blank=True,
        help_text="以万元为单位，保留两位小数；公开表格中为空白的填空，不要填 0。",
        **kwargs,
    )


NEGATIVE_AMOUNT = "金额不能为负数：公开的预决算表格中没有负数金额。"


def check_amount(instance, errors: dict) -> None:
    """Record the error for a negative amount; the publications print none."""
    if instance.amount is not None and instance.amount < 0:
        errors["amount"] = NEGATIVE_AMOUNT


def unit_belongs_to(unit: Unit, owner: Unit) -> bool:
    """Whether `unit` is `owner` or one of the units below it."""
    node = unit
    while node is not None:
        if node.pk == owner.pk:
            return True
        node = node.parent
    return False


class FactQuerySet(PublishedQuerySet):
    pass


class Fact(models.Model):
    """One amount at the finest grain its publication prints, in 万元.

    Expenditure facts carry a functional subject (项) or an economic subject (款); the two
    classifications are two views of the same money and must never be added together. Income
    facts carry a source and, where the publication breaks income down, a functional subject.
    A fact without a subject is a unit-wide figure reported only as a whole (the adjusted budget
    of the self-evaluation). `amount` None means the row is printed with a blank figure.
    """

    publication = models.ForeignKey(
        Publication, verbose_name="公开文件", on_delete=models.PROTECT, related_name="facts"
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    direction = models.CharField("收支", max_length=16, choices=Direction.choices)
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices)
    subject = models.ForeignKey(
        Subject,
        verbose_name="科目",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facts",
    )
    expenditure_type = models.CharField(
        "支出类型", max_length=16, choices=ExpenditureType.choices, blank=True
    )
    expense_class = models.CharField(
        "经费性质",
        max_length=16,
        choices=ExpenseClass.choices,
        blank=True,
        help_text="公开表格未区分人员经费和公用经费时留空。",
    )
    fund_source = models.CharField(
        "资金来源",
        max_length=32,
        choices=FundSource.choices,
        blank=True,
        help_text="公开文件未区分资金来源时留空。",
    )
    amount = amount_field()

    objects = FactQuerySet.as_manager()

    history = audited()

    class Meta:
        verbose_name = "数据"
        verbose_name_plural = "数据"
        ordering = ["publication", "direction", "stage", "subject__scheme", "subject__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "publication",
                    "unit",
                    "direction",
                    "stage",
                    "subject",
                    "expenditure_type",
                    "expense_class",
                    "fund_source",
                ],
                condition=Q(subject__isnull=False),
                name="one_fact_per_cell",
            ),
            models.UniqueConstraint(
                fields=[
                    "publication",
                    "unit",
                    "direction",
                    "stage",
                    "expenditure_type",
                    "expense_class",
                    "fund_source",
                ],
                condition=Q(subject__isnull=True),
                name="one_unit_wide_fact_per_cell",
            ),
            models.CheckConstraint(
                condition=~Q(direction=Direction.INCOME)
                | (Q(expenditure_type="") & Q(expense_class="")),
                name="income_has_no_expenditure_split",
            ),
        ]
        indexes = [
            models.Index(fields=["publication", "stage", "direction"]),
            # Sums over one year's subjects (the city and department pages, a million facts)
            # start from those subjects and read the facts from this index alone.
            models.Index(
                fields=["subject", "unit", "stage", "direction"],
                include=["publication", "amount"],
                name="fact_subject_unit_stage",
            ),
        ]

    def __str__(self):
        subject = self.subject.code if self.subject_id else "全单位"
        amount = "空白" if self.amount is None else f"{self.amount} 万元"
        return f"{self.get_stage_display()} {self.get_direction_display()} {subject} {amount}"

    @property
    def breakdown(self) -> str:
        return self.subject.scheme if self.subject_id else ""

    def clean(self):
        errors = {}
        check_amount(self, errors)
        publication = self.publication if self.publication_id else None
        if publication is not None:
            if self.unit_id and not unit_belongs_to(self.unit, publication.unit):
                errors["unit"] = (
                    f"单位“{self.unit}”与公开文件的单位“{publication.unit}”不一致，"
                    "数据只能属于公开文件的单位或其下属单位。"
                )
            if self.stage and self.stage not in publication.allowed_stages:
                allowed = "、".join(
                    str(Stage(stage).label) for stage in sorted(publication.allowed_stages)
                )
                errors["stage"] = (
                    f"{publication.get_kind_display()}公开文件只能录入{allowed}数，"
                    f"不能录入{Stage(self.stage).label}数。"
                )
            if self.subject_id and self.subject.year != publication.year:
                errors["subject"] = (
                    f"科目年度（{self.subject.year}）与公开文件年度（{publication.year}）不一致。"
                )
        if self.subject_id and "subject" not in errors:
            subject = self.subject
            if not subject.is_leaf_level:
                leaf = "项级（7 位）" if subject.scheme == Scheme.FUNCTIONAL else "款级（5 位）"
                errors["subject"] = (
                    f"{subject.get_scheme_display()}数据应录入到{leaf}科目；"
                    f"“{subject.code}”是{subject.level_name}级科目，类、款合计由系统按编码汇总。"
                )
            elif self.direction == Direction.INCOME and subject.scheme != Scheme.FUNCTIONAL:
                errors["subject"] = "收入数据只能按支出功能分类科目细分。"
        if self.direction == Direction.INCOME and (self.expenditure_type or self.expense_class):
            errors["expenditure_type"] = "收入数据不区分基本支出和项目支出，请留空。"
        if (
            self.direction == Direction.EXPENDITURE
            and self.subject_id
            and not self.expenditure_type
        ):
            errors["expenditure_type"] = "请选择基本支出或项目支出。"
        if self.expense_class and self.expenditure_type == ExpenditureType.PROJECT:
            errors["expense_class"] = "人员经费、公用经费只用于细分基本支出。"
        if errors:
            raise ValidationError(errors)


class ThreePublicExpense(models.Model):
    """The three public expenses (三公经费) by kind and stage, in 万元; None means blank."""

    publication = models.ForeignKey(
        Publication,
        verbose_name="公开文件",
        on_delete=models.PROTECT,
        related_name="three_public_expenses",
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices)
    kind = models.CharField("项目", max_length=24, choices=ThreePublicKind.choices)
    amount = amount_field()

    objects = PublishedQuerySet.as_manager()

    history = audited()

    class Meta:
        verbose_name = "“三公”经费"
        verbose_name_plural = "“三公”经费"
        ordering = ["publication", "stage", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "unit", "stage", "kind"], name="one_three_public_per_cell"
            )
        ]

    def __str__(self):
        amount = "空白" if self.amount is None else f"{self.amount} 万元"
        return f"{self.get_stage_display()} {self.get_kind_display()} {amount}"

    def clean(self):
        errors = {}
        check_amount(self, errors)
        if self.publication_id and self.stage not in self.publication.allowed_stages:
            errors["stage"] = (
                f"{self.publication.get_kind_display()}公开文件不能录入{Stage(self.stage).label}数。"
            )
        if (
            self.publication_id
            and self.unit_id
            and not unit_belongs_to(self.unit, self.publication.unit)
        ):
            errors["unit"] = f"单位“{self.unit}”与公开文件的单位“{self.publication.unit}”不一致。"
        if errors:
            raise ValidationError(errors)


class PrintedCell(models.Model):
    """Where a figure is printed: a cell of a table, or a statement in a narrative section."""

    section = models.ForeignKey(Section, verbose_name="表格或章节", on_delete=models.CASCADE)
    row_order = models.PositiveIntegerField("行次")
    row_code = models.CharField("行编码", max_length=32, blank=True)
    row_label = models.CharField("行名称", max_length=300)
    part = models.CharField(
        "部分", max_length=40, blank=True, help_text="收支对照的表格分“收入”“支出”两部分。"
    )
    column = models.CharField("栏目", max_length=120)
    printed_text = models.CharField(
        "原文",
        max_length=120,
        blank=True,
        help_text="公开文件中的原样文字，包括识别噪声，如“306, 12”。",
    )

    class Meta:
        abstract = True

    def clean_cell(self, errors: dict):
        if not self.section_id:
            return
        columns = self.section.columns_of(self.part)
        if columns is None:
            errors["part"] = f"{self.section.code}没有名为“{self.part}”的部分。"
        elif columns and self.column not in columns:
            errors["column"] = (
                f"“{self.column}”不是{self.section.code}的栏目，可选：{'、'.join(columns)}。"
            )


class Citation(PrintedCell):
    """One place where a stored amount is printed; a figure repeated in several tables has one
    citation per table."""

    fact = models.ForeignKey(
        Fact,
        verbose_name="数据",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    three_public = models.ForeignKey(
        ThreePublicExpense,
        verbose_name="“三公”经费",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    project_amount = models.ForeignKey(
        "budgets.ProjectAmount",
        verbose_name="项目金额",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )

    history = audited()

    class Meta:
        verbose_name = "出处"
        verbose_name_plural = "出处"
        ordering = ["section", "row_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(fact__isnull=False, three_public__isnull=True, project_amount__isnull=True)
                    | Q(fact__isnull=True, three_public__isnull=False, project_amount__isnull=True)
                    | Q(fact__isnull=True, three_public__isnull=True, project_amount__isnull=False)
                ),
                name="citation_cites_exactly_one_amount",
            ),
        ]
        indexes = [models.Index(fields=["section", "row_order"])]

    def __str__(self):
        return f"{self.section.code} {self.row_code} {self.row_label} / {self.column}".strip()

    @property
    def target(self):
        return self.fact or self.three_public or self.project_amount

    @property
    def amount(self):
        return self.target.amount

    def clean(self):
        errors = {}
        self.clean_cell(errors)
        targets = [t for t in (self.fact, self.three_public, self.project_amount) if t is not None]
        if len(targets) != 1:
            errors["fact"] = "每条出处必须且只能指向一条数据。"
        elif self.section_id and targets[0].publication_id != self.section.publication_id:
            errors["section"] = "出处的表格与所引用数据属于不同的公开文件。"
        if errors:
            raise ValidationError(errors)


class PublishedFigure(PrintedCell):
    """A figure printed in a publication that is not a stored fact: a total, a narrative
    statement, a rate, a count, or a figure about another year. Kept as published and never
    used to compute anything; the reconciliation compares the derivable ones with the facts.

    The fields from `unit` to `project` say what the figure measures; blank means "all".
    `value` is exact: 万元 with two places for money, percentage points for rates.
    """

    kind = models.CharField("来源类型", max_length=16, choices=FigureKind.choices)
    measure = models.CharField("指标", max_length=32, choices=Measure.choices)
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("所属年度", validators=year_validators)
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices, blank=True)
    scheme = models.CharField("分类", max_length=16, choices=Scheme.choices, blank=True)
    subject_code = models.CharField("科目编码", max_length=7, blank=True)
    expenditure_type = models.CharField(
        "支出类型", max_length=16, choices=ExpenditureType.choices, blank=True
    )
    expense_class = models.CharField(
        "经费性质", max_length=16, choices=ExpenseClass.choices, blank=True
    )
    fund_source = models.CharField(
        "资金来源",
        max_length=32,
        choices=[*FundSource.choices, *FUND_SOURCE_GROUP_LABELS.items()],
        blank=True,
    )
    three_public_kind = models.CharField(
        "“三公”经费项目",
        max_length=24,
        choices=[*ThreePublicKind.choices, *THREE_PUBLIC_GROUP_LABELS.items()],
        blank=True,
    )
    project = models.ForeignKey(
        "budgets.Project",
        verbose_name="项目",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_figures",
    )
    value = ExactDecimalField(
        "数值", null=True, blank=True, help_text="空白表示公开文件中该处为空。"
    )
    unit_of_measure = models.CharField("计量单位", max_length=16, default=WAN_YUAN)
    note = models.TextField("备注", blank=True)

    history = audited()

    class Meta:
        verbose_name = "公开数"
        verbose_name_plural = "公开数"
        ordering = ["section", "row_order", "pk"]
        indexes = [models.Index(fields=["section", "row_order"])]

    def __str__(self):
        value = "空白" if self.value is None else f"{self.value} {self.unit_of_measure}"
        return f"{self.section.code} {self.row_label} / {self.column}: {value}"

    @property
    def is_money(self) -> bool:
        return self.measure in MONEY_MEASURES

    @property
    def text(self) -> str:
        """The figure as pages show it (words as printed; 万元 with two places)."""
        return figure_text(self.value, self.unit_of_measure, self.printed_text)

    def clean(self):
        errors = {}
        self.clean_cell(errors)
        if self.measure in MONEY_MEASURES and self.unit_of_measure != WAN_YUAN:
            errors["unit_of_measure"] = f"{Measure(self.measure).label}的计量单位应为万元。"
        if self.subject_code and not self.scheme:
            errors["scheme"] = "填写科目编码时请选择分类。"
        non_negative = MONEY_MEASURES - {Measure.CHANGE}
        if self.value is not None and self.measure in non_negative and self.value < 0:
            errors["value"] = "金额不能为负数（比上年增减额除外）。"
        if self.section_id and self.unit_id:
            owner = self.section.publication.unit
            if not (unit_belongs_to(self.unit, owner) or unit_belongs_to(owner, self.unit)):
                errors["unit"] = f"单位“{self.unit}”与公开文件的单位“{owner}”无隶属关系。"
        if errors:
            raise ValidationError(errors)


class Explanation(models.Model):
    """A published text about a line: the reason for a variance or a change, what it is used
    for, or what a subject means (名词解释)."""

    section = models.ForeignKey(
        Section, verbose_name="章节", on_delete=models.CASCADE, related_name="explanations"
    )
    kind = models.CharField("类型", max_length=24, choices=ExplanationKind.choices)
    order = models.PositiveSmallIntegerField("顺序")
    subject = models.ForeignKey(
        Subject,
        verbose_name="科目",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="explanations",
    )
    label = models.CharField("条目", max_length=300, help_text="原文中的条目名称。")
    text = models.TextField("内容")

    history = audited()

    class Meta:
        verbose_name = "说明"
        verbose_name_plural = "说明"
        ordering = ["section", "order"]

    def __str__(self):
        return f"{self.section.code} {self.label}"

    def clean(self):
        if (
            self.subject_id
            and self.section_id
            and self.subject.year != self.section.publication.year
        ):
            raise ValidationError({"subject": "科目年度与公开文件年度不一致。"})
