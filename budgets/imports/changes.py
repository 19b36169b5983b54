"""What an import changes in a draft publication, and writing it.

The publication's tables after the import are the uploaded sheets plus its other tables as
they stand (read back from their printed cells). The fixture builder turns them into facts,
citations and printed figures exactly as it built the fixtures; the plan compares that with
the database: amounts to add, change or remove, and the tables whose printed cells change.
Applying the plan writes only those differences, in one transaction, each recorded in the
audit trail with the importing user and the file's name.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from budgets.choices import (
    Direction,
    ExpenditureType,
    ExpenseClass,
    FundSource,
    SectionKind,
    Stage,
    ThreePublicKind,
)
from budgets.imports.indicators import (
    IndicatorLayout,
    ParsedIndicators,
    indicator_layouts,
    missing_table_issue,
    read_indicators,
    replace_rows,
)
from budgets.imports.indicators import current_rows as indicator_rows
from budgets.imports.layouts import Layout, layouts_for
from budgets.imports.parsing import Issue, Level, ParsedTable, read_sheet
from budgets.layouts import defaults, project_table_code
from budgets.layouts.builder import BuildError, PublicationBuilder
from budgets.models import (
    Citation,
    Fact,
    Project,
    ProjectAmount,
    Publication,
    PublishedFigure,
    Section,
    Subject,
    ThreePublicExpense,
    Unit,
)
from budgets.models.history import BASELINE_REASON, record_baseline

AMOUNT_MODELS = {
    "budgets.fact": Fact,
    "budgets.threepublicexpense": ThreePublicExpense,
    "budgets.projectamount": ProjectAmount,
}
CELL_FIELDS = ["row_order", "row_code", "row_label", "part", "column", "printed_text"]
FIGURE_FIELDS = [
    "kind",
    "measure",
    "year",
    "stage",
    "scheme",
    "subject_code",
    "expenditure_type",
    "expense_class",
    "fund_source",
    "three_public_kind",
    "value",
    "unit_of_measure",
    "note",
]


class ImportProblems(Exception):
    """Problems that stop an import: a list of Issues."""

    def __init__(self, issues):
        super().__init__("; ".join(issue.message for issue in issues))
        self.issues = issues


@dataclass
class AmountChange:
    action: str  # 新增 / 修改 / 删除
    what: str
    old: Decimal | None = None
    new: Decimal | None = None


@dataclass
class Plan:
    publication: Publication
    tables: list[ParsedTable]
    amounts: list[AmountChange] = field(default_factory=list)
    changed_sections: dict = field(default_factory=dict)  # slug → (layout, old cells, new)
    # the builder's output, kept for apply()
    desired_amounts: dict = field(default_factory=dict)
    desired_cells: dict = field(default_factory=dict)
    target_keys: dict = field(default_factory=dict)  # (model, builder pk) → amount key
    new_sections: list = field(default_factory=list)

    indicators: list[ParsedIndicators] = field(default_factory=list)
    changed_indicators: list[ParsedIndicators] = field(default_factory=list)
    problems: list[Issue] = field(default_factory=list)  # of the upload as a whole

    @property
    def issues(self) -> list[Issue]:
        sheets = [*self.tables, *self.indicators]
        return [*self.problems, *(issue for sheet in sheets for issue in sheet.issues)]

    @property
    def has_changes(self) -> bool:
        return bool(
            self.amounts or self.changed_sections or self.new_sections or self.changed_indicators
        )


def subjects_of(year: int) -> dict:
    return {
        (scheme, code): name
        for scheme, code, name in Subject.objects.filter(year=year).values_list(
            "scheme", "code", "name"
        )
    }


def project_sheet_issue(publication: Publication, name: str, code: str, layouts) -> Issue | None:
    """A sheet of a per-project table (表12, 项目自评表, or their indicators) that is not one of
    the unit's projects of the publication's year: refused, saying why."""
    table = project_table_code(publication.kind)
    if not table:
        return None
    own = [layout.project for layout in layouts if layout.project]
    unit, year = publication.unit, publication.year
    for text in (code, name):
        if not text.startswith(table):
            continue
        project = text[len(table) :].removesuffix("-指标").removeprefix("（").removesuffix("）")
        if not own:
            why = f"本单位（{unit.code}）{year} 年没有项目"
        elif project:
            why = f"项目“{project}”不是本单位 {year} 年的项目（本单位的项目：{'、'.join(own)}）"
        else:
            why = (
                f"本单位 {year} 年有 {len(own)} 个项目，每个项目一张表，"
                f"表号后注明项目编码，如“{table}（{own[0]}）”"
            )
        message = (
            f"{text} 是项目的表格，{why}，不能导入这张表。"
            "请下载本单位的模板填写；如缺少项目，请先在“项目”中为本单位添加。"
        )
        return Issue(name, None, "", message)
    return None


def match_sheets(publication: Publication, sheets: dict, layouts=None):
    """Which table (or which table's indicators) each sheet holds, by the number in its first
    cell (as in the template: "表3", "表11-指标") or by its sheet name. Sheets that hold none
    are reported: a project's table for a project the unit does not have, with its reason."""
    layouts = layouts_for(publication) if layouts is None else layouts
    by_code = {layout.code: layout for layout in layouts}
    by_code.update({layout.code: layout for layout in indicator_layouts(layouts)})
    matched, issues, seen = [], [], set()
    for name, rows in sheets.items():
        if name == "填写说明":
            continue
        first = next((row[0] for row in rows if row and row[0]), "") or ""
        code = first.split()[0] if first.split() else ""
        layout = by_code.get(code) or by_code.get(name)
        if layout is None:
            issue = project_sheet_issue(publication, name, code, layouts) or Issue(
                name, None, "", f"无法识别这张表：第一格应为表号（如 {next(iter(by_code))}）。"
            )
            issues.append(issue)
            continue
        if layout.code in seen:
            issues.append(Issue(name, None, "", f"{layout.code} 在文件中出现了不止一次。"))
            continue
        seen.add(layout.code)
        matched.append((layout, name, rows))
    if not matched and not issues:
        issues.append(Issue("", None, "", "文件中没有可以导入的表格。"))
    return matched, issues


def current_rows(section: Section, layout: Layout) -> list[list]:
    """A table already in the publication, as the rows of text of its sheet."""
    cells = defaultdict(dict)
    heads = {}
    for model in (Citation, PublishedFigure):
        for row_order, code, label, part, column, text in model.objects.filter(
            section=section
        ).values_list(*CELL_FIELDS):
            heads[row_order] = (code, label, part)
            if text:
                cells[row_order][column] = text
    headers = layout.headers()
    offset = 3 if layout.has_parts else 2
    rows = [headers]
    for row_order in sorted(heads):
        code, label, part = heads[row_order]
        values = [cells[row_order].get(header) for header in headers[offset:]]
        rows.append([code, label] + ([part] if layout.has_parts else []) + values)
    return rows


def read_tables(publication: Publication, matched: list[tuple], layouts) -> list[ParsedTable]:
    """The uploaded sheets read, plus the publication's other tables as they stand."""
    subjects = subjects_of(publication.year)
    tables = [
        read_sheet(layout, name, rows, subjects)
        for layout, name, rows in matched
        if isinstance(layout, Layout)
    ]
    replaced = {table.layout.slug for table in tables}
    sections = {s.slug: s for s in publication.sections.exclude(kind=SectionKind.NARRATIVE)}
    for layout in layouts:
        section = sections.get(layout.slug)
        if section is None or layout.slug in replaced:
            continue
        current = read_sheet(layout, layout.code, current_rows(section, layout), subjects)
        current.uploaded = False
        # Only what stops the build matters for a table already in the draft.
        current.issues = [i for i in current.issues if i.level == Level.ERROR]
        tables.append(current)
    return sorted(tables, key=lambda table: table.layout.order)


def read_indicator_sheets(publication: Publication, matched: list[tuple]) -> list[ParsedIndicators]:
    return [
        read_indicators(layout, name, rows, publication.year)
        for layout, name, rows in matched
        if isinstance(layout, IndicatorLayout)
    ]


def build(publication: Publication, tables: list[ParsedTable]):
    kind = publication.kind
    module = SimpleNamespace(
        PUBLICATION={
            "unit": publication.unit.code,
            "year": publication.year,
            "kind": kind,
            "title": publication.title,
            "published_on": None,
            "status": publication.status,
            "source_document": publication.source_document,
            "duties": publication.duties,
            "structure": publication.structure,
            "rounding_note": publication.rounding_note,
        },
        DEFAULTS=defaults(kind, publication.unit.code, publication.year),
        SECTIONS=[table.table() for table in tables],
    )
    builder = PublicationBuilder(module, defaultdict(int))
    try:
        head, facts = builder.build()
    except BuildError as error:
        raise ImportProblems([Issue("", None, "", f"表格之间不一致：{error}")]) from error
    return head, facts, builder.citations, builder.figures


def amount_key(obj: dict) -> tuple:
    fields = obj["fields"]
    model = obj["model"]
    if model == "budgets.fact":
        subject = tuple(fields["subject"] or ())
        return (
            model,
            fields["unit"][0],
            fields["direction"],
            fields["stage"],
            subject,
            fields["expenditure_type"],
            fields["expense_class"],
            fields["fund_source"],
        )
    if model == "budgets.threepublicexpense":
        return (model, fields["unit"][0], fields["stage"], fields["kind"])
    return (model, fields["project"][0], fields["year"], fields["stage"], fields["fund_source"])


def db_amount_key(instance) -> tuple:
    if isinstance(instance, Fact):
        subject = instance.subject
        return (
            "budgets.fact",
            instance.unit.code,
            instance.direction,
            instance.stage,
            (subject.scheme, subject.year, subject.code) if subject else (),
            instance.expenditure_type,
            instance.expense_class,
            instance.fund_source,
        )
    if isinstance(instance, ThreePublicExpense):
        return ("budgets.threepublicexpense", instance.unit.code, instance.stage, instance.kind)
    return (
        "budgets.projectamount",
        instance.project.code,
        instance.year,
        instance.stage,
        instance.fund_source,
    )


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value)) if value else ""


