"""Projects (项目支出): their amounts by year and stage, cost lines, purchases, and the links to
functional lines that the publications imply but do not print."""

from django.core.exceptions import ValidationError
from django.db import models

from budgets.choices import FundSource, Scheme, Stage
from budgets.models.facts import amount_field, check_amount
from budgets.models.history import audited
from budgets.models.organisation import (
    Publication,
    PublishedQuerySet,
    Section,
    Unit,
    year_validators,
)
from budgets.models.subjects import Subject


class ProjectQuerySet(PublishedQuerySet):
    """`published()`: projects with an amount in a published publication, once each."""

    publication_path = "amounts__publication"

    def published(self):
        return super().published().distinct()


class CostLineQuerySet(PublishedQuerySet):
    publication_path = "section__publication"


class ProjectManager(models.Manager.from_queryset(ProjectQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Project(models.Model):
    """A project as described in the budget's project tables and the self-evaluation."""

    code = models.CharField(
        "项目编码", max_length=40, unique=True, help_text="项目编码含字母，按文本保存。"
    )
    name = models.CharField("项目名称", max_length=200)
    name_en = models.CharField(
        "英文名称",
        max_length=200,
        blank=True,
        help_text="英文页面显示的项目名称，可留空（留空时英文页面显示中文名称）。",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="项目单位", on_delete=models.PROTECT, related_name="projects"
    )
    supervisor = models.ForeignKey(
        Unit,
        verbose_name="主管部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_projects",
    )
    group_code = models.CharField("项目分组编码", max_length=16, blank=True)
    group_name = models.CharField("项目分组", max_length=100, blank=True)
    category = models.CharField("支出项目类别", max_length=40, blank=True)
    attribute = models.CharField("项目属性", max_length=40, blank=True)
    project_type = models.CharField("项目类型", max_length=40, blank=True)
    programme = models.CharField("项目类别", max_length=40, blank=True)
    start_year = models.PositiveSmallIntegerField(
        "起始年度", null=True, blank=True, validators=year_validators
    )
    end_year = models.PositiveSmallIntegerField(
        "终止年度", null=True, blank=True, validators=year_validators
    )
    purpose = models.TextField("主要支出方向和用途", blank=True)
    application_reason = models.TextField("项目申请理由", blank=True)
    implementation_plan = models.TextField("项目实施方案", blank=True)

    objects = ProjectManager()

    history = audited()

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def natural_key(self):
        return (self.code,)

    natural_key.dependencies = ["budgets.unit"]

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "终止年度不能早于起始年度。"})


