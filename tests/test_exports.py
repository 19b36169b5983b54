from decimal import Decimal

from budgets.exports import content_disposition, csv_cell, stream_csv


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised():
    assert csv_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert csv_cell("-2+3") == "'-2+3"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("\tx") == "'\tx"


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
