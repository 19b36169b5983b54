"""The exact-decimal field: amounts in 万元 stored as integer yuan, exact through aggregates."""

import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from budgets.fields import ExactDecimalField
from budgets.models import Project, ProjectCostLine, Section

pytestmark = pytest.mark.django_db


def test_amounts_are_stored_as_integer_yuan():
    field = ExactDecimalField()
    assert field.get_prep_value(Decimal("168.73")) == 1687300
    assert field.get_prep_value("0.01") == 100
    assert field.from_db_value(1687300, None, None) == Decimal("168.73")


def test_more_than_two_decimal_places_is_refused_in_chinese():
    with pytest.raises(ValidationError) as error:
        ExactDecimalField().to_python("1.005")
    assert "最多保留 2 位小数" in error.value.messages[0]


def test_a_float_is_refused_rather_than_rounded():
    with pytest.raises(ValidationError):
        ExactDecimalField().to_python(0.1)


def test_text_that_is_not_a_number_is_refused():
    with pytest.raises(ValidationError) as error:
        ExactDecimalField().to_python("十二")
    assert "不是有效的数额" in error.value.messages[0]


def test_blank_stays_none_and_zero_stays_zero():
    field = ExactDecimalField(null=True)
    assert field.to_python(None) is None
    assert field.get_prep_value(None) is None
    assert field.get_prep_value(Decimal("0")) == 0


def test_database_sum_of_many_amounts_is_exact_to_the_cent():
    """On SQLite a DecimalField sum is float arithmetic; these amounts expose any drift."""
    project = Project.objects.get()
    section = Section.objects.get(slug="table-12")
    rng = random.Random(20241231)
    amounts = [Decimal(rng.randint(1, 99_999_99)) / 100 for _ in range(20_003)]
    ProjectCostLine.objects.bulk_create(
        ProjectCostLine(
            project=project,
            section=section,
            order=i,
            activity="测试",
            economic_name="办公费",
            amount=amount,
        )
        for i, amount in enumerate(amounts, start=100)
    )
    total = ProjectCostLine.objects.filter(activity="测试").aggregate(total=Sum("amount"))["total"]
    assert total == sum(amounts)
    assert total.as_tuple().exponent == -2
