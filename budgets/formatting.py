"""How amounts look on pages and in CSV files: 万元 with two places, blank for not published."""

from decimal import Decimal

TWO_PLACES = Decimal("0.01")


def wan(amount: Decimal | None) -> str:
    """168.73 → "168.73"; None (not published) → "". No grouping: the publications use none."""
    if not isinstance(amount, Decimal):
        return ""
    return format(amount.quantize(TWO_PLACES), "f")


def signed_wan(amount: Decimal | None) -> str:
    """A difference: "+159.93", "-177.29", "0.00"."""
    if not isinstance(amount, Decimal):
        return ""
    text = wan(amount)
    return f"+{text}" if amount > 0 else text


def stated_in_words(printed_text: str) -> bool:
    """A figure printed as words ("无预算安排", "没有"), not digits."""
    text = "".join(printed_text.split())
    return bool(text) and not any(ch.isdigit() for ch in text)


def figure_text(value: Decimal | None, unit_of_measure: str, printed_text: str = "") -> str:
    """A printed figure as pages show it: words as printed, 万元 with two places, other units
    (%, 分, 万人次, 辆) as the number followed by the unit."""
    if stated_in_words(printed_text):
        return "".join(printed_text.split())
    if value is None:
        return ""
    if unit_of_measure == "万元":
        return wan(value)
    number = format(value, "f")
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return f"{number}{unit_of_measure}"
