"""Expenditure by stage and by classification, and the three public expenses, in 万元."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q, Sum
from django.db.models.functions import Substr

from budgets.choices import (
    LEVEL_LENGTHS,
    Direction,
    ExplanationKind,
    Scheme,
    Stage,
    ThreePublicKind,
)
from budgets.models import Explanation, Fact, Subject, ThreePublicExpense
from budgets.rates import percent, percent_text
from budgets.summaries.scope import Scope

NOT_BUDGETED = "年初预算未安排"


@dataclass(frozen=True)
class StageTotals:
    """Expenditure totals by stage in 万元 (functional breakdown; adjusted budget as reported)."""

    initial: Decimal | None
    initial_basic: Decimal | None
    initial_project: Decimal | None
    final: Decimal | None
    final_basic: Decimal | None
    final_project: Decimal | None
    adjusted: Decimal | None
    initial_personnel: Decimal | None = None
    initial_public: Decimal | None = None
    final_personnel: Decimal | None = None
    final_public: Decimal | None = None

    @property
    def completion_rate(self) -> Decimal | None:
        """Final ÷ initial budget (完成年初预算), as the final accounts' explanation states it."""
        return percent(self.final, self.initial)

    @property
    def execution_rate(self) -> Decimal | None:
        """Final ÷ adjusted budget (执行率), as the self-evaluation states it."""
        return percent(self.final, self.adjusted)

    @property
    def difference(self) -> Decimal | None:
        """Final minus initial budget."""
        if self.final is None or self.initial is None:
            return None
        return self.final - self.initial

    @property
    def initial_basic_share(self) -> Decimal | None:
        return percent(self.initial_basic, self.initial)

    @property
    def initial_project_share(self) -> Decimal | None:
        return percent(self.initial_project, self.initial)

    @property
    def final_basic_share(self) -> Decimal | None:
        return percent(self.final_basic, self.final)

    @property
    def final_project_share(self) -> Decimal | None:
        return percent(self.final_project, self.final)


def stage_totals(scope: Scope) -> StageTotals:
    functional = Q(subject__scheme=Scheme.FUNCTIONAL)
    initial = functional & Q(stage=Stage.INITIAL_BUDGET)
    final = functional & Q(stage=Stage.FINAL)
    totals = Fact.objects.filter(
        publication_id__in=scope.publication_ids, direction=Direction.EXPENDITURE
    ).aggregate(
        initial=Sum("amount", filter=initial),
        initial_basic=Sum("amount", filter=initial & Q(expenditure_type="basic")),
        initial_project=Sum("amount", filter=initial & Q(expenditure_type="project")),
        final=Sum("amount", filter=final),
        final_basic=Sum("amount", filter=final & Q(expenditure_type="basic")),
        final_project=Sum("amount", filter=final & Q(expenditure_type="project")),
        adjusted=Sum("amount", filter=Q(stage=Stage.ADJUSTED_BUDGET, subject=None)),
        **{
            f"{field}_{expense_class}": Sum(
                "amount",
                filter=Q(stage=stage, subject__scheme=Scheme.ECONOMIC, expense_class=expense_class),
            )
            for field, stage in (("initial", Stage.INITIAL_BUDGET), ("final", Stage.FINAL))
            for expense_class in ("personnel", "public")
        },
    )
    return StageTotals(**totals)


@dataclass
class ComparisonRow:
    """One code of a classification with its initial budget and final figure, in 万元."""

    code: str
    name: str
    level: int
    initial: Decimal | None
    final: Decimal | None
    expense_class: str = ""
    reason: str = ""
    url: str = ""  # the subject's page, set by the view

    @property
    def difference(self) -> Decimal | None:
        if self.initial is None or self.final is None:
            return None
        return self.final - self.initial

    @property
    def rate(self) -> Decimal | None:
        """Final ÷ initial budget, in percent."""
        return percent(self.final, self.initial)

    @property
    def rate_text(self) -> str:
        if self.initial is None and self.final is not None:
            return NOT_BUDGETED
        return percent_text(self.rate)

    @property
    def is_blank(self) -> bool:
        return self.initial is None and self.final is None

    @property
    def change(self) -> Decimal | None:
        """What the line adds to the way from initial budget to final: a line printed in one
        stage only counts as nothing in the other (决算 2080799 31.00 was 年初预算未安排)."""
        if self.is_blank:
            return None
        return (self.final or Decimal(0)) - (self.initial or Decimal(0))


