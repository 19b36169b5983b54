"""Rates computed from stored amounts, with a named denominator, and their display.

Every rate the portal computes goes through `rate()`, which says what it divides by: the final
accounts use two denominators for the same figure (final ÷ initial budget in the narrative,
executed ÷ adjusted budget in the self-evaluation), so an unnamed division is a bug waiting.

The final accounts print rates to one decimal place and drop a trailing zero (194.8%, 87%,
100%); `percent_text` writes them the same way so that pages match the publication.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models

HUNDRED = Decimal(100)
PUBLISHED_PLACES = 1


class Denominator(models.TextChoices):
    """What a rate divides by."""

    INITIAL_BUDGET = "initial_budget", "年初预算"  # 完成年初预算的比例
    ADJUSTED_BUDGET = "adjusted_budget", "调整预算"  # 执行率
    WHOLE = "whole", "合计"  # a part's share of the whole it belongs to (占比)
    TARGET = "target", "目标值"  # a performance indicator's actual against its target


def percent(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator ÷ denominator in percent; None when either is missing or the denominator is 0.
    The arithmetic of `rate`; call `rate` so that the denominator is named."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator * HUNDRED


def rate(
    numerator: Decimal | None, denominator: Decimal | None, *, of: Denominator
) -> Decimal | None:
    """numerator ÷ denominator in percent, `of` naming the denominator (年初预算, 调整预算,
    合计); None when either amount is blank or the denominator is 0. Amounts in 万元."""
    Denominator(of)  # an unknown name is a programming error, not a missing rate
    return percent(numerator, denominator)


def rounded(rate: Decimal, places: int = PUBLISHED_PLACES) -> Decimal:
    return rate.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent_text(rate: Decimal | None, places: int = PUBLISHED_PLACES) -> str:
    """ "194.8%", "87%", "100%"; "" for no rate."""
    if rate is None:
        return ""
    text = format(rounded(rate, places), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"
