"""English names of subjects (Subject.name_en): every 2024 subject of the fixtures has one, they
follow the convention of docs/i18n.md, English pages show them, staff edit them in the admin and
opening a new year copies them; projects have none until staff give one."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from budgets.i18n import local_name, local_name_text
from budgets.models import Project, Subject, SubjectChange
from tests.staff import staff_user

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SUBJECT_PAGE = "/en/units/503033/2024/subjects/functional/2080150/"


def fixture_subjects() -> list[dict]:
    # Built from fixtures/transcription/names_en.py (tests/test_fixtures.py checks the build).
    objects = json.loads((FIXTURES / "02_subjects_2024.json").read_text(encoding="utf-8"))
    return [o["fields"] for o in objects if o["model"] == "budgets.subject"]


def test_every_2024_subject_in_the_fixtures_has_an_english_name():
    subjects = fixture_subjects()
    assert len(subjects) == 107
    assert sum(s["scheme"] == "functional" for s in subjects) == 44
    assert sum(s["scheme"] == "economic" for s in subjects) == 63
    unnamed = [s["code"] for s in subjects if not s.get("name_en", "").strip()]
    assert unnamed == []


@pytest.mark.parametrize(
    ("code", "english"),
    [
        ("2080150", "Operation of public institutions"),
        ("2080199", "Other human resources and social security administrative affairs expenditure"),
        ("20801", "Human resources and social security administrative affairs"),
        ("208", "Social security and employment expenditure"),
        ("229", "Other expenditure"),
        ("30217", "Official hospitality expenses"),
        ("30212", "Overseas travel expenses"),
        ("310", "Capital expenditure"),
    ],
)
def test_english_names_follow_the_documented_convention(code, english):
    names = {s["code"]: s["name_en"] for s in fixture_subjects()}
    assert names[code] == english


def test_every_other_expenditure_is_named_other_expenditure_in_english():
    # "其他…支出" → "Other … expenditure" (a qualifier "of …" may follow).
    others = [
        s for s in fixture_subjects() if s["name"].startswith("其他") and s["name"].endswith("支出")
    ]
    assert len(others) >= 8
    for subject in others:
        assert subject["name_en"].startswith("Other "), subject
        assert "expenditure" in subject["name_en"], subject


def test_the_same_chinese_name_has_the_same_english_name_in_both_schemes():
    english = {}
    for subject in fixture_subjects():
        english.setdefault(subject["name"], set()).add(subject["name_en"])
    assert {name: names for name, names in english.items() if len(names) > 1} == {}


def test_english_names_are_plain_english_without_chinese_or_odd_spacing():
    for subject in fixture_subjects():
        name = subject["name_en"]
        assert name.isascii(), subject
        assert name == " ".join(name.split()), subject
        assert name[0].isupper(), subject


@pytest.mark.django_db
def test_local_name_is_the_english_name_in_english_and_the_chinese_name_in_chinese():
    subject = Subject.objects.get(scheme="functional", year=2024, code="2080150")
    with translation.override("en"):
        assert local_name(subject) == "Operation of public institutions"
        assert local_name_text(subject) == "Operation of public institutions"
    with translation.override("zh-hans"):
        assert local_name(subject) == "事业运行"


@pytest.mark.django_db
def test_the_english_subject_page_shows_the_english_name(client):
    html = client.get(SUBJECT_PAGE).content.decode()
    assert "Operation of public institutions" in html


@pytest.mark.django_db
def test_the_project_has_no_english_name_so_english_pages_show_it_in_chinese_marked():
    project = Project.objects.get()
    assert project.name_en == ""
    with translation.override("en"):
        assert local_name(project) == '<span lang="zh-Hans">服务运行经费</span>'
        assert local_name_text(project) == "服务运行经费"


@pytest.mark.django_db
def test_a_name_staff_give_a_project_is_shown_on_english_pages():
    project = Project.objects.get()
    project.name_en = "Service operation funds"
    project.save()
    with translation.override("en"):
        assert local_name(project) == "Service operation funds"


# The admin.


@pytest.fixture
def reviewer(client):
    client.force_login(staff_user("shenhe", "审核人员", "503033"))


@pytest.mark.django_db
def test_the_subject_change_form_and_list_show_the_english_name(client, reviewer):
    subject = Subject.objects.get(scheme="functional", year=2024, code="2080150")
    form = client.get(reverse("admin:budgets_subject_change", args=[subject.pk])).content.decode()
    assert 'name="name_en"' in form
    assert 'value="Operation of public institutions"' in form
    listing = client.get(reverse("admin:budgets_subject_changelist"), {"q": "public institutions"})
    html = listing.content.decode()
    assert "Operation of public institutions" in html
    assert "2080150" in html


@pytest.mark.django_db
def test_a_reviewer_gives_a_published_subject_a_better_english_name(client, reviewer):
    # The Chinese name of a published subject is locked; its English name is not published text.
    subject = Subject.objects.get(scheme="functional", year=2024, code="2080150")
    data = {"name": subject.name, "name_en": "Running of public institutions", "definition": ""}
    response = client.post(reverse("admin:budgets_subject_change", args=[subject.pk]), data)
    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.name_en == "Running of public institutions"


@pytest.mark.django_db
def test_the_project_change_form_and_list_show_the_english_name(client, reviewer):
    project = Project.objects.get()
    form = client.get(reverse("admin:budgets_project_change", args=[project.pk])).content.decode()
    assert 'name="name_en"' in form
    Project.objects.filter(pk=project.pk).update(name_en="Service operation funds")
    listing = client.get(reverse("admin:budgets_project_changelist"), {"q": "operation funds"})
    assert "Service operation funds" in listing.content.decode()


# Opening a year.


def open_year(*args):
    call_command("open_year", *args, stdout=StringIO())


@pytest.mark.django_db
def test_opening_a_year_copies_the_english_names():
    open_year("2025")
    english = dict(Subject.objects.filter(year=2024).values_list("code", "name_en"))
    copied = Subject.objects.filter(year=2025)
    assert copied.count() == 107
    for subject in copied:
        assert subject.name_en == english[subject.code]
    assert (
        copied.get(scheme="functional", code="2080150").name_en
        == "Operation of public institutions"
    )


@pytest.mark.django_db
def test_a_renumbered_subject_keeps_its_english_name():
    SubjectChange.objects.create(
        scheme="functional", year=2025, old_code="2080150", new_code="2080160"
    )
    open_year("2025")
    moved = Subject.objects.get(scheme="functional", year=2025, code="2080160")
    assert (moved.name, moved.name_en) == ("事业运行", "Operation of public institutions")


@pytest.mark.django_db
def test_opening_a_year_in_the_admin_copies_the_english_names(client, reviewer):
    client.post(reverse("admin:budgets_subject_open_year"), {"year": "2025"})
    subject = Subject.objects.get(scheme="economic", year=2025, code="30217")
    assert subject.name_en == "Official hospitality expenses"
