from decimal import Decimal

from budgets.formatting import figure_text, signed_wan, stated_in_words, wan


def test_amounts_show_two_places_and_blank_for_not_published():
    assert wan(Decimal("896")) == "896.00"
    assert wan(Decimal("0")) == "0.00"
    assert wan(None) == ""


def test_differences_carry_their_sign():
    assert signed_wan(Decimal("159.93")) == "+159.93"
    assert signed_wan(Decimal("-177.29")) == "-177.29"
    assert signed_wan(Decimal("0")) == "0.00"


def test_printed_figures_keep_words_and_units():
    assert figure_text(Decimal("0"), "万元", "无预算安排") == "无预算安排"
    assert figure_text(Decimal("101.50"), "%", "101.5%") == "101.5%"
    assert figure_text(Decimal("187.72"), "万人次", "187.72万人次") == "187.72万人次"
    assert figure_text(Decimal("732"), "万元", "732. 00") == "732.00"
    assert stated_in_words("年初预算未安排")
    assert not stated_in_words("306, 12")
