"""Projects with their amounts by year and stage and their cost estimates, in 万元."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from budgets.choices import PublicationKind, Stage
from budgets.models import Citation, ProcurementItem, Project, ProjectAmount, ProjectCostLine
from budgets.rates import Denominator, percent_text, rate
from budgets.summaries.scope import Scope
from budgets.summaries.totals import sum_by

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
    sources: dict = field(default_factory=dict)  # (year, stage) → where it is printed

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
        return rate(self.final, self.adjusted, of=Denominator.ADJUSTED_BUDGET)

    @property
    def completion_rate(self) -> Decimal | None:
        """Executed ÷ initial budget."""
        return rate(self.final, self.initial, of=Denominator.INITIAL_BUDGET)

    def stage_rows(self) -> list[dict]:
        """The project's budget and execution as rows: label, amount or rate, source."""
        year = self.year
        at = {"year": year}
        rows = [
            (_("%(year)s 年年初预算") % at, self.initial, self.source(Stage.INITIAL_BUDGET)),
            (
                _("%(year)s 年全年预算（调整后）") % at,
                self.adjusted,
                self.source(Stage.ADJUSTED_BUDGET),
            ),
            (_("%(year)s 年执行数（决算）") % at, self.final, self.source(Stage.FINAL)),
            (
                _("执行率"),
                percent_text(self.execution_rate),
                _("执行数 ÷ 调整后预算（自评表的算法）"),
            ),
            (_("完成年初预算"), percent_text(self.completion_rate), _("执行数 ÷ 年初预算")),
        ]
        rows += [
            (
                _("%(year)s 年预算安排") % {"year": earlier},
                amount,
                self.source(Stage.INITIAL_BUDGET, earlier),
            )
            for earlier, amount in self.history
        ]
        return [{"label": label, "value": value, "note": note} for label, value, note in rows]

    def source(self, stage: str, year: int | None = None) -> str:
        return _("、").join(self.sources.get((year or self.year, stage), []))

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
    return sum_by(model.objects.filter(project_id__in=project_ids), ("project_id",))


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
    for (project_id, year, stage), amount in sum_by(
        ProjectAmount.objects.filter(project_id__in=ids, publication_id__in=scope.publication_ids),
        ("project_id", "year", "stage"),
    ).items():
        amounts[project_id][(year, stage)] = amount
    sources = defaultdict(lambda: defaultdict(list))
    for project_id, year, stage, kind, code in (
        Citation.objects.filter(project_amount__project_id__in=ids)
        .filter(project_amount__publication_id__in=scope.publication_ids)
        .order_by("section__publication__kind", "section__order")
        .values_list(
            "project_amount__project_id",
            "project_amount__year",
            "project_amount__stage",
            "section__publication__kind",
            "section__code",
        )
    ):
        # "预算表10"; in English "Budget 表10" (the section's code is data).
        where = _("%(kind)s%(code)s") % {"kind": PublicationKind(kind).label, "code": code}
        if where not in sources[project_id][(year, stage)]:
            sources[project_id][(year, stage)].append(where)
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
            sources=dict(sources[project.pk]),
        )
        for project in projects
    ]


def project_amounts(scope: Scope, stage: str) -> list[tuple[str, Decimal | None]]:
    """(project name, amount in 万元) of this year's stage, summed by the database."""
    amounts = ProjectAmount.objects.filter(
        publication_id__in=scope.publication_ids, year=scope.year, stage=stage
    )
    return [
        (name, amount)
        for (_code, name), amount in sum_by(amounts, ("project__code", "project__name")).items()
    ]
