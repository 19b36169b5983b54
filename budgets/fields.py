"""A decimal stored as a scaled integer, so that sums are exact on every database.

SQLite keeps DecimalField values as REAL, and `Sum()` over them is float arithmetic: exact
inputs summed to Decimal('10169.0300000188') in a check on this machine. Integers sum exactly on
SQLite and PostgreSQL alike, so amounts are stored as integers and handed to Python as Decimal.

Amounts in 万元 use scale 4, so the database column holds yuan (1 万元 = 10,000 元).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core import checks, exceptions
from django.db import models


class ExactDecimalField(models.BigIntegerField):
    """A Decimal with `decimal_places` places, stored as `value * 10**scale` in a bigint column.

    Aggregates (`Sum`, `Min`, `Max`) keep this field as their output field and come back as
    Decimal. Arithmetic between columns in SQL (`F("a") - F("b")`) does not: Django resolves
    it to a plain integer field, so do such arithmetic in Python on the Decimals.
    """

    description = "Decimal stored as a scaled integer"

    def __init__(self, *args, scale=4, decimal_places=2, **kwargs):
        self.scale = scale
        self.decimal_places = decimal_places
        super().__init__(*args, **kwargs)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.decimal_places > self.scale:
            errors.append(
                checks.Error(
                    "decimal_places cannot exceed scale: the stored integer would lose digits.",
                    obj=self,
                    id="budgets.E001",
                )
            )
        return errors

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["scale"] = self.scale
        kwargs["decimal_places"] = self.decimal_places
        return name, path, args, kwargs

    @property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.decimal_places)

    def _from_stored(self, stored) -> Decimal:
        return (Decimal(stored).scaleb(-self.scale)).quantize(self.quantum)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return self._from_stored(value)

    def to_python(self, value):
        if value is None or (isinstance(value, Decimal) and value.is_nan()):
            return None
        if isinstance(value, float):
            # A float has already lost the exact value; refuse rather than round silently.
            raise exceptions.ValidationError(
                "金额必须以文本或 Decimal 给出，不能是浮点数：%(value)r",
                code="float",
                params={"value": value},
            )
        try:
            decimal = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise exceptions.ValidationError(
                "“%(value)s”不是有效的数额。", code="invalid", params={"value": value}
            ) from None
        if not decimal.is_finite():
            raise exceptions.ValidationError(
                "“%(value)s”不是有效的数额。", code="invalid", params={"value": value}
            )
        if decimal != decimal.quantize(self.quantum, rounding=ROUND_HALF_UP):
            raise exceptions.ValidationError(
                "数额最多保留 %(places)s 位小数，“%(value)s”超出了。",
                code="max_decimal_places",
                params={"places": self.decimal_places, "value": value},
            )
        return decimal.quantize(self.quantum)

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None:
            return None
        return int(value.scaleb(self.scale))

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else str(value)

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.DecimalField,
            "decimal_places": self.decimal_places,
            "max_digits": 15,
        }
        defaults.update(kwargs)
        # BigIntegerField.formfield would add integer min/max bounds in stored units.
        return models.Field.formfield(self, **defaults)
