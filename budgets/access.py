"""Who may see and change which figures in the admin.

- Finance staff (财务人员) work for one or more units (UnitMembership; a department's member
  works for its units too). They see those units' publications and change their drafts only.
- Reviewers (审核人员) hold `budgets.publish_publication`: they publish their units' drafts and
  correct their published publications, each correction with a reason.
- The classification (subjects of each year, the crosswalk between years) is shared by every
  unit: those who may add a subject (`budgets.add_subject`, reviewers since migration 0007) also
  open a year, rename and retire codes and keep the crosswalk.
- A superuser sees every unit. Nobody changes a published figure except through a correction.
"""

from django.db.models import Q

from budgets.models import (
    Citation,
    Correction,
    EvaluationItem,
    Explanation,
    Fact,
    IndicatorPriorValue,
    IndicatorTarget,
    PerformancePlan,
    ProcurementItem,
    Project,
    ProjectAmount,
    ProjectCostLine,
    ProjectSubjectLink,
    Publication,
    PublicationContact,
    PublicationSource,
    PublishedFigure,
    Section,
    SelfEvaluation,
    ThreePublicExpense,
    Unit,
    UnitMembership,
)

PUBLISH_PERMISSION = "budgets.publish_publication"
CLASSIFICATION_PERMISSION = "budgets.add_subject"

# The lookup from each record to the publication it belongs to.
PUBLICATION_PATHS = {
    Publication: "",
    Section: "publication",
    PublicationContact: "section__publication",
    Fact: "publication",
    ThreePublicExpense: "publication",
    Citation: "section__publication",
    PublishedFigure: "section__publication",
    Explanation: "section__publication",
    ProjectAmount: "publication",
    ProjectCostLine: "section__publication",
    ProcurementItem: "section__publication",
    PerformancePlan: "section__publication",
    SelfEvaluation: "section__publication",
    IndicatorTarget: "plan__section__publication",
    IndicatorPriorValue: "target__plan__section__publication",
    EvaluationItem: "evaluation__section__publication",
    Correction: "publication",
    PublicationSource: "publication",
}
# Records that belong to a unit but to no single publication. Subjects belong to everyone.
UNIT_PATHS = {
    Unit: "",
    Project: "unit",
    ProjectSubjectLink: "project__unit",
    UnitMembership: "unit",
}


def join(*names: str) -> str:
    return "__".join(name for name in names if name)


def publication_path(model) -> str | None:
    return PUBLICATION_PATHS.get(model)


def unit_path(model) -> str | None:
    """The lookup from a record of `model` to its unit; None for shared records (subjects)."""
    if model in UNIT_PATHS:
        return UNIT_PATHS[model]
    if model in PUBLICATION_PATHS:
        return join(PUBLICATION_PATHS[model], "unit")
    return None


def unit_ids(user) -> set[int] | None:
    """The ids of the units a user works for, with every unit below them; None means all."""
    if user.is_superuser:
        return None
    cached = getattr(user, "_budget_unit_ids", None)
    if cached is not None:
        return cached
    own = set(user.unit_memberships.values_list("unit_id", flat=True))
    children: dict[int | None, list[int]] = {}
    for pk, parent in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, pending = set(), list(own)
    while pending:
        pk = pending.pop()
        if pk not in found:
            found.add(pk)
            pending.extend(children.get(pk, []))
    user._budget_unit_ids = found
    return found


def unit_choices(user) -> Q:
    """The units a user may pick in a form: their own and those below, and the departments
    above them, whose rows a unit's publication prints (表5-2 lists the department first).
    Picking a unit gives no access to it: each form still checks whose record it is."""
    ids = unit_ids(user)
    if ids is None:
        return Q()
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    above = set()
    for pk in ids:
        parent = parents.get(pk)
        while parent is not None and parent not in above:
            above.add(parent)
            parent = parents.get(parent)
    return Q(pk__in=ids | above)


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def may_edit_classification(user) -> bool:
    """Whether the user keeps the code lists: opens a year, adds, renames and retires subjects,
    records the crosswalk. One permission for all of it, the one that adds a subject."""
    return user.has_perm(CLASSIFICATION_PERMISSION)


def scope_filter(user, model) -> Q:
    """A filter keeping the records of `model` whose unit the user works for."""
    ids = unit_ids(user)
    path = unit_path(model)
    if ids is None or path is None:
        return Q()
    return Q(**{join(path, "pk__in"): ids})


def follow(obj, path: str):
    """The record at the end of a lookup path ("section__publication"); obj itself for ""."""
    current = obj
    for name in filter(None, path.split("__")):
        current = getattr(current, name, None)
        if current is None:
            return None
    return current


def works_for(user, unit_id) -> bool:
    ids = unit_ids(user)
    return ids is None or unit_id in ids


def unit_of(obj) -> Unit | None:
    path = unit_path(type(obj))
    return None if path is None else follow(obj, path)


def publication_of(obj) -> Publication | None:
    path = publication_path(type(obj))
    return None if path is None else follow(obj, path)


def may_see(user, obj) -> bool:
    unit = unit_of(obj)
    return unit is None or works_for(user, unit.pk)
