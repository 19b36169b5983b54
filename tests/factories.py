"""Data built in code for tests: more of everything, to show that pages do not slow down with
the data (a fixed number of queries), and small publications for edge cases."""

from decimal import Decimal

from budgets import open_lines
from budgets.models import (
    Citation,
    EvaluationItem,
    Fact,
    ProcurementItem,
    Project,
    ProjectAmount,
    ProjectCostLine,
    Publication,
    PublishedFigure,
    Section,
    SelfEvaluation,
    Subject,
)


def multiply_data(factor: int = 10, unit_code: str = "503033", year: int = 2024) -> None:
    """Add (factor - 1) copies of every fact, project and evaluation item of the unit's year,
    under new subject codes, so that every page has about `factor` times as many rows."""
    publications = list(Publication.objects.filter(unit__code=unit_code, year=year))
    facts = list(Fact.objects.filter(publication__in=publications).select_related("subject"))
    subjects, new_facts = {}, []
    for copy in range(1, factor):
        for fact in facts:
            if not fact.subject_id:
                continue  # unit-wide figures are one per stage by nature
            new_facts.append(
                Fact(
                    publication=fact.publication,
                    unit=fact.unit,
                    direction=fact.direction,
                    stage=fact.stage,
                    subject=_copied_subject(fact.subject, copy, subjects),
                    expenditure_type=fact.expenditure_type,
                    expense_class=fact.expense_class,
                    fund_source=fact.fund_source,
                    amount=fact.amount,
                )
            )
    _save_subjects([value for key, value in subjects.items() if key != "classes"])
    Fact.objects.bulk_create(new_facts)
    _multiply_projects(factor, publications)
    _multiply_evaluations(factor, publications)
    _multiply_section_cells(factor, publications)
    # bulk_create sends no signals: the open lines follow the new facts here.
    open_lines.refresh(publications)


def _copied_subject(subject, copy, cache):
    """The same subject under a new 类 of its own (5xx functional, 7xx economic), created with
    its ancestors, so that copies never collide with each other or with the published codes."""
    classes = cache.setdefault("classes", {})
    base = 500 if subject.scheme == "functional" else 700
    new_class = classes.setdefault(
        (subject.scheme, copy, subject.code[:3]), str(base + len(classes))
    )
    code = new_class + subject.code[3:]
    lengths = (3, 5, 7) if subject.scheme == "functional" else (3, 5)
    for length in lengths:
        part = code[:length]
        key = (subject.scheme, part)
        if key not in cache:  # saved by _save_subjects, before the facts that name it
            cache[key] = Subject(
                scheme=subject.scheme, year=subject.year, code=part, name=f"测试科目{part}"
            )
        if length == len(code):
            return cache[key]
    raise AssertionError(code)


def _save_subjects(subjects):
    """Save the copies' subjects as get_or_create one by one did (an existing one is used, a
    new one gets its first history row as a save would), in two bulk writes instead of one
    save, its signals and its history row per subject (half of multiply_data's time)."""
    existing = {
        (s.scheme, s.year, s.code): s.pk
        for s in Subject.objects.filter(code__in={subject.code for subject in subjects})
    }
    for subject in subjects:
        subject.pk = existing.get((subject.scheme, subject.year, subject.code))
    created = Subject.objects.bulk_create([s for s in subjects if s.pk is None])
    Subject.history.bulk_history_create(created)


def _multiply_projects(factor, publications):
    project = Project.objects.get()
    budget = next(p for p in publications if p.kind == "budget")
    section = Section.objects.get(publication=budget, slug="table-12")
    for copy in range(1, factor):
        clone = Project.objects.create(
            code=f"{project.code}-{copy}", name=f"{project.name}{copy}", unit=project.unit
        )
        ProjectAmount.objects.bulk_create(
            ProjectAmount(
                project=clone,
                publication=amount.publication,
                year=amount.year,
                stage=amount.stage,
                fund_source=amount.fund_source,
                amount=amount.amount,
            )
            for amount in project.amounts.all()
        )
        ProjectCostLine.objects.bulk_create(
            ProjectCostLine(
                project=clone,
                section=section,
                order=line.order,
                activity=line.activity,
                economic_name=line.economic_name,
                amount=line.amount,
            )
            for line in project.cost_lines.all()
        )
        ProcurementItem.objects.bulk_create(
            ProcurementItem(
                project=clone, section=section, order=item.order, item=item.item, amount=item.amount
            )
            for item in project.procurement_items.all()
        )


def _multiply_evaluations(factor, publications):
    for evaluation in SelfEvaluation.objects.filter(section__publication__in=publications):
        items = list(evaluation.items.all())
        EvaluationItem.objects.bulk_create(
            EvaluationItem(
                evaluation=evaluation,
                order=item.order + 100 * copy,
                kind=item.kind,
                level1=item.level1,
                level2=item.level2,
                level3=f"{item.level3}{copy}",
                weight=item.weight,
                target=item.target,
                actual=item.actual,
                score=item.score,
            )
            for copy in range(1, factor)
            for item in items
        )


def _multiply_section_cells(factor, publications):
    for model in (Citation, PublishedFigure):
        cells = list(model.objects.filter(section__publication__in=publications))
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        clones = []
        for copy in range(1, factor):
            for cell in cells:
                values = {name: getattr(cell, name) for name in fields}
                values["row_order"] += 1000 * copy
                clones.append(model(**values))
        model.objects.bulk_create(clones)


def amount(text: str) -> Decimal:
    return Decimal(text)


# -- small units built in code: departments, units, publications, facts ----------------------


def department(code: str = "901", name: str = "测试部门"):
    from budgets.models import Unit

    unit, _ = Unit.objects.get_or_create(
        code=code, defaults={"name": name, "kind": Unit.Kind.DEPARTMENT}
    )
    return unit


def unit_in(parent, code: str, name: str = "", is_example: bool = False):
    from budgets.models import Unit

    return Unit.objects.create(
        code=code, name=name or f"测试单位{code}", parent=parent, is_example=is_example
    )


def publication(unit, year: int, kind: str = "budget", status: str = "published"):
    return Publication.objects.create(
        unit=unit, year=year, kind=kind, title=f"{unit.name}{year}年{kind}", status=status
    )


def subject(scheme: str, year: int, code: str):
    """The subject and its ancestors (created if missing, named after their code)."""
    lengths = (3, 5, 7) if scheme == "functional" else (3, 5)
    found = None
    for length in lengths:
        if length > len(code):
            break
        found, _ = Subject.objects.get_or_create(
            scheme=scheme, year=year, code=code[:length], defaults={"name": f"科目{code[:length]}"}
        )
    return found


def fact(publication, code, amount, *, stage="", scheme="functional", unit=None, **dims):
    """A fact of the publication (its own unit unless `unit`), at the publication's first stage
    unless `stage`; `code` None makes a unit-wide fact; `amount` a string or None (blank)."""
    if not stage:
        stage = "initial_budget" if publication.kind == "budget" else "final"
    dims.setdefault("direction", "expenditure")
    if dims["direction"] == "expenditure" and code is not None:
        dims.setdefault("expenditure_type", "basic")
    return Fact.objects.create(
        publication=publication,
        unit=unit or publication.unit,
        stage=stage,
        subject=subject(scheme, publication.year, code) if code is not None else None,
        amount=None if amount is None else Decimal(amount),
        **dims,
    )