def describe(key: tuple) -> str:
    """An amount's key in words: "支出 年初预算 2080199 项目支出 一般公共预算"."""
    model = key[0]
    if model == "budgets.fact":
        _, _, direction, stage, subject, etype, eclass, fund = key
        parts = [
            _label(Direction.choices, direction),
            _label(Stage.choices, stage),
            subject[2] if subject else "合计",
            _label(ExpenditureType.choices, etype),
            _label(ExpenseClass.choices, eclass),
            _label(FundSource.choices, fund),
        ]
        return " ".join(filter(None, parts))
    if model == "budgets.threepublicexpense":
        kind = _label(ThreePublicKind.choices, key[3])
        return f"“三公”经费 {kind} {_label(Stage.choices, key[2])}"
    stage = _label(Stage.choices, key[3])
    return " ".join(filter(None, ["项目", key[1], f"{key[2]} 年", stage, key[4]]))


def current_amounts(publication: Publication) -> dict:
    found = {}
    querysets = [
        Fact.objects.filter(publication=publication).select_related("unit", "subject"),
        ThreePublicExpense.objects.filter(publication=publication).select_related("unit"),
        ProjectAmount.objects.filter(publication=publication).select_related("project"),
    ]
    for queryset in querysets:
        for instance in queryset:
            found[db_amount_key(instance)] = instance
    return found


