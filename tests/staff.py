"""Staff users and admin form data, shared by the admin tests."""

from django.contrib.auth.models import Group, User

from budgets.admin.versions import current_versions
from budgets.models import Fact, Unit, UnitMembership

PASSWORD = "密码-2024-portal"


def staff_user(username: str, group: str, *unit_codes: str) -> User:
    """A staff user of the group (财务人员 or 审核人员) working for the given units."""
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    for code in unit_codes:
        UnitMembership.objects.create(user=user, unit=Unit.objects.get(code=code))
    return user


def fact_form(fact, **changes) -> dict:
    """The admin change form of a fact as posted, with some fields changed: opened just now,
    so it carries the fact's current version."""
    data = {
        "seen_version": str(current_versions(Fact, [fact.pk])[fact.pk]),
        "publication": fact.publication_id,
        "unit": fact.unit_id,
        "direction": fact.direction,
        "stage": fact.stage,
        "subject": fact.subject_id or "",
        "expenditure_type": fact.expenditure_type,
        "expense_class": fact.expense_class,
        "fund_source": fact.fund_source,
        "amount": str(fact.amount) if fact.amount is not None else "",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data
