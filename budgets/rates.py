"""Rates computed from stored amounts, with a named denominator, and their display.

The final accounts print rates to one decimal place and drop a trailing zero (194.8%, 87%,
100%); `percent_text` writes them the same way so that pages match the publication.
"""

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
PUBLISHED_PLACES = 1


def percent(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator ÷ denominator in percent; None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator * HUNDRED


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
