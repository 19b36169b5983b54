"""Keeping the code lists in the admin as reviewers do: open a year, rename and retire a code,
record the crosswalk; finance staff may not, and published figures keep their subjects."""

import pytest
from django.urls import reverse

from budgets.models import Publication, Subject, SubjectChange
from tests.staff import staff_user

pytestmark = pytest.mark.django_db

OPEN_YEAR = "/admin/budgets/subject/open-year/"


@pytest.fixture
def reviewer(client):
    user = staff_user("shenhe", "审核人员", "503033")
    client.force_login(user)
    return user


@pytest.fixture
def finance_staff(client):
    user = staff_user("caiwu", "财务人员", "503033")
    client.force_login(user)
    return user


def subject(code, year=2024, scheme="functional"):
    return Subject.objects.get(scheme=scheme, year=year, code=code)


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def delete_url(obj):
    return reverse("admin:budgets_subject_delete", args=[obj.pk])


def rename_form(obj, name):
    return {"name": name, "definition": obj.definition}


def crosswalk(**fields):
    data = {"scheme": "functional", "year": "2025", "note": ""}
    data.update(fields)
    return data


def test_the_open_year_url_is_where_the_subject_list_says():
    assert reverse("admin:budgets_subject_open_year") == OPEN_YEAR


def test_a_reviewer_opens_2025_from_the_subject_list(client, reviewer):
    changelist = client.get(reverse("admin:budgets_subject_changelist")).content.decode()
    assert OPEN_YEAR in changelist
    assert "开启新年度科目" in changelist
    form = client.get(OPEN_YEAR).content.decode()
    assert "csrfmiddlewaretoken" in form
    assert 'method="post"' in form
    assert not Subject.objects.filter(year=2025).exists()  # showing the form writes nothing
    response = client.post(OPEN_YEAR, {"year": "2025"}, follow=True)
    assert Subject.objects.filter(year=2025).count() == 44 + 63
    html = response.content.decode()
    assert "已开启 2025 年度科目（自 2024 年复制）" in html
    assert Subject.history.filter(year=2025).first().history_user == reviewer


def test_opening_again_in_the_admin_says_nothing_was_added(client, reviewer):
    client.post(OPEN_YEAR, {"year": "2025"})
    html = client.post(OPEN_YEAR, {"year": "2025"}, follow=True).content.decode()
    assert "2025 年度科目已经开启（支出功能分类 44 个，支出经济分类 63 个），没有新增科目。" in html
    assert Subject.objects.filter(year=2025).count() == 44 + 63


def test_a_year_that_cannot_be_opened_is_explained_on_the_form(client, reviewer):
    html = client.post(OPEN_YEAR, {"year": "2025", "source_year": "2023"}).content.decode()
    assert "2023 年没有科目，无从复制。" in html
    html = client.post(OPEN_YEAR, {"year": "3000"}).content.decode()
    assert "2100" in html
    assert not Subject.objects.filter(year=2025).exists()


def test_finance_staff_cannot_open_a_year(client, finance_staff):
    assert client.get(OPEN_YEAR).status_code == 403
    assert client.post(OPEN_YEAR, {"year": "2025"}).status_code == 403
    assert not Subject.objects.filter(year=2025).exists()
    changelist = client.get(reverse("admin:budgets_subject_changelist")).content.decode()
    assert OPEN_YEAR not in changelist


def test_opening_a_year_needs_the_csrf_token(reviewer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reviewer)
    assert strict.post(OPEN_YEAR, {"year": "2025"}).status_code == 403
    assert not Subject.objects.filter(year=2025).exists()


def test_a_reviewer_renames_a_code_no_published_figure_uses(client, reviewer):
    client.post(OPEN_YEAR, {"year": "2025"})
    renamed = subject("2080150", 2025)
    response = client.post(change_url(renamed), rename_form(renamed, "事业运行（新）"))
    assert response.status_code == 302
    assert subject("2080150", 2025).name == "事业运行（新）"
    assert subject("2080150", 2024).name == "事业运行"


def test_renaming_a_code_published_figures_use_is_refused_in_chinese(client, reviewer):
    used = subject("2080150")
    html = client.post(change_url(used), rename_form(used, "改名")).content.decode()
    assert "已用于已公开的文件" in html
    assert "武汉市人力资源和社会保障投诉咨询中心 2024 年预算" in html
    assert subject("2080150").name == "事业运行"
    # its definition is the classification's own text, not a published figure
    response = client.post(change_url(used), {"name": used.name, "definition": "解释"})
    assert response.status_code == 302
    assert subject("2080150").definition == "解释"


