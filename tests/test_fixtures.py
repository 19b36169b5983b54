"""The fixtures hold both publications as transcribed, and nothing in them breaks a rule."""

import json
import re

import pytest
from django.apps import apps

from budgets.models import Citation, Fact, Publication, PublishedFigure
from fixtures.transcription import build

pytestmark = pytest.mark.django_db

SOURCES_DIR = build.FIXTURES_DIR / "sources"


def test_fixture_files_are_exactly_the_build_of_the_transcriptions():
    for filename, objects in build.build().items():
        on_disk = (build.FIXTURES_DIR / filename).read_text(encoding="utf-8")
        assert on_disk == build.render(objects), (
            f"{filename}: run python -m fixtures.transcription.build"
        )


def test_every_stored_object_passes_its_model_validation():
    failures = []
    for model in apps.get_app_config("budgets").get_models():
        for instance in model.objects.all():
            try:
                instance.full_clean()
            except Exception as error:
                failures.append(f"{model.__name__} {instance.pk}: {error}")
    assert failures == []


def test_both_publications_are_published_with_their_dates():
    budget = Publication.objects.get(kind="budget", year=2024, unit__code="503033")
    final = Publication.objects.get(kind="final", year=2024, unit__code="503033")
    assert budget.is_published
    assert final.is_published
    assert budget.published_on is None  # the budget prints no date
    assert final.published_on.isoformat() == "2025-10-10"


def test_a_figure_repeated_in_several_tables_is_stored_once_with_each_table_as_source():
    fact = Fact.objects.get(
        publication__kind="budget", subject__code="2080199", expenditure_type="project"
    )
    assert sorted(fact.citations.values_list("section__code", flat=True)) == ["表3", "表5-1"]
    final_fact = Fact.objects.get(
        publication__kind="final", subject__code="2080150", expenditure_type="basic"
    )
    assert sorted(final_fact.citations.values_list("section__code", flat=True)) == [
        "公开03",
        "公开05",
    ]


def test_ocr_noise_is_kept_as_printed_and_read_as_the_published_number():
    total = PublishedFigure.objects.get(
        section__code="公开02", row_code="2080199", column="本年收入合计"
    )
    assert (total.printed_text, str(total.value)) == ("306, 12", "306.12")
    citation = Citation.objects.get(section__code="公开02", row_code="2080199")
    assert (citation.printed_text, str(citation.amount)) == ("306. 12", "306.12")


def test_a_blank_row_is_stored_as_not_published_not_as_zero():
    printing = Fact.objects.get(publication__kind="budget", subject__code="30202")
    assert printing.amount is None
    assert not Fact.objects.filter(publication__kind="budget", subject__code="30302").exists()
    retired = Fact.objects.get(publication__kind="final", subject__code="30399")
    assert retired.amount is None


def test_the_2023_final_total_implied_by_the_text_is_marked_as_derived():
    implied = PublishedFigure.objects.get(year=2023, stage="final", measure="expenditure")
    assert str(implied.value) == "1033.09"
    assert implied.kind == "derived"
    assert implied.printed_text == ""


def test_summary_rows_printed_by_name_only_carry_the_classification_code():
    row = PublishedFigure.objects.get(section__code="表1", row_label="六、社会保障和就业支出")
    assert (row.subject_code, str(row.value)) == ("208", "674.79")
    assert "编码按" in row.note


# Each fixture file and the text of the publication it transcribes (fixtures/sources/).
TRANSCRIBED_FROM = {
    "10_budget_2024_503033.json": "000_c7e32329ae0fc463.txt",
    "20_final_2024_503033.json": "002_aea50f7f8f430055.txt",
}


def without_spaces(text: str) -> str:
    # The PDF text breaks lines and spaces words apart; the words are what was printed.
    return re.sub(r"\s+", "", text)


def quotations(objects):
    for obj in objects:
        for field, value in obj["fields"].items():
            if isinstance(value, str):
                for quoted in re.findall(r"“([^”]*)”", value):
                    yield obj["model"], field, quoted


def test_every_phrase_quoted_in_the_fixtures_is_what_the_publication_prints():
    wrong, checked = [], 0
    for filename, source in TRANSCRIBED_FROM.items():
        printed = without_spaces((SOURCES_DIR / source).read_text(encoding="utf-8"))
        objects = json.loads((build.FIXTURES_DIR / filename).read_text(encoding="utf-8"))
        for model, field, quoted in quotations(objects):
            checked += 1
            if without_spaces(quoted) not in printed:
                wrong.append(f"{filename} {model}.{field}: “{quoted}”")
    assert checked > 50
    assert wrong == []
