"""Cells of a filled table → the records of a publication: facts, citations, printed figures.

Cells are sorted by the rules in budgets.layouts.dsl: a leaf cell of a leaf row is a fact, a
cell that measures what a fact measures is a citation of it (the figure printed again), every
other cell a published figure. A repeated figure that differs from its first printing stops the
build. The records come out as fixture objects (model, pk, fields with natural keys): the
fixture build writes them to fixtures/*.json, the importer compares them with the database.

`module` is anything with PUBLICATION (the publication's fields), DEFAULTS (the dims every
cell has: unit, year, stage) and SECTIONS (filled tables and narratives, in printed order).
"""

import re
from decimal import Decimal

from budgets.layouts.classes import economic_expense_class
from budgets.layouts.dsl import DIM_KEYS, Narrative, Table, parse_number

WAN_YUAN = "万元"
TWO_PLACES = Decimal("0.01")

# Printed words that state "none" or "no change": their value is zero, their text is kept.
ZERO_WORDS = {
    "没有",
    "无",
    "无变化",
    "较上年无变化",
    "与上年持平，无变化",
    "无预算安排",
    "无支出决算数",
    "年初预算未安排",
}
# "与 上一年 年持平，无变化", with the year before the publication's.
_SAME_AS_YEAR = re.compile(r"与\d{4}年持平[，,]无变化")


def is_zero_word(text: str) -> bool:
    """Whether a printed text states "none" or "no change" (its value is zero)."""
    return text in ZERO_WORDS or bool(_SAME_AS_YEAR.fullmatch(text))


FACT_MEASURES = {"expenditure", "income"}
LEAF_MEASURES = FACT_MEASURES | {"three_public", "project"}
FUNCTIONAL_LEAF = 7
ECONOMIC_LEAF = 5


class BuildError(Exception):
    """Cells that cannot be sorted: a repeated figure that disagrees, a cell of no known kind."""


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(TWO_PLACES))


def read_value(text, expected_unit):
    """(value, unit) of a printed cell; words meaning "none" read as zero."""
    if text is None:
        return None, expected_unit
    cleaned = text.strip()
    if is_zero_word(cleaned):
        return Decimal(0), expected_unit
    value, unit = parse_number(cleaned)
    if unit and unit != expected_unit:
        raise BuildError(f"{text!r}: unit {unit!r}, expected {expected_unit!r}")
    if value != value.quantize(TWO_PLACES):
        raise BuildError(f"{text!r}: more than two decimal places")
    return value, expected_unit


def clean_text(text: str) -> str:
    """Indicator values as printed, without the spaces OCR put inside numbers."""
    return "".join(text.split())


def is_leaf_code(scheme: str, code: str) -> bool:
    return (scheme == "functional" and len(code) == FUNCTIONAL_LEAF) or (
        scheme == "economic" and len(code) == ECONOMIC_LEAF
    )


def subject_key(scheme, code, year):
    return [scheme, year, code] if code else None


def record(pks, model: str, fields: dict) -> dict:
    """A fixture object with the next primary key of its model."""
    pks[model] += 1
    return {"model": f"budgets.{model}", "pk": pks[model], "fields": fields}


