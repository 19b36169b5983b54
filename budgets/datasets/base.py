"""What every open dataset shares: the Column and Dataset definitions, the columns several
datasets use, and reading a table in chunks with the sources of each chunk."""

from dataclasses import dataclass, field

from django.conf import settings

from budgets.models import Citation

CHUNK = 2000
KIND_LABELS = {"budget": "预算", "final": "决算"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless type: string, integer, number, boolean
    zh: str
    en: str
    values: tuple = ()  # the code list, when the column holds codes
    unit: str = ""
    # The column that holds each row's unit of measure, when the unit varies by row.
    unit_from: str = ""
    # The short Chinese name, where the start of `zh` is not one ("target 绩效目标、…").
    title: str = ""

    @property
    def label(self) -> str:
        """The Chinese name a person reads, with the unit: "金额（万元）"."""
        name = self.title or self.zh.split("：")[0].split("，")[0].split("（")[0]
        return f"{name}（{self.unit}）" if self.unit else name


@dataclass(frozen=True)
class Dataset:
    name: str
    title_zh: str
    title_en: str
    description_zh: str
    columns: list = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


STAGES = ("initial_budget", "adjusted_budget", "final")
YEAR = Column("year", "integer", "所属年度", "Fiscal year the figure belongs to")
STAGE = Column(
    "stage",
    "string",
    "阶段：年初预算、调整预算（全年预算数）、决算",
    "Stage: initial budget, adjusted budget, final accounts",
    STAGES,
)
UNIT_CODE = Column("unit_code", "string", "单位编码", "Code of the budget unit")
UNIT_NAME = Column("unit_name", "string", "单位名称", "Name of the budget unit")
AMOUNT = Column(
    "amount",
    "number",
    "金额，万元，两位小数；空白表示公开文件中该处为空（未公开），不是 0",
    "Amount in 10,000 CNY (wan yuan), two decimals; blank means the publication leaves it blank "
    "(not published), not zero",
    unit="万元",
)
SOURCE = Column(
    "source",
    "string",
    "出处：公开文件及表格（同一数字印在几张表里时全部列出）",
    "Where it is printed: publication and table(s)",
)
PROJECT_CODE = Column("project_code", "string", "项目编码（含字母，按文本）", "Project code")
PROJECT_NAME = Column("project_name", "string", "项目名称", "Project name")
FUND_SOURCES = (
    "general_budget",
    "government_fund",
    "state_capital",
    "special_account",
    "business",
    "operating",
    "superior_subsidy",
    "subordinate_remittance",
    "other",
    "unit_funds",
)


def _sources(citations) -> dict:
    """{target id: where it is printed, e.g. "2024年预算 表3、表5-1"} for a queryset of
    citations of one target field."""
    found = {}
    for target, year, kind, code in citations.iterator(chunk_size=CHUNK):
        entry = found.setdefault(target, {"label": f"{year}年{KIND_LABELS[kind]}", "codes": []})
        if code not in entry["codes"]:
            entry["codes"].append(code)
    return {target: f"{e['label']} {'、'.join(e['codes'])}" for target, e in found.items()}


def _citations(field_name: str, ids=None):
    citations = Citation.objects.filter(**{f"{field_name}__isnull": False})
    if ids is not None:
        citations = citations.filter(**{f"{field_name}__in": ids})
    # The table code breaks ties, so that a source reads the same on every database and in
    # budgets.open_lines' SQL.
    return citations.order_by(
        field_name, "section__order", "row_order", "section__code"
    ).values_list(
        field_name, "section__publication__year", "section__publication__kind", "section__code"
    )


def without_examples(queryset, publication: str = "publication"):
    """The open data hold real publications only: the example units of generate_city (示例数据)
    never reach a download or the browse page, unless settings.OPEN_DATA_INCLUDES_EXAMPLES opens
    them (a demonstration or benchmark instance). `publication` is the path to the publication."""
    if settings.OPEN_DATA_INCLUDES_EXAMPLES:
        return queryset
    return queryset.exclude(**{f"{publication}__unit__is_example": True})


def _batches(rows, size: int = CHUNK):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _chunks(queryset, fields):
    """Lists of at most CHUNK value rows of an ordered queryset, read through one cursor (a
    server-side cursor on PostgreSQL): what each chunk needs from other tables is fetched per
    chunk, so memory does not grow with the table."""
    return _batches(queryset.values_list(*fields).iterator(chunk_size=CHUNK))
