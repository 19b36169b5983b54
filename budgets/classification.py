"""The classification's code lists year by year: opening a new year, and who uses a subject.

Each year has its own lists of functional (类/款/项) and economic (类/款) subjects. A new year is
opened by copying the lists of the latest earlier year, following the crosswalk (科目调整, see
budgets.crosswalk) recorded for the new year:

- a code the crosswalk replaces is copied under its new code, with the old code's name, English
  name and definition (the subject moved; the name is the best one known until staff rename it:
  a note is free text, often a document's title, not a subject's name);
- a code the crosswalk retires is not copied;
- a code already in the new year's list is left alone, so opening a year twice adds nothing.

`open_year` does it in one transaction with history (one version a new subject), for both
`python manage.py open_year` and the admin's 开启新年度科目 page.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Q
from simple_history.utils import bulk_create_with_history

from budgets import page_cache
from budgets.choices import Scheme
from budgets.crosswalk import successors
from budgets.models import Explanation, Fact, ProjectSubjectLink, Publication, Subject
from budgets.models.organisation import year_validators
from budgets.models.subjects import parent_code

FIRST_YEAR = year_validators[0].limit_value
LAST_YEAR = year_validators[1].limit_value


class YearNotOpened(ValueError):
    """Why a year could not be opened, in Chinese for staff."""


@dataclass
class SchemeOpened:
    scheme: str
    added: list[str] = field(default_factory=list)  # codes created in the new year
    renumbered: dict[str, list[str]] = field(default_factory=dict)  # old code -> new codes
    retired: list[str] = field(default_factory=list)  # old codes the crosswalk retires
    already: int = 0  # codes of the new year's list before opening

    @property
    def label(self) -> str:
        return Scheme(self.scheme).label

    def summary(self) -> str:
        parts = [f"{self.label}新增 {len(self.added)} 个科目"]
        if self.renumbered:
            moves = "、".join(f"{old}→{'/'.join(new)}" for old, new in self.renumbered.items())
            parts.append(f"按科目调整改用新编码 {len(self.renumbered)} 个（{moves}）")
        if self.retired:
            parts.append(f"按科目调整取消 {len(self.retired)} 个（{'、'.join(self.retired)}）")
        if self.already:
            parts.append(f"原已有 {self.already} 个")
        return "，".join(parts)


@dataclass
class YearOpened:
    year: int
    source_year: int
    schemes: list[SchemeOpened]

    @property
    def added(self) -> int:
        return sum(len(scheme.added) for scheme in self.schemes)

    def summary(self) -> str:
        if not self.added:
            counts = "，".join(f"{s.label} {s.already} 个" for s in self.schemes)
            return f"{self.year} 年度科目已经开启（{counts}），没有新增科目。"
        details = "；".join(scheme.summary() for scheme in self.schemes)
        return f"已开启 {self.year} 年度科目（自 {self.source_year} 年复制）：{details}。"


def latest_year_before(year: int) -> int | None:
    """The latest year before `year` that has any subject."""
    return Subject.objects.filter(year__lt=year).aggregate(latest=Max("year"))["latest"]


def open_year(year: int, source_year: int | None = None, user=None) -> YearOpened:
    """Copy the functional and economic lists of `source_year` (default: the latest earlier
    year that has subjects) into `year`, following the crosswalk; see the module's docstring.
    Raises YearNotOpened with a Chinese message when it cannot."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise YearNotOpened(f"年度应在 {FIRST_YEAR}–{LAST_YEAR} 之间，收到 {year}。")
    if source_year is None:
        source_year = latest_year_before(year)
        if source_year is None:
            raise YearNotOpened(f"{year} 年以前没有任何年度的科目，无从复制。")
    elif source_year >= year:
        raise YearNotOpened(f"只能从更早的年度复制科目：{source_year} 年不早于 {year} 年。")
    source = list(
        Subject.objects.filter(year=source_year).values_list(
            "scheme", "code", "name", "name_en", "definition"
        )
    )
    if not source:
        raise YearNotOpened(f"{source_year} 年没有科目，无从复制。")
    present = set(Subject.objects.filter(year=year).values_list("scheme", "code"))

    schemes, new_subjects = [], []
    for scheme in Scheme.values:
        rows = [row[1:] for row in source if row[0] == scheme]
        opened = SchemeOpened(scheme, already=sum(1 for s, _ in present if s == scheme))
        planned = _plan_scheme(scheme, rows, source_year, year, opened)
        for code, (name, name_en, definition) in planned.items():
            if (scheme, code) not in present:
                opened.added.append(code)
                new_subjects.append(
                    Subject(
                        scheme=scheme,
                        year=year,
                        code=code,
                        name=name,
                        name_en=name_en,
                        definition=definition,
                    )
                )
        _check_parents(scheme, year, present, planned)
        schemes.append(opened)

    result = YearOpened(year, source_year, schemes)
    if new_subjects:
        with transaction.atomic():
            bulk_create_with_history(
                new_subjects,
                Subject,
                batch_size=1000,
                default_user=user,
                default_change_reason=f"开启 {year} 年度科目（自 {source_year} 年复制）",
            )
            page_cache.bump()  # bulk writes send no signal
    return result


def _plan_scheme(scheme, rows, source_year, year, opened) -> dict[str, tuple[str, str, str]]:
    """{code in `year`: (name, name_en, definition)} for one scheme's rows of the source year."""
    moves = successors(scheme, [code for code, *_ in rows], source_year, year)
    own = {code: names for code, *names in rows}
    planned = {}
    for code, *names in rows:
        new_codes = moves[code]
        if not new_codes:
            opened.retired.append(code)
        elif new_codes != [code]:
            opened.renumbered[code] = new_codes
        for new_code in new_codes:
            # A code that already had a subject of its own keeps that subject's name.
            planned.setdefault(new_code, tuple(own.get(new_code, names)))
    return dict(sorted(planned.items()))


def _check_parents(scheme, year, present, planned):
    codes = {code for s, code in present if s == scheme} | set(planned)
    missing = sorted(
        (code, parent)
        for code in planned
        if (parent := parent_code(scheme, code)) and parent not in codes
    )
    if missing:
        listed = "、".join(f"{code}（上级 {parent}）" for code, parent in missing)
        raise YearNotOpened(
            f"{year} 年{Scheme(scheme).label}中下列科目的上级科目不存在：{listed}。"
            "请在科目调整对照中一并登记上级科目的调整，或先在该年度添加上级科目。"
        )


def publications_using(subject) -> list[Publication]:
    """The publications whose figures or explanations carry `subject`, by unit and year."""
    return list(
        Publication.objects.filter(
            Q(pk__in=Fact.objects.filter(subject=subject).values("publication"))
            | Q(pk__in=Explanation.objects.filter(subject=subject).values("section__publication"))
        )
        .select_related("unit")
        .order_by("unit__code", "year", "kind")
    )


def projects_using(subject) -> list[str]:
    """Names of the projects linked to `subject`."""
    links = ProjectSubjectLink.objects.filter(subject=subject).select_related("project")
    return sorted({link.project.name for link in links})
