from decimal import Decimal

from budgets.measurements import Measurement, is_met, parse_measurement


def test_targets_keep_comparator_value_and_unit():
    assert parse_measurement("≥85%") == Measurement("≥", Decimal("85"), "%")
    assert parse_measurement("≤5个工作日") == Measurement("≤", Decimal("5"), "个工作日")
    assert parse_measurement("80%以上") == Measurement("≥", Decimal("80"), "%")
    assert parse_measurement("60 万人次") == Measurement("", Decimal("60"), "万人次")
    assert parse_measurement("≪5个工作日") == Measurement("≤", Decimal("5"), "个工作日")
    assert parse_measurement("83. 2%") == Measurement("", Decimal("83.2"), "%")


def test_text_that_is_not_a_measurement_reads_as_none():
    assert parse_measurement("良好") is None
    assert parse_measurement("") is None


def test_whether_an_actual_value_meets_its_target():
    assert is_met(parse_measurement("≥90%"), parse_measurement("87.5%")) is False
    assert is_met(parse_measurement("44人"), parse_measurement("51人")) is True
    assert is_met(parse_measurement("≥80%"), parse_measurement("83.2%")) is True
    assert is_met(parse_measurement("≤5个工作日"), parse_measurement("≤5个工作日")) is None
    assert is_met(parse_measurement("60万人次"), parse_measurement("51人")) is None