def _money(text):
    return None if text is None else Decimal(text)


CITATION_TARGETS = {
    "fact": "budgets.fact",
    "three_public": "budgets.threepublicexpense",
    "project_amount": "budgets.projectamount",
}


def citation_target(fields: dict) -> tuple:
    """(model, builder pk) of what a citation from the builder cites."""
    return next((model, fields[name]) for name, model in CITATION_TARGETS.items() if fields[name])


def cell_key(obj: dict) -> tuple:
    fields = obj["fields"]
    return (fields["row_order"], fields["part"], fields["column"])


def cell_value(obj: dict, target_keys: dict) -> tuple:
    fields = obj["fields"]
    base = tuple(fields[name] for name in CELL_FIELDS)
    if obj["model"] == "budgets.citation":
        return ("citation", *base, target_keys[citation_target(fields)])
    figure = tuple(
        _money(fields[name]) if name == "value" else fields[name] for name in FIGURE_FIELDS
    )
    project = fields["project"][0] if fields["project"] else ""
    return ("figure", *base, *figure, fields["unit"][0], project)


def current_cells(section: Section) -> dict:
    cells = {}
    for citation in Citation.objects.filter(section=section).select_related(
        "fact__unit", "fact__subject", "three_public__unit", "project_amount__project"
    ):
        target = citation.fact or citation.three_public or citation.project_amount
        base = tuple(getattr(citation, name) for name in CELL_FIELDS)
        cells[(citation.row_order, citation.part, citation.column)] = (
            "citation",
            *base,
            db_amount_key(target),
        )
    for figure in PublishedFigure.objects.filter(section=section).select_related("unit", "project"):
        base = tuple(getattr(figure, name) for name in CELL_FIELDS)
        values = tuple(getattr(figure, name) for name in FIGURE_FIELDS)
        project = figure.project.code if figure.project else ""
        cells[(figure.row_order, figure.part, figure.column)] = (
            "figure",
            *base,
            *values,
            figure.unit.code,
            project,
        )
    return cells


