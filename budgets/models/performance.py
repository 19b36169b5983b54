"""Performance targets (绩效目标, set with the budget) and self-evaluations (绩效自评, reported
with the final accounts), unit-wide or per project."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from budgets.choices import EvaluationScope, Horizon
from budgets.fields import ExactDecimalField
from budgets.measurements import Measurement, is_met, parse_measurement
from budgets.models.history import audited
from budgets.models.organisation import PublishedQuerySet, Section, year_validators
from budgets.models.projects import Project


class TargetQuerySet(PublishedQuerySet):
    publication_path = "plan__section__publication"


class EvaluationItemQuerySet(PublishedQuerySet):
    publication_path = "evaluation__section__publication"


class PerformanceTable(models.Model):
    """A performance table of a publication, unit-wide or for one project."""

    section = models.OneToOneField(
        Section, verbose_name="表格", on_delete=models.CASCADE, related_name="%(class)s"
    )
    scope = models.CharField("范围", max_length=16, choices=EvaluationScope.choices)
    project = models.ForeignKey(
        Project,
        verbose_name="项目",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )

    class Meta:
        abstract = True
        ordering = ["section"]

    def __str__(self):
        return str(self.section)

    def clean(self):
        if self.scope == EvaluationScope.PROJECT and not self.project_id:
            raise ValidationError({"project": "项目绩效请选择项目。"})
        if self.scope == EvaluationScope.UNIT and self.project_id:
            raise ValidationError({"project": "单位整体绩效不对应具体项目，请清空项目。"})


class PerformancePlan(PerformanceTable):
    """A performance target table of a budget: unit-wide (整体支出) or for one project."""

    functions = models.TextField("单位职能概述", blank=True)
    work_tasks = models.TextField("年度工作任务", blank=True)
    overall_goal = models.TextField("总目标", blank=True)
    long_term_goal = models.TextField("长期目标", blank=True)
    annual_goal = models.TextField("年度目标", blank=True)

    history = audited()

    class Meta(PerformanceTable.Meta):
        verbose_name = "绩效目标表"
        verbose_name_plural = "绩效目标表"


class IndicatorTarget(models.Model):
    """One indicator of a target table, its value exactly as published ("≥85%")."""

    plan = models.ForeignKey(
        PerformancePlan, verbose_name="绩效目标表", on_delete=models.CASCADE, related_name="targets"
    )
    horizon = models.CharField("目标期限", max_length=16, choices=Horizon.choices)
    order = models.PositiveSmallIntegerField("顺序")
    level1 = models.CharField("一级指标", max_length=60)
    level2 = models.CharField("二级指标", max_length=60)
    level3 = models.CharField("三级指标", max_length=200)
    target = models.CharField("指标值", max_length=60, help_text="按公开原文填写，如“≥85%”。")
    basis = models.CharField("指标值确定依据", max_length=60, blank=True)

    objects = TargetQuerySet.as_manager()

    history = audited()

    class Meta:
        verbose_name = "绩效指标"
        verbose_name_plural = "绩效指标"
        ordering = ["plan", "horizon", "order"]

    def __str__(self):
        return f"{self.level3} {self.target}"

    @property
    def parsed_target(self) -> Measurement | None:
        return parse_measurement(self.target)


class IndicatorPriorValue(models.Model):
    """An indicator's value in an earlier year, as the target table cites it."""

    target = models.ForeignKey(
        IndicatorTarget,
        verbose_name="绩效指标",
        on_delete=models.CASCADE,
        related_name="prior_values",
    )
    year = models.PositiveSmallIntegerField("年度", validators=year_validators)
    value = models.CharField("指标值", max_length=60)

    history = audited()

    class Meta:
        verbose_name = "以前年度指标值"
        verbose_name_plural = "以前年度指标值"
        ordering = ["target", "year"]
        constraints = [
            models.UniqueConstraint(fields=["target", "year"], name="one_prior_value_per_year")
        ]

    def __str__(self):
        return f"{self.year} 年 {self.value}"


class SelfEvaluation(PerformanceTable):
    """A self-evaluation table of final accounts: unit-wide or for one project."""

    filled_on = models.DateField("填报日期", null=True, blank=True)
    annual_goal = models.TextField("年度目标", blank=True)
    deviation_reasons = models.TextField("偏差大或目标未完成原因分析", blank=True)
    remedies = models.TextField("改进措施及结果应用方案", blank=True)

    history = audited()

    class Meta(PerformanceTable.Meta):
        verbose_name = "绩效自评表"
        verbose_name_plural = "绩效自评表"


class EvaluationItem(models.Model):
    """A scored line of a self-evaluation: the budget-execution item or an indicator.

    Scores and weights are points (分); the published total is the sum of the item scores.
    """

    class Kind(models.TextChoices):
        BUDGET_EXECUTION = "budget_execution", _("预算执行情况")
        INDICATOR = "indicator", _("绩效指标")

    evaluation = models.ForeignKey(
        SelfEvaluation, verbose_name="绩效自评表", on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField("顺序")
    kind = models.CharField("类型", max_length=24, choices=Kind.choices, default=Kind.INDICATOR)
    level1 = models.CharField("一级指标", max_length=60)
    level2 = models.CharField("二级指标", max_length=60, blank=True)
    level3 = models.CharField("三级指标", max_length=200, blank=True)
    weight = ExactDecimalField("分值", scale=2)
    target = models.CharField("年初目标值", max_length=60, blank=True)
    actual = models.CharField("实际完成值", max_length=60, blank=True)
    score = ExactDecimalField("得分", scale=2, null=True, blank=True)

    objects = EvaluationItemQuerySet.as_manager()

    history = audited()

    class Meta:
        verbose_name = "自评指标"
        verbose_name_plural = "自评指标"
        ordering = ["evaluation", "order"]

    def __str__(self):
        return f"{self.level3 or self.level1} {self.score}/{self.weight}"

    @property
    def parsed_target(self) -> Measurement | None:
        return parse_measurement(self.target)

    @property
    def parsed_actual(self) -> Measurement | None:
        return parse_measurement(self.actual)

    @property
    def met(self) -> bool | None:
        return is_met(self.parsed_target, self.parsed_actual)

    def clean(self):
        errors = {}
        if self.weight is not None and self.weight <= 0:
            errors["weight"] = "分值应大于 0。"
        if self.score is not None and self.weight is not None:
            if self.score < 0:
                errors["score"] = "得分不能为负数。"
            elif self.score > self.weight:
                errors["score"] = f"得分（{self.score}）不能超过分值（{self.weight}）。"
        if errors:
            raise ValidationError(errors)
