"""The fixtures are the app's layouts filled with the 2024 transcriptions, rebuilt byte for byte."""

import pytest

from budgets.layouts.dsl import LayoutMismatch, Row, fill
from fixtures.transcription import budget_2024, build


def test_rebuilding_the_fixtures_gives_the_files_byte_for_byte():
    for filename, objects in build.build().items():
        on_disk = (build.FIXTURES_DIR / filename).read_bytes()
        assert on_disk == build.render(objects).encode("utf-8"), filename


def test_a_printed_row_that_does_not_fit_the_layout_stops_the_build():
    layout = budget_2024.LAYOUT["table-7"]
    with pytest.raises(LayoutMismatch, match="2023 年预算"):
        fill(layout, [Row("", "2023 年预算", ["1.20", None, "1.00", None, "1.00", "0.20"])])
    with pytest.raises(LayoutMismatch, match="rows not printed"):
        fill(budget_2024.LAYOUT["table-12"], {"项目预算": []})
