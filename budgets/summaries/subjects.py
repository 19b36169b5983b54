"""One classification subject of a unit's year: its figures, its children, what the
publications say about it."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from budgets.choices import Stage
from budgets.models import Explanation, PublishedFigure, Subject
from budgets.models.subjects import ancestor_codes, subject_level
from budgets.summaries import totals
from budgets.summaries.expenditure import ComparisonRow, comparison
from budgets.summaries.scope import Scope
from budgets.summaries.totals import Slice


@dataclass
class SubjectDetail:
    """Amounts are in 万元; `splits` maps (stage, expenditure type, expense class) to a sum."""

    subject: Subject
    row: ComparisonRow | None
    children: list[ComparisonRow]
    ancestors: list[Subject]
    splits: dict = field(default_factory=dict)
    explanations: list = field(default_factory=list)
    statements: list = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return self.subject.is_leaf_level

    def split(self, stage: str, expenditure_type: str = "", expense_class: str = ""):
        """Sum of the subject's amounts of one stage, by type and class ("" = any)."""
        values = [
            amount
            for (s, t, c), amount in self.splits.items()
            if s == stage
            and (not expenditure_type or t == expenditure_type)
            and (not expense_class or c == expense_class)
            and amount is not None
        ]
        return sum(values, Decimal(0)) if values else None


def subject_detail(scope: Scope, scheme: str, code: str) -> SubjectDetail | None:
    """None when the year's classification has no such code."""
    codes = [*ancestor_codes(scheme, code), code] if subject_level(scheme, code) is not None else []
    subjects = {
        s.code: s for s in Subject.objects.filter(scheme=scheme, year=scope.year, code__in=codes)
    }
    if code not in subjects:
        return None
    rows = comparison(scope, scheme, prefix=code)
    own = next((row for row in rows if row.code == code), None)
    level = subjects[code].level
    children = [row for row in rows if row.level == level + 1]
    splits = {
        key: row["total"]
        for key, row in totals.sums(
            totals.facts_of(publications=scope.publication_ids),
            {"total": Slice(scheme=scheme, code_prefix=code)},
            by=("stage", "expenditure_type", "expense_class"),
        ).items()
    }
    explanations = list(
        Explanation.objects.filter(
            section__publication_id__in=scope.publication_ids, subject=subjects[code]
        ).select_related("section__publication")
    )
    statements = list(
        PublishedFigure.objects.filter(
            section__publication_id__in=scope.publication_ids,
            section__kind="narrative",
            scheme=scheme,
            subject_code=code,
        )
        .select_related("section__publication__unit")
        .order_by("section__publication__kind", "section__order", "row_order")
    )
    return SubjectDetail(
        subject=subjects[code],
        row=own,
        children=children,
        ancestors=[subjects[c] for c in codes[:-1] if c in subjects],
        splits=splits,
        explanations=explanations,
        statements=statements,
    )


STAGE_ORDER = [Stage.INITIAL_BUDGET, Stage.ADJUSTED_BUDGET, Stage.FINAL]


def stage_splits(detail: SubjectDetail) -> dict:
    """{stage: {"basic": …, "project": …, "personnel": …, "public": …, "total": …}}"""
    table = defaultdict(dict)
    for stage in STAGE_ORDER:
        table[stage] = {
            "total": detail.split(stage),
            "basic": detail.split(stage, "basic"),
            "project": detail.split(stage, "project"),
            "personnel": detail.split(stage, expense_class="personnel"),
            "public": detail.split(stage, expense_class="public"),
        }
    return dict(table)
