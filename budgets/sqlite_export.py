"""portal.sqlite: the open datasets as one SQLite database, for Datasette, DB Browser for
SQLite or any SQL client.

Each table is read back from the CSV file the same build has just written, so that it holds
exactly the rows and columns of that file (a test compares them), in chunks with bounded
memory. Types follow the dataset's columns: integer columns are INTEGER, booleans INTEGER 0/1,
and a number column is TEXT holding the exact decimal as in the CSV ("720.94"; SQLite has no
exact decimal type and its REAL would turn 0.1 into 0.1000000000000000055…), followed by a
`<name>_real` REAL copy for sorting and quick sums. Blank cells are NULL. Text is as in the
CSV but for the apostrophe the CSVs put before text that a spreadsheet would run ("'=1+2"): a
database runs nothing, so it holds the text itself. Indexes and views come after the rows.
"""

import csv
import sqlite3
from pathlib import Path

from budgets.exports import is_formula_like

FILENAME = "portal.sqlite"
INSERT_ROWS = 5000
# Columns worth an index, alone or as the first of one: (name of the index, columns).
INDEXES = (
    ("unit_year", ("unit_code", "year")),
    ("year_stage", ("year", "stage")),
    ("functional_code", ("functional_code",)),
    ("economic_code", ("economic_code",)),
    ("project_code", ("project_code",)),
    ("section", ("publication_year", "section")),
)
# Sums in the views add whole hundredths (exact in a double up to 2^53) and print two places,
# so that a view's total is the exact total of the amounts it adds.
CENTS_SUM = "printf('%.2f', sum(round(amount_real * 100)) / 100.0)"
VIEWS = {
    "lines_by_class": (
        "支出、收入按类汇总（功能分类、经济分类分开，不相加） / Lines summed by class, "
        "functional and economic kept apart",
        "lines",
        f"""SELECT year, stage, direction, unit_code, unit_name, breakdown,
            substr(CASE breakdown WHEN 'economic' THEN economic_code ELSE functional_code END,
                   1, 3) AS class_code,
            {CENTS_SUM} AS amount, count(*) AS lines
        FROM lines GROUP BY year, stage, direction, unit_code, unit_name, breakdown, class_code""",
    ),
    "lines_by_unit": (
        "每个单位、年度、阶段的收支合计（按分类分开） / Totals by unit, year and stage",
        "lines",
        f"""SELECT year, stage, direction, unit_code, unit_name, breakdown,
            {CENTS_SUM} AS amount, count(*) AS lines
        FROM lines GROUP BY year, stage, direction, unit_code, unit_name, breakdown""",
    ),
    "three_public_totals": (
        "“三公”经费合计 / Three public expenses, totals",
        "three_public",
        f"""SELECT year, stage, unit_code, unit_name, {CENTS_SUM} AS amount
        FROM three_public GROUP BY year, stage, unit_code, unit_name""",
    ),
    "figures_with_findings": (
        "核对发现问题的公开数字 / Printed figures the quality check found something about",
        "figures",
        "SELECT * FROM figures WHERE finding IS NOT NULL",
    ),
    "indicators_not_met": (
        "未达成的绩效指标 / Indicators whose result did not meet the target",
        "indicators",
        "SELECT * FROM indicators WHERE met = 0",
    ),
}


def _sql_type(column) -> str:
    if column.type in ("integer", "boolean"):
        return "INTEGER"
    return "TEXT"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _cell(column, name: str) -> str:
    """A Python expression of the table's value(s) of the column from its CSV text `name`."""
    if column.type == "integer":
        return f"int({name}) if {name} else None"
    if column.type == "boolean":
        return f"_BOOLEANS.get({name})"
    if column.type == "number":
        return f"{name} or None, float({name}) if {name} else None"
    return f'({name}[1:] if {name}[:1] == "\'" and _formula({name}[1:]) else {name}) or None'


