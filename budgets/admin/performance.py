"""Performance targets and self-evaluations."""

from django.contrib import admin

from budgets.admin.scoping import ONLY_USED, ScopedAdmin, ScopedInline
from budgets.models import (
    EvaluationItem,
    IndicatorPriorValue,
    IndicatorTarget,
    PerformancePlan,
    SelfEvaluation,
)


class IndicatorTargetInline(ScopedInline):
    model = IndicatorTarget
    fields = ["order", "horizon", "level1", "level2", "level3", "target", "basis"]
    extra = 0
    show_change_link = True


@admin.register(PerformancePlan)
class PerformancePlanAdmin(ScopedAdmin):
    list_display = ["section", "scope", "project"]
    list_filter = ["scope"]
    list_select_related = ["section__publication__unit", "project"]
    inlines = [IndicatorTargetInline]


class IndicatorPriorValueInline(ScopedInline):
    model = IndicatorPriorValue
    extra = 0


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(ScopedAdmin):
    list_display = ["level3", "target", "horizon", "level1", "level2", "plan"]
    list_filter = ["horizon", "level1", ("plan", ONLY_USED)]
    search_fields = ["level3", "target"]
    list_select_related = ["plan__section"]
    inlines = [IndicatorPriorValueInline]


class EvaluationItemInline(ScopedInline):
    model = EvaluationItem
    extra = 0


@admin.register(SelfEvaluation)
class SelfEvaluationAdmin(ScopedAdmin):
    list_display = ["section", "scope", "project", "filled_on"]
    list_filter = ["scope"]
    list_select_related = ["section__publication__unit", "project"]
    inlines = [EvaluationItemInline]


@admin.register(IndicatorPriorValue)
class IndicatorPriorValueAdmin(ScopedAdmin):
    list_display = ["target", "year", "value"]
    list_filter = ["year"]
    search_fields = ["target__level3", "value"]
    list_select_related = ["target"]


@admin.register(EvaluationItem)
class EvaluationItemAdmin(ScopedAdmin):
    list_display = ["level3", "level1", "target", "actual", "weight", "score", "evaluation"]
    list_filter = ["kind", "level1", ("evaluation", ONLY_USED)]
    search_fields = ["level1", "level2", "level3"]
    list_select_related = ["evaluation__section"]
