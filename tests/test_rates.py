from decimal import Decimal

from budgets.rates import percent, percent_text


def test_rates_print_as_the_final_accounts_do():
    assert percent_text(percent(Decimal("328.66"), Decimal("168.73"))) == "194.8%"
    assert percent_text(percent(Decimal("8.50"), Decimal("9.77"))) == "87%"
    assert percent_text(percent(Decimal("732.00"), Decimal("720.94"))) == "101.5%"
    assert percent_text(percent(Decimal("13.35"), Decimal("13.35"))) == "100%"


def test_two_places_as_the_budget_prints_shares():
    assert percent_text(percent(Decimal("237.53"), Decimal("720.94")), 2) == "32.95%"


def test_no_rate_without_a_denominator():
    assert percent(Decimal("31.00"), None) is None
    assert percent(Decimal("31.00"), Decimal("0")) is None
    assert percent_text(None) == ""


def test_half_up_rounding():
    assert percent_text(Decimal("96.75")) == "96.8%"
