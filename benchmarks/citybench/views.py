"""The views measured, each with its Datasette equivalent: the same rows through Datasette's
table view (filters, sort, .json) for the lines page and the API, and a SQL group-by over the
lines for the summary pages (`≈`: the same rows read and summed, not the same page)."""

import urllib.parse
from dataclasses import dataclass

DB = "/city"  # the SQLite copy is city.db


@dataclass
class View:
    name: str
    kind: str  # page, browse or api: browse and api have a goal against Datasette
    ours: str | None
    datasette: str | None = None
    approximate: bool = False  # the Datasette side is a SQL stand-in, not the same view


def _sql(sql: str, **parameters) -> str:
    query = {"sql": " ".join(sql.split()), **{k: str(v) for k, v in parameters.items()}}
    return f"{DB}?{urllib.parse.urlencode(query)}"


def _table(fmt: str = "", **filters) -> str:
    query = {**{k: str(v) for k, v in filters.items()}, "_size": "50", "_nosuggest": "1"}
    return f"{DB}/lines{fmt}?{urllib.parse.urlencode(query)}"


STAGES = """
    sum(case when stage = 'initial_budget' then amount end) as initial_budget,
    sum(case when stage = 'adjusted_budget' then amount end) as adjusted_budget,
    sum(case when stage = 'final' then amount end) as final
"""


def views(city) -> list[View]:
    """`city`: citybench.city.Addresses."""
    d, u, y, c = city.department, city.unit, city.year, city.code
    unit = f"/units/{u}/{y}/"
    # Units of a department carry its code as a prefix; a range reads the unit_code index.
    department = {"low": d, "high": str(int(d) + 1)}
    return [
        View(
            "home /",
            "page",
            "/",
            _sql(
                f"""select substr(unit_code, 1, 3) as department, {STAGES}, count(*) as lines
                from lines where year = :year and direction = 'expenditure'
                and breakdown = 'functional' group by 1 order by 1 limit 25""",
                year=y,
            ),
            approximate=True,
        ),
        View(
            "department",
            "page",
            f"/departments/{d}/",
            _sql(
                f"""select year, count(distinct unit_code) as units, {STAGES} from lines
                where unit_code > :low and unit_code < :high and direction = 'expenditure'
                and breakdown = 'functional' group by year order by year""",
                **department,
            ),
            approximate=True,
        ),
        View(
            "department year",
            "page",
            f"/departments/{d}/{y}/",
            _sql(
                f"""select unit_code, unit_name, {STAGES} from lines
                where year = :year and unit_code > :low and unit_code < :high
                and direction = 'expenditure' and breakdown = 'functional'
                group by unit_code, unit_name order by unit_code limit 25""",
                year=y,
                **department,
            ),
            approximate=True,
        ),
        View(
            "unit overview",
            "page",
            unit,
            _sql(
                """select stage, direction, breakdown, count(*) as lines, sum(amount) as amount
                from lines where unit_code = :unit and year = :year
                group by stage, direction, breakdown""",
                unit=u,
                year=y,
            ),
            approximate=True,
        ),
        View(
            "functional",
            "page",
            f"{unit}functional/",
            _sql(
                f"""select functional_code, functional_name, functional_level, {STAGES}
                from lines where unit_code = :unit and year = :year
                and breakdown = 'functional' and direction = 'expenditure'
                group by functional_code, functional_name, functional_level
                order by functional_code""",
                unit=u,
                year=y,
            ),
            approximate=True,
        ),
        View(
            "subject",
            "page",
            f"{unit}subjects/functional/{c}/",
            _table(unit_code=u, year=y, subject_code__startswith=c),
            approximate=True,
        ),
        View(
            "browse unfiltered",
            "browse",
            "/data/browse/?per_page=50",
            _table(),
        ),
        View(
            "browse year+unit",
            "browse",
            f"/data/browse/?year={y}&unit={u}&per_page=50",
            _table(year=y, unit_code=u),
        ),
        View(
            "browse year+stage+code_prefix",
            "browse",
            f"/data/browse/?year={y}&stage=final&code_prefix={c}&per_page=50",
            _table(year=y, stage="final", subject_code__startswith=c),
        ),
        View(
            "browse sort=-amount",
            "browse",
            "/data/browse/?sort=-amount&per_page=50",
            _table(_sort_desc="amount"),
        ),
        View("API unfiltered", "api", "/api/lines/?page_size=50", _table(".json")),
        View(
            "API year+stage+code_prefix",
            "api",
            f"/api/lines/?year={y}&stage=final&code_prefix={c}&page_size=50",
            _table(".json", year=y, stage="final", subject_code__startswith=c),
        ),
        # Filled in by bench_city.py once the next links are followed.
        View("API deep (row 50,000)", "api", None, None),
    ]