def test_renaming_a_code_only_drafts_use_is_allowed(client, reviewer):
    Publication.objects.update(status="draft")
    used = subject("2080150")
    assert client.post(change_url(used), rename_form(used, "改名")).status_code == 302
    assert subject("2080150").name == "改名"


def test_the_code_of_a_subject_cannot_be_edited(client, reviewer):
    used = subject("2080150")
    form = {**rename_form(used, used.name), "code": "2080160", "year": "2030"}
    client.post(change_url(used), form)
    assert subject("2080150").year == 2024


def test_a_reviewer_retires_an_unused_code(client, reviewer):
    client.post(OPEN_YEAR, {"year": "2025"})
    unused = subject("2080150", 2025)
    assert client.get(delete_url(unused)).status_code == 200
    response = client.post(delete_url(unused), {"post": "yes"}, follow=True)
    assert not Subject.objects.filter(year=2025, code="2080150").exists()
    assert "科目调整对照" in response.content.decode()


def test_retiring_a_used_code_names_the_publications_that_use_it(client, reviewer):
    used = subject("2080150")
    response = client.post(delete_url(used), {"post": "yes"}, follow=True)
    html = response.content.decode()
    assert "不能取消“2080150 事业运行”" in html
    assert "武汉市人力资源和社会保障投诉咨询中心 2024 年预算" in html
    assert "2024 年决算" in html
    assert Subject.objects.filter(year=2024, code="2080150").exists()


def test_retiring_a_code_with_children_asks_to_retire_them_first(client, reviewer):
    client.post(OPEN_YEAR, {"year": "2025"})
    parent = subject("20801", 2025)
    html = client.post(delete_url(parent), {"post": "yes"}, follow=True).content.decode()
    assert "它还有下级科目（2080150、2080199）" in html
    assert Subject.objects.filter(year=2025, code="20801").exists()


def test_finance_staff_can_neither_rename_nor_retire(client, finance_staff):
    used = subject("2080150")
    assert client.post(change_url(used), rename_form(used, "改名")).status_code == 403
    assert client.post(delete_url(used), {"post": "yes"}).status_code == 403
    assert subject("2080150").name == "事业运行"


def test_a_reviewer_records_a_change_of_code(client, reviewer):
    add = reverse("admin:budgets_subjectchange_add")
    response = client.post(add, crosswalk(old_code="2080150", new_code="2080160", note="调整"))
    assert response.status_code == 302
    assert SubjectChange.objects.filter(old_code="2080150", new_code="2080160").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"old_code": "2080150", "new_code": "2080150"}, "新编码与原编码相同"),
        ({"old_code": "2080160", "new_code": "2080170"}, "2024 年支出功能分类中没有科目“2080160”"),
        ({"old_code": "2080150", "new_code": "20801"}, "调整前后应为同一层级的科目"),
        ({"old_code": "2080150", "new_code": "2080"}, "调整前后应为同一层级的科目"),
        ({"old_code": "2080150", "year": "2024", "new_code": "2080160"}, "2023 年支出功能分类"),
    ],
)
def test_a_crosswalk_line_that_makes_no_sense_is_refused_in_chinese(
    client, reviewer, fields, message
):
    html = client.post(reverse("admin:budgets_subjectchange_add"), crosswalk(**fields))
    assert message in html.content.decode()
    assert not SubjectChange.objects.exists()


def test_the_new_code_must_be_in_an_opened_year(client, reviewer):
    client.post(OPEN_YEAR, {"year": "2025"})
    add = reverse("admin:budgets_subjectchange_add")
    html = client.post(add, crosswalk(old_code="2080150", new_code="2080160")).content.decode()
    assert "2025 年支出功能分类已开启，但其中没有科目“2080160”" in html
    client.post(
        reverse("admin:budgets_subject_add"),
        {"scheme": "functional", "year": "2025", "code": "2080160", "name": "事业运行"},
    )
    response = client.post(add, crosswalk(old_code="2080150", new_code="2080160"))
    assert response.status_code == 302


def test_finance_staff_may_read_the_crosswalk_but_not_change_it(client, finance_staff):
    assert client.get(reverse("admin:budgets_subjectchange_changelist")).status_code == 200
    add = reverse("admin:budgets_subjectchange_add")
    assert client.post(add, crosswalk(old_code="2080150", new_code="2080160")).status_code == 403
    assert not SubjectChange.objects.exists()