def _converter(dataset):
    """One function from a CSV row to the table's row, written for the dataset's columns: a
    million rows of per-cell calls cost seconds, one generated expression a row does not."""
    names = [f"c{index}" for index in range(len(dataset.columns))]
    cells = ", ".join(
        _cell(column, name) for column, name in zip(dataset.columns, names, strict=True)
    )
    source = f"def convert(row):\n    {', '.join(names)}, = row\n    return ({cells},)\n"
    scope = {"_BOOLEANS": {"true": 1, "false": 0}, "_formula": is_formula_like}
    exec(compile(source, f"<sqlite row of {dataset.name}>", "exec"), scope)
    return scope["convert"]


def _table_columns(dataset) -> list[tuple[str, str]]:
    columns = []
    for column in dataset.columns:
        columns.append((column.name, _sql_type(column)))
        if column.type == "number":
            columns.append((f"{column.name}_real", "REAL"))
    return columns


def _load(db, dataset, csv_path: Path) -> int:
    columns = _table_columns(dataset)
    definition = ", ".join(f"{_quote(name)} {kind}" for name, kind in columns)
    db.execute(f"CREATE TABLE {_quote(dataset.name)} ({definition})")
    insert = f"INSERT INTO {_quote(dataset.name)} VALUES ({', '.join('?' * len(columns))})"
    convert = _converter(dataset)
    count = 0
    with csv_path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        if header != dataset.header:
            raise ValueError(f"{csv_path.name}: header {header} is not {dataset.header}")
        batch = []
        for row in reader:
            batch.append(convert(row))
            if len(batch) >= INSERT_ROWS:
                db.executemany(insert, batch)
                count += len(batch)
                batch = []
        if batch:
            db.executemany(insert, batch)
            count += len(batch)
    return count


def _index(db, dataset) -> None:
    names = set(dataset.header)
    for suffix, columns in INDEXES:
        if set(columns) <= names:
            db.execute(
                f"CREATE INDEX {_quote(f'{dataset.name}_{suffix}')} ON {_quote(dataset.name)} "
                f"({', '.join(_quote(column) for column in columns)})"
            )


def _meta(db, datasets, about: dict) -> None:
    db.execute(
        "CREATE TABLE _meta (table_name TEXT, column_name TEXT, type TEXT, title TEXT, "
        "description_zh TEXT, description_en TEXT, unit TEXT)"
    )
    rows = []
    for dataset in datasets:
        rows.append(
            (dataset.name, None, "table", dataset.title_zh, dataset.description_zh,
             dataset.title_en, None)
        )  # fmt: skip
        for column in dataset.columns:
            rows.append(
                (dataset.name, column.name, _sql_type(column), column.label, column.zh,
                 column.en, column.unit or None)
            )  # fmt: skip
            if column.type == "number":
                rows.append(
                    (dataset.name, f"{column.name}_real", "REAL", column.label,
                     f"{column.name} 的浮点数副本，便于排序和粗略计算；精确值见 {column.name}",
                     f"{column.name} as a floating-point number, for sorting; "
                     f"{column.name} is exact", column.unit or None)
                )  # fmt: skip
    for name, (description, _source, _sql) in VIEWS.items():
        zh, _, en = description.partition(" / ")
        rows.append((name, None, "view", zh, zh, en, None))
    db.executemany("INSERT INTO _meta VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute("CREATE TABLE _about (key TEXT PRIMARY KEY, value TEXT)")
    db.executemany("INSERT INTO _about VALUES (?, ?)", list(about.items()))


def write(path: Path, datasets, csv_dir: Path, about: dict) -> dict[str, int]:
    """portal.sqlite at `path` from the datasets' CSV files in `csv_dir`; `about` (title,
    licence, build time, how to cite…) goes into its _about table. Returns {table: rows}."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        # A new file that a failed build deletes: no journal to keep.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("BEGIN")
        counts = {}
        for dataset in datasets:
            counts[dataset.name] = _load(db, dataset, csv_dir / dataset.filename)
        for dataset in datasets:
            _index(db, dataset)
        names = {dataset.name for dataset in datasets}
        for name, (_description, source, sql) in VIEWS.items():
            if source in names:
                db.execute(f"CREATE VIEW {_quote(name)} AS {sql}")
        _meta(db, datasets, about)
        db.execute("COMMIT")
        db.execute("ANALYZE")
    finally:
        db.close()
    return counts
