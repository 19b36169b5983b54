"""Plain-language answers for the top of a unit's year: what the unit does, what it planned and
spent, the biggest changes on the way and their published reasons, what the data check found.

Everything here is read from the publications or derived from the page's own summaries (the
stage totals and the waterfall steps), so that the answers can never say something the tables
below them do not; the only extra query reads the stored data-quality reports."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from budgets.formatting import wan
from budgets.i18n import data_text
from budgets.models import QualityReport
from budgets.quality import Finding, Report, Severity
from budgets.rates import Denominator, rate
from budgets.summaries.expenditure import ComparisonRow
from budgets.summaries.scope import Scope
from budgets.summaries.totals import StageTotals

BIGGEST_CHANGES = 3
FINDINGS_SHOWN = 3


@dataclass
class CheckAnswer:
    """What the data check of one publication found, for one line of the answers."""

    kind_label: str
    url: str
    total: int
    mismatches: int
    checks: int
    top: list[SafeString] = field(default_factory=list)


@dataclass
class Answers:
    duties: str
    duties_source: SafeString
    totals: StageTotals
    project_rate: Decimal | None
    changes: list[ComparisonRow]
    checks: list[CheckAnswer]

    @property
    def difference_words(self) -> str:
        """ "多 11.06 万元" / "少 …" / "相同": the final against the initial budget."""
        difference = self.totals.difference
        if difference is None:
            return ""
        if difference == 0:
            return _("相同")
        amount = {"amount": wan(abs(difference))}
        return (_("多 %(amount)s 万元") if difference > 0 else _("少 %(amount)s 万元")) % amount


def html(template: str, **values) -> SafeString:
    """A translated sentence as HTML: the sentence escaped, each value escaped unless it is
    already HTML (published text marked by budgets.i18n.data_text)."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return SafeString(conditional_escape(template) % escaped)


def finding_sentence(finding: Finding) -> SafeString:
    """One sentence per finding, as HTML: where it is (published text), and the first sentence
    of what was found, in the page's language."""
    return html(
        _("%(where)s：%(message)s"),
        where=data_text(finding.where),
        message=finding.first_sentence_html(),
    )


def biggest_changes(steps: list[ComparisonRow], n: int = BIGGEST_CHANGES) -> list[ComparisonRow]:
    """The n steps of the waterfall that moved the most money, either way; code order breaks
    ties so that the answer does not depend on the database's row order."""
    return sorted(steps, key=lambda row: (-abs(row.change), row.code))[:n]


def reports(scope: Scope) -> dict[int, Report]:
    """{publication id: stored report} of the scope's publications, in one query."""
    saved = QualityReport.objects.filter(publication__in=scope.publication_ids)
    return {row.publication_id: Report.from_json(row.report) for row in saved}


@dataclass(frozen=True)
class FindingNote:
    """A finding of the data check, to be shown beside the row or figure it is about."""

    label: str  # the row or figure, as the page names it
    finding: Finding
    url: str  # the rule's place on the publication's quality page


def findings_about(scope: Scope) -> dict[str, list[tuple[Finding, str]]]:
    """{what a finding is about (Finding.about): [(finding, its quality-page address)]} for the
    scope's publications, mismatches first, in one query."""
    found: dict[str, list[tuple[Finding, str]]] = {}
    stored = reports(scope)
    for publication in scope.publications:
        report = stored.get(publication.pk)
        if report is None:
            continue
        page = reverse("budgets:quality", args=[scope.unit.code, scope.year, publication.kind])
        for finding in sorted(report.findings, key=lambda f: f.severity != Severity.MISMATCH):
            if finding.about:
                found.setdefault(finding.about, []).append((finding, f"{page}#rule-{finding.rule}"))
    return found


@dataclass
class FindingNotes:
    """The mismatches about the things of a page, each a note beside its row, and how many
    lesser findings (a blank written as 0, …) the quality page lists about them."""

    notes: list[FindingNote]
    others: int = 0
    others_url: str = ""

    def __bool__(self) -> bool:
        return bool(self.notes or self.others)


def notes_for(found: dict, labelled: list[tuple[str, str]]) -> FindingNotes:
    """The notes for the things of a page, given as (label, about) in page order."""
    notes, others = FindingNotes(notes=[]), []
    for label, about in labelled:
        for finding, url in found.get(about, []):
            if finding.severity == Severity.MISMATCH:
                notes.notes.append(FindingNote(label=label, finding=finding, url=url))
            else:
                others.append(url)
    notes.others = len(others)
    notes.others_url = others[0] if others else ""
    return notes


def check_answers(scope: Scope, stored: dict[int, Report]) -> list[CheckAnswer]:
    answers = []
    for publication in scope.publications:
        report = stored.get(publication.pk)
        if report is None:
            continue
        # Mismatches first: a blank written as 0 matters less than a figure that disagrees.
        ordered = sorted(report.findings, key=lambda f: f.severity != Severity.MISMATCH)
        answers.append(
            CheckAnswer(
                kind_label=publication.get_kind_display(),
                url=reverse(
                    "budgets:quality", args=[scope.unit.code, scope.year, publication.kind]
                ),
                total=len(report.findings),
                mismatches=report.mismatches,
                checks=report.total_checks,
                # The mismatches only: the rest are on the quality page.
                top=[
                    finding_sentence(f)
                    for f in ordered[:FINDINGS_SHOWN]
                    if f.severity == Severity.MISMATCH
                ],
            )
        )
    return answers


def answers(scope: Scope, totals: StageTotals, steps: list[ComparisonRow]) -> Answers:
    """The answers for the scope, from its stage totals and its waterfall steps (the 项 whose
    figure changed, each with the reason the final accounts give)."""
    # The final accounts describe the year as it was; the budget what was planned.
    described = next((p for p in (scope.final, scope.budget) if p and p.duties.strip()), None)
    return Answers(
        duties=described.duties.strip() if described else "",
        duties_source=html(_("%(title)s（主要职责）"), title=data_text(described.title))
        if described
        else SafeString(""),
        totals=totals,
        project_rate=rate(
            totals.final_project, totals.initial_project, of=Denominator.INITIAL_BUDGET
        ),
        # Without both stages there is no way from one to the other (nor a waterfall).
        changes=biggest_changes(steps)
        if totals.initial is not None and totals.final is not None
        else [],
        checks=check_answers(scope, reports(scope)),
    )
