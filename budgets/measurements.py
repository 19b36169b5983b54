"""Reading indicator values as published ("≥85%", "≤5个工作日", "80%以上", "60 万人次").

The published text is what is stored; these helpers read a comparator, a number and a unit
out of it when it has them, so that targets and results can be compared.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

_COMPARATORS = {
    "≥": "≥",
    ">=": "≥",
    "≤": "≤",
    "<=": "≤",
    "≪": "≤",  # OCR reads ≤ as ≪ in the final accounts' project self-evaluation
    ">": ">",
    "<": "<",
    "=": "=",
}
_SUFFIX_COMPARATORS = {"以上": "≥", "以下": "≤", "以内": "≤"}
_PATTERN = re.compile(
    r"^\s*(?P<cmp>≥|>=|≤|<=|≪|>|<|=)?\s*(?P<num>\d+(?:\.\s?\d+)?)\s*(?P<unit>[^\d\s].*?)?\s*$"
)


@dataclass(frozen=True)
class Measurement:
    comparator: str  # "≥", "≤", ">", "<", "=" or "" when the text states a plain value
    value: Decimal
    unit: str

    def __str__(self):
        return f"{self.comparator}{self.value}{self.unit}"


def parse_measurement(text: str) -> Measurement | None:
    """Read "≥85%" as (≥, 85, %); None when the text is not a number with an optional unit."""
    if not text:
        return None
    cleaned = text.strip()
    comparator_from_suffix = ""
    for suffix, comparator in _SUFFIX_COMPARATORS.items():
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
            comparator_from_suffix = comparator
            break
    match = _PATTERN.match(cleaned)
    if not match:
        return None
    comparator = _COMPARATORS.get(match["cmp"] or "", "") or comparator_from_suffix
    number = Decimal(match["num"].replace(" ", ""))
    unit = (match["unit"] or "").replace(" ", "")
    return Measurement(comparator=comparator, value=number, unit=unit)


def is_met(target: Measurement | None, actual: Measurement | None) -> bool | None:
    """Whether an actual value meets a target; None when they cannot be compared as numbers."""
    if target is None or actual is None or target.unit != actual.unit or actual.comparator:
        return None
    if target.comparator in ("≥", ""):
        return actual.value >= target.value
    if target.comparator == ">":
        return actual.value > target.value
    if target.comparator == "≤":
        return actual.value <= target.value
    if target.comparator == "<":
        return actual.value < target.value
    return actual.value == target.value
