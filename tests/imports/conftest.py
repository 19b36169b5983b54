import pytest

from budgets.models import Publication, Unit


@pytest.fixture
def draft():
    """A new unit's empty draft budget for 2024, as finance staff create it in the admin."""
    unit = Unit.objects.create(
        code="503099", name="另一个单位", parent=Unit.objects.get(code="503")
    )
    return Publication.objects.create(
        unit=unit, year=2024, kind="budget", title="另一个单位2024年单位预算"
    )
