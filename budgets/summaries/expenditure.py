"""Expenditure by stage and by classification, and the three public expenses, in 万元."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils.translation import gettext_lazy

from budgets.choices import (
    LEVEL_LENGTHS,
    THREE_PUBLIC_GROUP_LABELS,
    THREE_PUBLIC_GROUPS,
    ExplanationKind,
    Scheme,
    Stage,
    ThreePublicKind,
)
from budgets.models import Explanation, Subject
from budgets.rates import Denominator, percent_text, rate
from budgets.summaries import totals
from budgets.summaries.scope import Scope
from budgets.summaries.totals import Slice, StageTotals

NOT_BUDGETED = gettext_lazy("年初预算未安排")


def stage_totals(scope: Scope) -> StageTotals:
    """The stage totals of the scope's publications (see totals.StageTotals), in one query."""
    return totals.stage_totals(totals.facts_of(publications=scope.publication_ids))


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
    name_en: str = ""  # the English name staff gave the subject (budgets.i18n.local_name)

    @property
    def difference(self) -> Decimal | None:
        if self.initial is None or self.final is None:
            return None
        return self.final - self.initial

    @property
    def rate(self) -> Decimal | None:
        """Final ÷ initial budget, in percent."""
        return rate(self.final, self.initial, of=Denominator.INITIAL_BUDGET)

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
    amounts = totals.by_code(
        totals.facts_of(publications=scope.publication_ids),
        scheme,
        {"initial": Slice(Stage.INITIAL_BUDGET, scheme), "final": Slice(Stage.FINAL, scheme)},
        prefix,
        extra={"expense_class": Max("expense_class")},
    )
    names = {
        code: (name, name_en)
        for code, name, name_en in Subject.objects.filter(
            scheme=scheme, year=scope.year, code__in=[row["code"] for row in amounts]
        ).values_list("code", "name", "name_en")
    }
    reasons = _reasons(scope, scheme, prefix)
    lengths = LEVEL_LENGTHS[Scheme(scheme)]
    rows = [
        ComparisonRow(
            code=row["code"],
            name=names.get(row["code"], ("", ""))[0],
            name_en=names.get(row["code"], ("", ""))[1],
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


VEHICLE = "vehicle"  # the group of THREE_PUBLIC_GROUPS the publications print as a subtotal
THREE_PUBLIC_ROWS = [
    # (kind or group, label, indent); "" is the total
    ("", gettext_lazy("“三公”经费合计"), 0),
    (ThreePublicKind.OUTBOUND_TRAVEL, ThreePublicKind.OUTBOUND_TRAVEL.label, 1),
    (VEHICLE, THREE_PUBLIC_GROUP_LABELS[VEHICLE], 1),
    *((kind, kind.label, 2) for kind in THREE_PUBLIC_GROUPS[VEHICLE]),
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
    expenses = totals.three_public_expenses(publications=scope.publication_ids)
    printed = {
        (kind, stage): amount
        for kind, stage, amount in expenses.values_list("kind", "stage", "amount")
    }
    sums = totals.three_public_sums(expenses, STAGE_FIELDS)
    rows = []
    for kind, label, indent in THREE_PUBLIC_ROWS:
        is_total = kind == "" or kind in THREE_PUBLIC_GROUPS
        source = sums if is_total else printed
        values = {field: source.get((kind, stage)) for stage, field in STAGE_FIELDS.items()}
        rows.append(
            ThreePublicRow(kind=kind, label=label, indent=indent, is_total=is_total, **values)
        )
    return rows