class ProjectAmount(models.Model):
    """A project's amount for one year and stage, in 万元, as given in one publication.

    Earlier years appear as the publications cite them (the 2024 budget gives the 2022 and
    2023 budgets of the project)."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="amounts"
    )
    publication = models.ForeignKey(
        Publication,
        verbose_name="公开文件",
        on_delete=models.PROTECT,
        related_name="project_amounts",
    )
    year = models.PositiveSmallIntegerField("所属年度", validators=year_validators)
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices)
    fund_source = models.CharField(
        "资金来源",
        max_length=32,
        choices=FundSource.choices,
        blank=True,
        help_text="公开文件未区分资金来源时留空。",
    )
    amount = amount_field()

    objects = PublishedQuerySet.as_manager()

    history = audited()

    class Meta:
        verbose_name = "项目金额"
        verbose_name_plural = "项目金额"
        ordering = ["project", "year", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "publication", "year", "stage", "fund_source"],
                name="one_project_amount_per_cell",
            )
        ]

    def __str__(self):
        amount = "空白" if self.amount is None else f"{self.amount} 万元"
        return f"{self.project.name} {self.year} 年{self.get_stage_display()} {amount}"

    def clean(self):
        errors = {}
        check_amount(self, errors)
        if self.publication_id and self.year and self.year > self.publication.year:
            errors["year"] = "公开文件不能给出晚于其年度的项目金额。"
        if (
            self.publication_id
            and self.year == self.publication.year
            and self.stage not in self.publication.allowed_stages
        ):
            errors["stage"] = (
                f"{self.publication.get_kind_display()}公开文件不能录入本年度"
                f"{Stage(self.stage).label}数。"
            )
        if errors:
            raise ValidationError(errors)


class ProjectSubjectLink(models.Model):
    """Which functional lines a project's money is recorded under.

    The publications do not print this link; where it is worked out from the figures, it is
    marked as inferred and the reasoning is kept in `basis`."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="subject_links"
    )
    subject = models.ForeignKey(
        Subject, verbose_name="功能分类科目", on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices)
    inferred = models.BooleanField("推断", default=True, help_text="公开文件未直接载明时勾选。")
    basis = models.TextField("依据", blank=True)

    history = audited()

    class Meta:
        verbose_name = "项目对应科目"
        verbose_name_plural = "项目对应科目"
        ordering = ["project", "stage", "subject__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "subject", "stage"], name="one_link_per_project_subject_stage"
            )
        ]

    def __str__(self):
        return f"{self.project.name} → {self.subject}"

    def clean(self):
        if self.subject_id and self.subject.scheme != Scheme.FUNCTIONAL:
            raise ValidationError({"subject": "项目只能对应支出功能分类科目。"})
        if self.inferred and not self.basis.strip():
            raise ValidationError({"basis": "推断的对应关系请写明依据。"})


class ProjectCostLine(models.Model):
    """A line of a project's cost estimate (项目支出明细测算), in 万元.

    `economic_name` is printed; `economic_code` is the matching 款 of the economic
    classification, filled in by name because the publication prints no code."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="cost_lines"
    )
    section = models.ForeignKey(
        Section, verbose_name="表格", on_delete=models.CASCADE, related_name="cost_lines"
    )
    order = models.PositiveSmallIntegerField("顺序")
    activity = models.CharField("项目活动", max_length=100)
    description = models.CharField("活动内容表述", max_length=300, blank=True)
    economic_name = models.CharField("支出经济分类", max_length=100)
    economic_code = models.CharField(
        "经济分类编码（推断）", max_length=5, blank=True, help_text="按名称对应的款级编码。"
    )
    amount = amount_field()
    basis = models.CharField("测算依据及说明", max_length=300, blank=True)
    remark = models.CharField("备注", max_length=200, blank=True)

    objects = CostLineQuerySet.as_manager()

    history = audited()

    class Meta:
        verbose_name = "项目支出明细测算"
        verbose_name_plural = "项目支出明细测算"
        ordering = ["project", "section", "order"]

    def __str__(self):
        return f"{self.activity} {self.economic_name} {self.amount}"

    def clean(self):
        errors = {}
        check_amount(self, errors)
        if self.economic_code and not (
            self.economic_code.isdigit() and len(self.economic_code) == 5
        ):
            errors["economic_code"] = "经济分类款级编码应为 5 位数字。"
        if errors:
            raise ValidationError(errors)


class ProcurementItem(models.Model):
    """A planned purchase of a project (项目采购), in 万元."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="procurement_items"
    )
    section = models.ForeignKey(
        Section, verbose_name="表格", on_delete=models.CASCADE, related_name="procurement_items"
    )
    order = models.PositiveSmallIntegerField("顺序")
    item = models.CharField("品名", max_length=200)
    quantity = models.CharField("数量", max_length=40, blank=True)
    amount = amount_field()

    history = audited()

    class Meta:
        verbose_name = "项目采购"
        verbose_name_plural = "项目采购"
        ordering = ["project", "section", "order"]

    def __str__(self):
        return f"{self.item} {self.quantity} {self.amount}"

    def clean(self):
        errors = {}
        check_amount(self, errors)
        if errors:
            raise ValidationError(errors)