class PublicationBuilder:
    def __init__(self, module, pks):
        self.module = module
        self.pks = pks
        pub = module.PUBLICATION
        self.publication_key = [pub["unit"], pub["year"], pub["kind"]]
        self.facts = {}  # key → (fixture object, value)
        self.objects = []
        self.citations = []
        self.figures = []
        self.rows_with_cells = set()  # (section slug, row order) that hold a cell

    def section_key(self, slug):
        return [*self.publication_key, slug]

    # --- dimensions -----------------------------------------------------------------------

    def cell_dims(self, table, part, row, column):
        row_dims = {}
        if table.subject_scheme and row.code and not row.total:
            row_dims = {"scheme": table.subject_scheme, "subject_code": row.code}
        dims = {
            **self.module.DEFAULTS,
            **table.dims,
            **part.dims,
            **row_dims,
            **row.dims,
            **column.dims,
        }
        unknown = set(dims) - DIM_KEYS
        if unknown:
            raise BuildError(f"{table.code} {row.label}: unknown dims {unknown}")
        if dims.get("measure") == "income" and dims.get("subject_code"):
            dims.setdefault("scheme", "functional")
        return dims

    def is_leaf_row(self, table, row):
        if row.total:
            return False
        if row.leaf is not None:
            return row.leaf
        return bool(table.subject_scheme and is_leaf_code(table.subject_scheme, row.code))

    @staticmethod
    def fact_key(dims):
        measure = dims["measure"]
        if measure in FACT_MEASURES:
            return (
                measure,
                dims["unit"],
                dims["stage"],
                dims.get("scheme", "") if dims.get("subject_code") else "",
                dims.get("subject_code", ""),
                dims.get("expenditure_type", ""),
                dims.get("expense_class", ""),
                dims.get("fund_source", ""),
            )
        if measure == "three_public":
            return (measure, dims["unit"], dims["stage"], dims.get("three_public_kind", ""))
        if measure == "project":
            return (
                measure,
                dims.get("project"),
                dims["year"],
                dims["stage"],
                dims.get("fund_source", ""),
            )
        return None

    # --- facts ----------------------------------------------------------------------------

    def fact_object(self, dims, value):
        measure = dims["measure"]
        if measure in FACT_MEASURES:
            return record(
                self.pks,
                "fact",
                {
                    "publication": self.publication_key,
                    "unit": [dims["unit"]],
                    "direction": measure,
                    "stage": dims["stage"],
                    "subject": subject_key(
                        dims.get("scheme", ""), dims.get("subject_code", ""), dims["year"]
                    ),
                    "expenditure_type": dims.get("expenditure_type", ""),
                    "expense_class": dims.get("expense_class", ""),
                    "fund_source": dims.get("fund_source", ""),
                    "amount": money(value),
                },
            )
        if measure == "three_public":
            kind = dims.get("three_public_kind", "")
            if kind not in {"outbound_travel", "vehicle_purchase", "vehicle_running", "reception"}:
                raise BuildError(f"three public leaf without a kind: {dims}")
            return record(
                self.pks,
                "threepublicexpense",
                {
                    "publication": self.publication_key,
                    "unit": [dims["unit"]],
                    "stage": dims["stage"],
                    "kind": kind,
                    "amount": money(value),
                },
            )
        if measure == "project":
            return record(
                self.pks,
                "projectamount",
                {
                    "project": [dims["project"]],
                    "publication": self.publication_key,
                    "year": dims["year"],
                    "stage": dims["stage"],
                    "fund_source": dims.get("fund_source", ""),
                    "amount": money(value),
                },
            )
        raise BuildError(f"a leaf cell must measure an amount, not {measure!r}")

    def cite(self, fact, cell):
        self.rows_with_cells.add((cell["section"][-1], cell["row_order"]))
        target = {
            "budgets.fact": "fact",
            "budgets.threepublicexpense": "three_public",
            "budgets.projectamount": "project_amount",
        }[fact["model"]]
        self.citations.append(
            record(
                self.pks,
                "citation",
                {
                    **cell,
                    "fact": None,
                    "three_public": None,
                    "project_amount": None,
                    target: fact["pk"],
                },
            )
        )

    def add_fact(self, dims, value, cell, where):
        key = self.fact_key(dims)
        if key in self.facts:
            fact, first_value = self.facts[key]
            if first_value != value:
                raise BuildError(f"{where}：{value} 与另一处印出的同一数字 {first_value} 不一致")
        else:
            fact = self.fact_object(dims, value)
            self.facts[key] = (fact, value)
        self.cite(fact, cell)

    # --- tables ---------------------------------------------------------------------------

    def iter_cells(self, table):
        """(part, row, row_order, [(column, text)]) in printed order."""
        row_order = 0
        for part in table.parts:
            for row in part.rows:
                row_order += 1
                if len(row.cells) != len(part.columns):
                    found, wanted = len(row.cells), len(part.columns)
                    raise BuildError(f"{table.code} {row.label}: {found} cells, {wanted} columns")
                yield part, row, row_order, list(zip(part.columns, row.cells, strict=True))

    def cell_position(self, table, part, row, row_order, column, text):
        return {
            "section": self.section_key(table.slug),
            "row_order": row_order,
            "row_code": row.code,
            "row_label": row.label,
            "part": part.name,
            "column": column.label,
            "printed_text": text or "",
        }

    def blank_row_column(self, table, part, row):
        """The leaf column that stands for an all-blank leaf row (its economic class's)."""
        leaf_columns = [c for c in part.columns if c.leaf]
        if table.subject_scheme == "economic" and len(leaf_columns) > 1:
            wanted = economic_expense_class(row.code)
            for column in leaf_columns:
                if column.dims.get("expense_class") == wanted:
                    return column
        return leaf_columns[0] if leaf_columns else part.columns[0]

    def table_facts(self, table):
        for part, row, row_order, cells in self.iter_cells(table):
            if not self.is_leaf_row(table, row):
                continue
            all_blank = all(text is None for _, text in cells)
            blank_column = self.blank_row_column(table, part, row) if all_blank else None
            for column, text in cells:
                if not column.leaf:
                    continue
                if text is None and not (table.blank_leaf_is_fact or column is blank_column):
                    continue
                dims = self.cell_dims(table, part, row, column)
                if dims["measure"] not in LEAF_MEASURES:
                    raise BuildError(f"{table.code} {row.label}: leaf of {dims['measure']}")
                value, _ = read_value(text, WAN_YUAN)
                position = self.cell_position(table, part, row, row_order, column, text)
                self.add_fact(dims, value, position, f"{table.code} {row.label} {column.label}")

    def table_figures(self, table):
        for part, row, row_order, cells in self.iter_cells(table):
            leaf_row = self.is_leaf_row(table, row)
            for column, text in cells:
                if text is None or (leaf_row and column.leaf):
                    continue
                self.table_cell(table, part, row, row_order, column, text)
            if (table.slug, row_order) not in self.rows_with_cells:
                # A printed row whose every cell is blank still appears, as a blank figure.
                self.table_cell(table, part, row, row_order, part.columns[0], None)

    def table_cell(self, table, part, row, row_order, column, text):
        dims = self.cell_dims(table, part, row, column)
        position = self.cell_position(table, part, row, row_order, column, text)
        key = self.fact_key(dims)
        if key in self.facts and row.cite and not row.total and text is not None:
            fact, fact_value = self.facts[key]
            value, _ = read_value(text, WAN_YUAN)
            if value != fact_value:
                where = f"{table.code} {row.label} {column.label}"
                raise BuildError(f"{where}：{value} 与另一张表中的同一数字 {fact_value} 不一致")
            self.cite(fact, position)
            return
        self.figure(dims, position, text, kind="table", note=row.note)

    def figure(self, dims, position, text, kind, note=""):
        self.rows_with_cells.add((position["section"][-1], position["row_order"]))
        unit_of_measure = dims.get("unit_of_measure", WAN_YUAN)
        value, unit_of_measure = read_value(text, unit_of_measure)
        self.figures.append(
            record(
                self.pks,
                "publishedfigure",
                {
                    **position,
                    "kind": kind,
                    "measure": dims["measure"],
                    "unit": [dims["unit"]],
                    "year": dims["year"],
                    "stage": dims.get("stage", ""),
                    "scheme": dims.get("scheme", ""),
                    "subject_code": dims.get("subject_code", ""),
                    "expenditure_type": dims.get("expenditure_type", ""),
                    "expense_class": dims.get("expense_class", ""),
                    "fund_source": dims.get("fund_source", ""),
                    "three_public_kind": dims.get("three_public_kind", ""),
                    "project": [dims["project"]] if dims.get("project") else None,
                    "value": money(value),
                    "unit_of_measure": unit_of_measure,
                    "note": note,
                },
            )
        )

    # --- narrative ------------------------------------------------------------------------

    def narrative(self, section):
        rows = {}
        for statement in section.statements:
            row_order = rows.setdefault(statement.label, len(rows) + 1)
            dims = {**self.module.DEFAULTS, **statement.dims}
            unknown = set(dims) - DIM_KEYS
            if unknown:
                raise BuildError(f"{section.code} {statement.label}: unknown dims {unknown}")
            if statement.column not in section.columns:
                raise BuildError(f"{section.code}: no column {statement.column!r}")
            position = {
                "section": self.section_key(section.slug),
                "row_order": row_order,
                "row_code": dims.get("subject_code", ""),
                "row_label": statement.label,
                "part": "",
                "column": statement.column,
                "printed_text": statement.text if statement.kind != "derived" else "",
            }
            self.figure(dims, position, statement.text, kind=statement.kind, note=statement.note)
        for order, reason in enumerate(section.reasons, start=1):
            self.objects.append(
                record(
                    self.pks,
                    "explanation",
                    {
                        "section": self.section_key(section.slug),
                        "kind": reason.kind,
                        "order": order,
                        "subject": subject_key(
                            reason.scheme, reason.subject_code, self.module.PUBLICATION["year"]
                        ),
                        "label": reason.label,
                        "text": reason.text,
                    },
                )
            )

    # --- the whole publication ------------------------------------------------------------

    def section_object(self, order, section):
        if isinstance(section, Table):
            layout = [
                {"part": p.name, "columns": [c.label for c in p.columns]} for p in section.parts
            ]
        else:
            layout = [{"part": "", "columns": section.columns}] if section.columns else []
        return {
            "model": "budgets.section",
            "fields": {
                "publication": self.publication_key,
                "code": section.code,
                "slug": section.slug,
                "title": section.title,
                "kind": section.kind,
                "topic": section.topic,
                "order": order,
                "layout": layout,
                "note": section.note,
            },
        }

    def build(self):
        pub = self.module.PUBLICATION
        head = [
            {
                "model": "budgets.publication",
                "fields": {
                    "unit": [pub["unit"]],
                    "year": pub["year"],
                    "kind": pub["kind"],
                    "title": pub["title"],
                    "published_on": pub["published_on"],
                    "status": pub["status"],
                    "source_document": pub["source_document"],
                    "duties": pub["duties"],
                    "structure": pub["structure"],
                    "rounding_note": pub["rounding_note"],
                },
            }
        ]
        sections = self.module.SECTIONS
        head += [self.section_object(order, s) for order, s in enumerate(sections, start=1)]
        tables = [s for s in sections if isinstance(s, Table)]
        for table in tables:
            self.table_facts(table)
        for table in tables:
            self.table_figures(table)
        for section in sections:
            if isinstance(section, Narrative):
                self.narrative(section)
        return head, [fact for fact, _ in self.facts.values()]
