"""Every figure of both publications appears on a page and in that page's CSV, as stored."""

import pytest

from budgets.models import Section
from budgets.summaries import section_grid
from tests.helpers import csv_rows

pytestmark = pytest.mark.django_db


def test_every_printed_cell_of_every_section_is_on_its_page_and_in_its_csv(client):
    sections = Section.objects.select_related("publication__unit")
    checked = 0
    for section in sections:
        url = section.get_absolute_url()
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        grid = section_grid(section)
        if not any(part.rows for part in grid):
            continue
        csv_text = "\n".join(
            ",".join(row) for row in csv_rows(client.get(url.rstrip("/") + ".csv"))
        )
        for part in grid:
            for row in part.rows:
                assert row.label in html, (url, row.label)
                for cell in row.cells.values():
                    if cell.text:
                        assert cell.text in html, (url, row.label, cell.text)
                        csv_value = cell.csv_value
                        assert str(csv_value) in csv_text, (url, row.label, csv_value)
                        checked += 1
    assert checked > 600


def test_every_section_has_a_page_reachable_from_the_overview(client):
    overview = client.get("/units/503033/2024/").content.decode()
    for section in Section.objects.select_related("publication__unit"):
        assert f'href="{section.get_absolute_url()}"' in overview
