"""The crosswalk between years' classifications (科目调整): which code a subject has in each year.

A `SubjectChange(scheme, year=Y, old_code=A, new_code=B)` says that the subject coded A up to
year Y-1 is coded B from year Y on; a blank B means A was retired in Y. A code with no change
keeps its code from year to year. These functions follow the changes both ways, one database
query each, and never guess: where one subject becomes several (a split), several become one (a
merge) or a code is retired, the subject has no single code in that year and the answer is None.
"""

from collections import defaultdict

from budgets.models import SubjectChange


def codes_by_year(scheme: str, code: str, year: int, years) -> dict[int, str | None]:
    """The code of subject `code` (as coded in `year`) in each of `years`.

    `scheme` is "functional" or "economic". Returns {year: code or None} for every year asked
    for (`year` itself maps to `code`). None means the subject has no single code that year:
    it was retired, split or merged on the way. Whether a code also exists in that year's list
    (a subject added later has no earlier facts) is for the caller to find out: this answers
    only "which code would it have". One query.
    """
    years = sorted(set(years))
    if not years:
        return {}
    low, high = min(years[0], year), max(years[-1], year)
    # A change in year Y links Y-1 to Y, so changes after `low` up to `high` matter.
    changes = SubjectChange.objects.filter(scheme=scheme, year__gt=low, year__lte=high).values_list(
        "year", "old_code", "new_code"
    )
    forward, backward = defaultdict(list), defaultdict(list)
    for change_year, old_code, new_code in changes:
        forward[change_year, old_code].append(new_code)
        if new_code:
            backward[change_year, new_code].append(old_code)

    answer = {}
    for target in years:
        current = code
        if target > year:
            for step in range(year + 1, target + 1):
                successors = forward.get((step, current), [])
                if len(successors) > 1 or (successors and not successors[0]):
                    current = None  # split or retired
                    break
                if successors:
                    current = successors[0]
        elif target < year:
            for step in range(year, target, -1):
                predecessors = backward.get((step, current), [])
                if len(predecessors) > 1:
                    current = None  # merged from several codes
                    break
                if predecessors:
                    current = predecessors[0]
        answer[target] = current
    return answer


def successors(scheme: str, codes, from_year: int, to_year: int) -> dict[str, list[str]]:
    """What each of `codes` (codes of `from_year`) is coded as in `to_year` (later), following
    the changes of every year in between: [code] unchanged or replaced, [] retired, several
    codes where it was split (each part followed on). One query, for any number of codes."""
    changes = SubjectChange.objects.filter(
        scheme=scheme, year__gt=from_year, year__lte=to_year
    ).values_list("year", "old_code", "new_code")
    forward = defaultdict(list)
    for change_year, old_code, new_code in changes:
        forward[change_year, old_code].append(new_code)
    answer = {}
    for code in codes:
        current = [code]
        for step in range(from_year + 1, to_year + 1):
            following = []
            for each in current:
                following += [new for new in forward.get((step, each), [each]) if new]
            current = list(dict.fromkeys(following))
        answer[code] = current
    return answer


def changes_from(scheme: str, year: int, old_codes) -> dict[str, list[SubjectChange]]:
    """The crosswalk lines of `year` that start from any of `old_codes` (codes of year-1),
    grouped by old code: what a code of last year's list became this year. One query."""
    grouped = defaultdict(list)
    for change in SubjectChange.objects.filter(
        scheme=scheme, year=year, old_code__in=list(old_codes)
    ).order_by("old_code", "new_code"):
        grouped[change.old_code].append(change)
    return dict(grouped)


class CodeMoves:
    """Where a code no longer in a year's list went, for an importer's error message. Loads the
    scheme's whole crosswalk (a few hundred lines at most) once, on the first code asked about."""

    def __init__(self, scheme: str):
        self.scheme = scheme
        self._changes = None

    def _by_old_code(self) -> dict[str, list[SubjectChange]]:
        if self._changes is None:
            self._changes = defaultdict(list)
            for change in SubjectChange.objects.filter(scheme=self.scheme).order_by(
                "year", "new_code"
            ):
                self._changes[change.old_code].append(change)
        return self._changes

    def explain(self, code: str, in_list) -> str | None:
        """Why `code` is not in this year's list, in Chinese: the crosswalk's changes from it,
        followed until a code `in_list(code)` accepts, e.g. "2080150 已于 2025 年调整为
        2080199（说明），请按新编码填写。"; None when the crosswalk says nothing about it."""
        changes = self._by_old_code()
        steps, current, seen = [], code, {code}
        while current in changes and not in_list(current):
            following = changes[current]
            replaced = [c for c in following if c.new_code and c.new_code not in seen]
            if not replaced:
                steps.append(following[-1])  # retired
                break
            # A split into several codes: any of them may be meant; the first one in the list
            # is followed, all are named.
            kept = [c for c in replaced if in_list(c.new_code)] or replaced
            steps.append(kept if len(kept) > 1 else kept[0])
            current = kept[0].new_code
            seen.add(current)
        if not steps:
            return None
        return _describe(code, steps)


def _note(change) -> str:
    return f"（{change.note.strip()}）" if change.note.strip() else ""


def _describe(code: str, steps) -> str:
    parts = []
    for step in steps:
        if isinstance(step, list):
            new_codes = "或".join(change.new_code for change in step)
            parts.append(f"已于 {step[0].year} 年调整为 {new_codes}{_note(step[0])}")
        elif step.new_code:
            parts.append(f"已于 {step.year} 年调整为 {step.new_code}{_note(step)}")
        else:
            parts.append(f"已于 {step.year} 年取消{_note(step)}")
            return f"{code} " + "，又".join(parts) + "，不再使用。"
    return f"{code} " + "，又".join(parts) + "，请按新编码填写。"
