"""Whole numbers in the address (page, per_page, page_size, year), read one way everywhere:
ASCII digits only.

str.isdigit() is true for "²" and "①", which int() then refuses (a 500), and int() reads "٢٠٢٤"
and "２０２４" as 2024, so an address could mean a year nobody typed in digits. Nine digits at
most keeps int() far from its 4,300-digit limit and every value inside a PostgreSQL integer.
"""

import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
MAX_WHOLE_NUMBER = 999_999_999
DIGITS_ONLY = _("只用半角数字 0–9，最多 9 位")
NOT_A_WHOLE_NUMBER = format_lazy(_("应为整数（{}）。"), DIGITS_ONLY)


def whole_number(raw: str) -> int | None:
    """The number written in `raw`, or None unless it is 1 to 9 ASCII digits and nothing else
    (no sign, space, point or exponent)."""
    if not WHOLE_NUMBER.fullmatch(raw):
        return None
    return int(raw)


class WholeNumberField(forms.IntegerField):
    """Django's IntegerField, which accepts any Unicode digit, reading ASCII digits only."""

    default_error_messages = {"invalid": NOT_A_WHOLE_NUMBER}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = whole_number(str(value))
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def parameter_problems(errors) -> str:
    """A form's or FilterSet's errors as the one sentence a 400 answers with: each wrong
    parameter named with its messages ("参数 year：…；参数 stage：…")."""
    return gettext("；").join(
        gettext("参数 %(name)s：%(messages)s")
        % {"name": name, "messages": gettext("，").join(messages)}
        for name, messages in errors.items()
    )
