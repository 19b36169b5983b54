"""Path converters that match the real shapes of unit codes, years, subject codes and names, so
that an address of another shape (a NUL byte, letters in a code, a year of 5 digits) is a 404
before any view or query sees it."""

from budgets.choices import LEVEL_LENGTHS, PublicationKind, Scheme

# Unit.code: digits only, at most 32 (a department's code with its units' digits appended).
UNIT_CODE = "[0-9]{1,32}"
# Project.code: text with letters, e.g. 42010022503T000000136.
PROJECT_CODE = "[0-9A-Za-z]{1,40}"
# Database ids of the API's other records.
RECORD_ID = "[0-9]{1,18}"


class _Text:
    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class UnitCode(_Text):
    regex = UNIT_CODE


class Year(_Text):
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)


class SchemeName(_Text):
    regex = "|".join(Scheme.values)


class SubjectCode(_Text):
    """A 类, 款 or 项 code of either classification: 3, 5 or 7 digits."""

    regex = "|".join(
        f"[0-9]{{{length}}}"
        for length in sorted({n for lengths in LEVEL_LENGTHS.values() for n in lengths})
    )


class Kind(_Text):
    regex = "|".join(PublicationKind.values)


class DownloadName(_Text):
    """A file of the bulk downloads: lines.csv, budget-data.xlsx, portal.sqlite..."""

    regex = r"[a-z0-9][a-z0-9_-]{0,63}\.(?:csv|xlsx|json|sqlite)"


# The name each converter has in the URL patterns.
CONVERTERS = {
    "unit": UnitCode,
    "year": Year,
    "scheme": SchemeName,
    "subject": SubjectCode,
    "kind": Kind,
    "download": DownloadName,
}
