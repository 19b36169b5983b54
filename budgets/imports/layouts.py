"""The official tables of a budget (预算) and a final-accounts (决算) publication.

Their layouts are defined once, in the transcription of the 2024 publications
(fixtures/transcription), which says for every column and fixed row what its cells measure;
the fixture builder and the importer both read them. A layout's years are those of 2024:
importing into another year shifts them (a column "2023年" becomes the year before).
"""

from dataclasses import dataclass

from fixtures.transcription import budget_2024, final_2024
from fixtures.transcription.dsl import Part, Row, Table

MODULES = {"budget": budget_2024, "final": final_2024}
CODE_HEADER = "编码"
LABEL_HEADER = "项目"
PART_HEADER = "部分"


@dataclass(frozen=True)
class Layout:
    table: Table
    order: int  # the table's place among the sections of a publication of its kind

    @property
    def slug(self) -> str:
        return self.table.slug

    @property
    def code(self) -> str:
        return self.table.code

    @property
    def title(self) -> str:
        return self.table.title

    @property
    def sheet_name(self) -> str:
        # Excel allows 31 characters and no []:*?/\ in a sheet name.
        return self.code[:31]

    @property
    def has_parts(self) -> bool:
        return len(self.table.parts) > 1

    @property
    def has_subject_rows(self) -> bool:
        return bool(self.table.subject_scheme)

    @property
    def scheme(self) -> str:
        return self.table.subject_scheme

    def value_headers(self) -> list[str]:
        """The amount columns as printed, each once, in printed order (parts side by side
        become one list with a 部分 column)."""
        headers = []
        for part in self.table.parts:
            for column in part.columns:
                if column.label not in headers:
                    headers.append(column.label)
        return headers

    def headers(self) -> list[str]:
        fixed = [CODE_HEADER, LABEL_HEADER] + ([PART_HEADER] if self.has_parts else [])
        return fixed + self.value_headers()

    def part(self, name: str) -> Part | None:
        for part in self.table.parts:
            if part.name == name:
                return part
        return None

    def fixed_rows(self) -> list[tuple[Part, Row]]:
        """Rows the template lists: every row of a table without subject codes; the total rows
        of one with them (its subject rows are the unit's own)."""
        rows = []
        for part in self.table.parts:
            for row in part.rows:
                if not self.has_subject_rows or row.total or not row.code.isdigit():
                    rows.append((part, row))
        return rows


def layouts_for(kind: str) -> list[Layout]:
    """Every table of the kind (the self-evaluation forms too), in the publication's order."""
    module = MODULES.get(kind)
    if module is None:
        return []
    return [
        Layout(section, order)
        for order, section in enumerate(module.SECTIONS, start=1)
        if isinstance(section, Table)
    ]


def layout(kind: str, slug: str) -> Layout | None:
    return next((item for item in layouts_for(kind) if item.slug == slug), None)
