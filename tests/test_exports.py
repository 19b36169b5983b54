from decimal import Decimal

from budgets.exports import content_disposition, csv_cell, stream_csv


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised():
    assert csv_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert csv_cell("-2+3") == "'-2+3"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("\tx") == "'\tx"


def test_printed_numbers_and_percentages_in_text_cells_are_not_prefixed():
    # A spreadsheet reads these as numbers, not formulas; an apostrophe would make pandas and R
    # read them as text.
    for printed in ("-29.1%", "+12.5", "-0.20", "-16.67%", "+3%", "-.5", "1,033.09", "-1,033.09"):
        assert csv_cell(printed) == printed


def test_text_that_only_starts_like_a_number_is_still_neutralised():
    for formula in ("-2+3", "+1-A1", "-1%+SUM(A1)", "-29.1%\n=1", "-1e3", "- 1", "-", "+"):
        assert csv_cell(formula) == "'" + formula


def test_numbers_are_written_as_stored_and_never_prefixed():
    assert csv_cell(Decimal("-177.29")) == "-177.29"
    assert csv_cell(Decimal("0.30")) == "0.30"
    assert csv_cell(None) == ""


def test_codes_stay_text():
    assert csv_cell("2080150") == "2080150"
    assert csv_cell("42010022503T000000136") == "42010022503T000000136"


def test_file_names_have_an_ascii_fallback_and_the_chinese_name():
    header = content_disposition("503033-2024-x.csv", "决算.csv")
    assert (
        header
        == "attachment; filename=\"503033-2024-x.csv\"; filename*=UTF-8''%E5%86%B3%E7%AE%97.csv"
    )


def test_rows_are_streamed_with_a_bom_first():
    response = stream_csv(["a"], ([i] for i in range(1200)), "x.csv", "x.csv")
    chunks = list(response.streaming_content)
    assert chunks[0].startswith("\ufeffa".encode())
    assert len(chunks) > 2  # batches, not one string built in memory
