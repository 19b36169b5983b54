"""Projects with their amounts by year and stage and their cost estimates, in 万元."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from budgets.choices import Stage
from budgets.models import ProcurementItem, Project, ProjectAmount, ProjectCostLine
from budgets.rates import percent
from budgets.summaries.scope import Scope

STAGE_ORDER = {stage: index for index, stage in enumerate(Stage.values)}


@dataclass
class ProjectCard:
    """A project with its amounts by (year, stage) in 万元 and its cost estimate."""

    project: object
    amounts: dict
    cost_lines: list
    cost_total: Decimal | None
    procurement: list
    procurement_total: Decimal | None
    links: list
    year: int

    def amount(self, stage: str, year: int | None = None) -> Decimal | None:
        return self.amounts.get((year or self.year, stage))

    @property
    def initial(self):
        return self.amount(Stage.INITIAL_BUDGET)

    @property
    def adjusted(self):
        return self.amount(Stage.ADJUSTED_BUDGET)

    @property
    def final(self):
        return self.amount(Stage.FINAL)

    @property
    def execution_rate(self) -> Decimal | None:
        """Executed ÷ adjusted budget (执行率), the self-evaluation's denominator."""
        return percent(self.final, self.adjusted)

    @property
    def completion_rate(self) -> Decimal | None:
        """Executed ÷ initial budget."""
        return percent(self.final, self.initial)

    @property
    def history(self) -> list[tuple[int, Decimal | None]]:
        """Initial budgets of earlier years as the publications cite them."""
        return sorted(
            (year, amount)
            for (year, stage), amount in self.amounts.items()
            if stage == Stage.INITIAL_BUDGET and year < self.year
        )


def _totals_by_project(model, project_ids) -> dict:
    """Sum of `amount` per project, summed by the database."""
    return dict(
        model.objects.filter(project_id__in=project_ids)
        .values("project_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("project_id", "total")
    )


def project_cards(scope: Scope) -> list[ProjectCard]:
    projects = list(
        Project.objects.filter(amounts__publication_id__in=scope.publication_ids)
        .distinct()
        .select_related("unit", "supervisor")
        .prefetch_related("cost_lines", "procurement_items", "subject_links__subject")
        .order_by("code")
    )
    ids = [project.pk for project in projects]
    amounts = defaultdict(dict)
    for row in (
        ProjectAmount.objects.filter(project_id__in=ids, publication_id__in=scope.publication_ids)
        .values("project_id", "year", "stage")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        amounts[row["project_id"]][(row["year"], row["stage"])] = row["total"]
    cost_totals = _totals_by_project(ProjectCostLine, ids)
    procurement_totals = _totals_by_project(ProcurementItem, ids)
    return [
        ProjectCard(
            project=project,
            amounts=amounts[project.pk],
            cost_lines=list(project.cost_lines.all()),
            cost_total=cost_totals.get(project.pk),
            procurement=list(project.procurement_items.all()),
            procurement_total=procurement_totals.get(project.pk),
            links=sorted(project.subject_links.all(), key=lambda link: STAGE_ORDER[link.stage]),
            year=scope.year,
        )
        for project in projects
    ]