def _amounts_by_prefix(scope: Scope, scheme: str, prefix: str = "") -> list[dict]:
    """Initial and final sums for every code and every prefix of it, in one query; with a
    prefix, for that code and the codes below it."""
    facts = Fact.objects.filter(
        publication_id__in=scope.publication_ids,
        direction=Direction.EXPENDITURE,
        subject__scheme=scheme,
        subject__code__startswith=prefix,
    ).order_by()
    lengths = [n for n in LEVEL_LENGTHS[Scheme(scheme)] if n >= len(prefix)]
    levels = [
        facts.annotate(code=Substr("subject__code", 1, length))
        .values("code")
        .annotate(
            initial=Sum("amount", filter=Q(stage=Stage.INITIAL_BUDGET)),
            final=Sum("amount", filter=Q(stage=Stage.FINAL)),
            expense_class=Max("expense_class"),
        )
        for length in lengths
    ]
    return list(levels[0].union(*levels[1:], all=True))


def _reasons(scope: Scope, scheme: str, prefix: str = "") -> dict[str, str]:
    if scope.final is None:
        return {}
    explanations = Explanation.objects.filter(
        section__publication=scope.final,
        kind=ExplanationKind.VARIANCE_REASON,
        subject__scheme=scheme,
        subject__code__startswith=prefix,
    ).values_list("subject__code", "text")
    return dict(explanations)


def comparison(scope: Scope, scheme: str, prefix: str = "") -> list[ComparisonRow]:
    """The 类/款(/项) tree of one classification, in code order, initial budget beside final;
    with a prefix, only that code and the codes below it.

    A code printed in one stage only has None on the other side; a code printed blank in both
    has None on both (see ComparisonRow.is_blank).
    """
    amounts = _amounts_by_prefix(scope, scheme, prefix)
    names = dict(
        Subject.objects.filter(
            scheme=scheme, year=scope.year, code__in=[row["code"] for row in amounts]
        ).values_list("code", "name")
    )
    reasons = _reasons(scope, scheme, prefix)
    lengths = LEVEL_LENGTHS[Scheme(scheme)]
    rows = [
        ComparisonRow(
            code=row["code"],
            name=names.get(row["code"], ""),
            level=lengths.index(len(row["code"])),
            initial=row["initial"],
            final=row["final"],
            expense_class=row["expense_class"] or "",
            reason=reasons.get(row["code"], ""),
        )
        for row in amounts
    ]
    return sorted(rows, key=lambda row: row.code)


@dataclass
class ThreePublicRow:
    kind: str
    label: str
    initial: Decimal | None
    adjusted: Decimal | None
    final: Decimal | None
    indent: int = 0
    is_total: bool = False


THREE_PUBLIC_ROWS = [
    # (kind or group, label, indent)
    ("", "“三公”经费合计", 0),
    (ThreePublicKind.OUTBOUND_TRAVEL, ThreePublicKind.OUTBOUND_TRAVEL.label, 1),
    ("vehicle", "公务用车购置及运行维护费", 1),
    (ThreePublicKind.VEHICLE_PURCHASE, ThreePublicKind.VEHICLE_PURCHASE.label, 2),
    (ThreePublicKind.VEHICLE_RUNNING, ThreePublicKind.VEHICLE_RUNNING.label, 2),
    (ThreePublicKind.RECEPTION, ThreePublicKind.RECEPTION.label, 1),
]
STAGE_FIELDS = {
    Stage.INITIAL_BUDGET: "initial",
    Stage.ADJUSTED_BUDGET: "adjusted",
    Stage.FINAL: "final",
}


def three_public(scope: Scope) -> list[ThreePublicRow]:
    """三公经费 by kind and stage, with the total and vehicle subtotal summed by the database.

    A stage the publications do not report at all has None everywhere; a kind printed blank is
    None, not zero.
    """
    expenses = ThreePublicExpense.objects.filter(publication_id__in=scope.publication_ids)
    printed = {
        (kind, stage): amount
        for kind, stage, amount in expenses.values_list("kind", "stage", "amount")
    }
    vehicle = Q(kind__in=[ThreePublicKind.VEHICLE_PURCHASE, ThreePublicKind.VEHICLE_RUNNING])
    sums = expenses.aggregate(
        **{f"total_{stage}": Sum("amount", filter=Q(stage=stage)) for stage in STAGE_FIELDS},
        **{
            f"vehicle_{stage}": Sum("amount", filter=Q(stage=stage) & vehicle)
            for stage in STAGE_FIELDS
        },
    )
    rows = []
    for kind, label, indent in THREE_PUBLIC_ROWS:
        if kind in ("", "vehicle"):
            prefix = "total" if kind == "" else "vehicle"
            values = {field: sums[f"{prefix}_{stage}"] for stage, field in STAGE_FIELDS.items()}
        else:
            values = {field: printed.get((kind, stage)) for stage, field in STAGE_FIELDS.items()}
        rows.append(
            ThreePublicRow(
                kind=kind, label=label, indent=indent, is_total=kind in ("", "vehicle"), **values
            )
        )
    return rows