def plan(publication: Publication, uploaded: dict) -> Plan:
    """What importing the uploaded sheets into the draft publication would change."""
    layouts = layouts_for(publication)
    matched, issues = match_sheets(publication, uploaded, layouts)
    if issues:
        raise ImportProblems(issues)
    tables = read_tables(publication, matched, layouts)
    result = Plan(
        publication=publication,
        tables=tables,
        indicators=read_indicator_sheets(publication, matched),
    )
    if result.problems or any(sheet.errors for sheet in [*tables, *result.indicators]):
        return result
    head, facts, citations, figures = build(publication, tables)
    desired = {amount_key(obj): obj for obj in facts}
    target_keys = {(obj["model"], obj["pk"]): amount_key(obj) for obj in facts}
    result.desired_amounts = desired
    result.target_keys = target_keys
    existing = current_amounts(publication)
    for key, obj in desired.items():
        new = _money(obj["fields"]["amount"])
        if key not in existing:
            result.amounts.append(AmountChange("新增", describe(key), None, new))
        elif existing[key].amount != new:
            result.amounts.append(AmountChange("修改", describe(key), existing[key].amount, new))
    for key, instance in existing.items():
        if key not in desired:
            result.amounts.append(AmountChange("删除", describe(key), instance.amount, None))
    cells_by_section = defaultdict(dict)
    for obj in [*citations, *figures]:
        slug = obj["fields"]["section"][-1]
        cells_by_section[slug][cell_key(obj)] = (obj, cell_value(obj, target_keys))
    result.desired_cells = cells_by_section
    sections = {s.slug: s for s in publication.sections.all()}
    layouts = {table.layout.slug: table.layout for table in tables}
    for section_object in head[1:]:
        fields = section_object["fields"]
        if fields["slug"] not in sections:
            # Its place among all sections of a publication of its kind, not of this upload.
            result.new_sections.append({**fields, "order": layouts[fields["slug"]].order})
    for slug, wanted in cells_by_section.items():
        old = current_cells(sections[slug]) if slug in sections else {}
        new = {key: value for key, (_, value) in wanted.items()}
        if old != new:
            result.changed_sections[slug] = (layouts[slug], len(old), len(new))
    created = {fields["slug"] for fields in result.new_sections}
    for sheet in result.indicators:
        layout = sheet.layout
        if layout.slug not in sections and layout.slug not in created:
            message = f"请同时导入 {layout.table_code}：指标属于这张表。"
            result.problems.append(Issue(sheet.sheet, None, "", message))
        elif problem := missing_table_issue(publication, layout):
            result.problems.append(problem)
        elif indicator_rows(publication, layout) != sheet.rows:
            result.changed_indicators.append(sheet)
    return result


def _project(code, projects):
    if code not in projects:
        raise ImportProblems([Issue("", None, "", f"项目“{code}”不存在，请先在“项目”中添加。")])
    return projects[code]


def apply(result: Plan, user, source: str) -> None:
    """Write the plan into its draft publication, in one transaction."""
    publication = result.publication
    reason = f"导入 {source}"
    units = {unit.code: unit for unit in Unit.objects.all()}
    subjects = {
        (s.scheme, s.year, s.code): s for s in Subject.objects.filter(year=publication.year)
    }
    projects = {
        project.code: project for project in Project.objects.filter(unit__in=units.values())
    }
    with transaction.atomic():
        for fields in result.new_sections:
            Section.objects.create(
                publication=publication,
                **{k: v for k, v in fields.items() if k not in ("publication",)},
            )
        sections = {s.slug: s for s in publication.sections.all()}
        changed = [sections[slug] for slug in result.changed_sections]
        for model in (Citation, PublishedFigure):
            queryset = model.objects.filter(section__in=changed)
            record_baseline(model, queryset, BASELINE_REASON)
            queryset.delete()
        existing = current_amounts(publication)
        for key, instance in existing.items():
            if key not in result.desired_amounts:
                record_baseline(
                    type(instance), type(instance).objects.filter(pk=instance.pk), BASELINE_REASON
                )
                instance._change_reason = reason
                instance.delete()
        saved, new_objects = {}, defaultdict(list)
        for key, obj in result.desired_amounts.items():
            fields = obj["fields"]
            amount = _money(fields["amount"])
            instance = existing.get(key)
            if instance is not None:
                if instance.amount != amount:
                    record_baseline(
                        type(instance),
                        type(instance).objects.filter(pk=instance.pk),
                        BASELINE_REASON,
                    )
                    instance.amount = amount
                    instance._change_reason = reason
                    instance.save()
                saved[key] = instance
                continue
            model = AMOUNT_MODELS[obj["model"]]
            if model is Fact:
                instance = Fact(
                    publication=publication,
                    unit=units[fields["unit"][0]],
                    direction=fields["direction"],
                    stage=fields["stage"],
                    subject=subjects[tuple(fields["subject"])] if fields["subject"] else None,
                    expenditure_type=fields["expenditure_type"],
                    expense_class=fields["expense_class"],
                    fund_source=fields["fund_source"],
                    amount=amount,
                )
            elif model is ThreePublicExpense:
                instance = ThreePublicExpense(
                    publication=publication,
                    unit=units[fields["unit"][0]],
                    stage=fields["stage"],
                    kind=fields["kind"],
                    amount=amount,
                )
            else:
                instance = ProjectAmount(
                    project=_project(fields["project"][0], projects),
                    publication=publication,
                    year=fields["year"],
                    stage=fields["stage"],
                    fund_source=fields["fund_source"],
                    amount=amount,
                )
            new_objects[model].append((key, instance))
        for model, pairs in new_objects.items():
            bulk_create_with_history(
                [instance for _, instance in pairs],
                model,
                default_user=user,
                default_change_reason=reason,
            )
            saved.update(pairs)
        citations, figures = [], []
        for slug in result.changed_sections:
            section = sections[slug]
            for obj, _value in result.desired_cells[slug].values():
                fields = obj["fields"]
                position = {name: fields[name] for name in CELL_FIELDS}
                if obj["model"] == "budgets.citation":
                    target = saved[result.target_keys[citation_target(fields)]]
                    citations.append(
                        Citation(
                            section=section,
                            **position,
                            fact=target if isinstance(target, Fact) else None,
                            three_public=target if isinstance(target, ThreePublicExpense) else None,
                            project_amount=target if isinstance(target, ProjectAmount) else None,
                        )
                    )
                else:
                    figures.append(
                        PublishedFigure(
                            section=section,
                            **position,
                            **{
                                name: _money(fields[name]) if name == "value" else fields[name]
                                for name in FIGURE_FIELDS
                            },
                            unit=units[fields["unit"][0]],
                            project=_project(fields["project"][0], projects)
                            if fields["project"]
                            else None,
                        )
                    )
        for model, objects in ((Citation, citations), (PublishedFigure, figures)):
            bulk_create_with_history(
                objects, model, default_user=user, default_change_reason=reason
            )
        for sheet in result.changed_indicators:
            replace_rows(publication, sheet, user, reason)
