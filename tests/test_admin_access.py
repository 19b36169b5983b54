"""Who may do what in the admin: finance staff keep to their units' drafts, reviewers publish
and correct with a reason, nobody changes a published figure silently, and logins are
rate-limited."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from budgets import access
from budgets.models import Correction, Fact, Publication, Section, Subject, Unit
from budgets.models.history import record_baseline
from tests.helpers import form_data
from tests.staff import PASSWORD, fact_form, staff_user

pytestmark = pytest.mark.django_db


def change_url(instance):
    meta = instance._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])


@pytest.fixture
def other_unit():
    """Unit B: another unit of the bureau, with a draft budget of one line."""
    unit = Unit.objects.create(
        code="503099", name="另一个单位", parent=Unit.objects.get(code="503")
    )
    publication = Publication.objects.create(
        unit=unit, year=2024, kind="budget", title="另一个单位2024年单位预算"
    )
    template = Fact.objects.get(publication__kind="budget", subject__code="2080199")
    fact = Fact.objects.create(
        publication=publication,
        unit=unit,
        direction=template.direction,
        stage=template.stage,
        subject=template.subject,
        expenditure_type=template.expenditure_type,
        fund_source=template.fund_source,
        amount=Decimal("12.34"),
    )
    return fact


@pytest.fixture
def budget_fact():
    return Fact.objects.get(publication__kind="budget", subject__code="2080199")


@pytest.fixture
def draft_fact(budget_fact):
    Publication.objects.filter(pk=budget_fact.publication_id).update(status="draft")
    return Fact.objects.get(pk=budget_fact.pk)


@pytest.fixture
def staff(client):
    user = staff_user("caiwu", "财务人员", "503033")
    client.force_login(user)
    return user


@pytest.fixture
def reviewer(client):
    user = staff_user("shenhe", "审核人员", "503033")
    client.force_login(user)
    return user


def test_staff_see_only_their_units_facts(client, staff, other_unit):
    html = client.get(reverse("admin:budgets_fact_changelist") + "?q=2080199").content.decode()
    assert "483.41" in html
    assert "12.34" not in html


def test_staff_of_one_unit_guessing_another_units_address_get_nothing(client, staff, other_unit):
    response = client.get(change_url(other_unit))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    history = reverse("admin:budgets_fact_history", args=[other_unit.pk])
    assert client.get(history).status_code == 404
    publication = other_unit.publication
    assert client.get(change_url(publication)).status_code == 302
    response = client.post(change_url(other_unit), fact_form(other_unit, amount="99.00"))
    assert response.status_code == 302
    other_unit.refresh_from_db()
    assert other_unit.amount == Decimal("12.34")


def admin_url(model, view, pk):
    return reverse(f"admin:budgets_{model._meta.model_name}_{view}", args=[pk])


@pytest.mark.parametrize("model", [Fact, Section, Publication, Unit], ids=lambda m: m.__name__)
def test_history_and_delete_pages_of_another_units_record_are_not_found_like_a_missing_one(
    client, other_unit, model
):
    """Whether the record exists, existed (it has versions) or never did, the answer is the
    same 404: a guessed address tells nothing about another unit's records."""
    client.force_login(staff_user("b", "财务人员", other_unit.unit.code))
    record = (
        model.objects.filter(access.scope_filter(User(is_superuser=True), model))
        .exclude(**{access.join(access.unit_path(model), "code"): other_unit.unit.code})
        .first()
    )
    record_baseline(model, model.objects.filter(pk=record.pk), "载入公开文件")
    missing = model.objects.order_by("-pk").first().pk + 1000
    for view in ("history", "delete"):
        assert client.get(admin_url(model, view, record.pk)).status_code == 404, view
        assert client.post(admin_url(model, view, record.pk), {"post": "yes"}).status_code == 404
        assert client.get(admin_url(model, view, missing)).status_code == 404, view
        path = admin_url(model, view, 1).replace("/1/", "/abc/")
        assert client.get(path).status_code == 404, path
    assert model.objects.filter(pk=record.pk).exists()


def test_staff_see_the_history_of_their_own_units_deleted_records(client, staff, draft_fact):
    record_baseline(Fact, Fact.objects.filter(pk=draft_fact.pk), "载入公开文件")
    delete = admin_url(Fact, "delete", draft_fact.pk)
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert client.get(admin_url(Fact, "history", draft_fact.pk)).status_code == 200


def test_only_reviewers_add_subjects_shared_by_every_unit(client, staff, draft_fact):
    subject = {"scheme": "functional", "year": "2024", "code": "2080198", "name": "新科目"}
    add = reverse("admin:budgets_subject_add")
    assert client.get(add).status_code == 403
    assert client.post(add, subject).status_code == 403
    assert not Subject.objects.filter(code="2080198").exists()
    assert add not in client.get(reverse("admin:budgets_subject_changelist")).content.decode()
    assert add not in client.get(change_url(draft_fact)).content.decode()
    client.force_login(staff_user("shenhe", "审核人员", "503033"))
    assert client.post(add, subject).status_code == 302
    assert Subject.objects.filter(code="2080198").exists()


def test_staff_cannot_move_a_figure_into_another_units_publication(
    client, staff, draft_fact, other_unit
):
    response = client.post(
        change_url(draft_fact), fact_form(draft_fact, publication=other_unit.publication_id)
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    draft_fact.refresh_from_db()
    assert draft_fact.publication_id != other_unit.publication_id


def test_a_department_member_works_for_its_units(client, other_unit):
    client.force_login(staff_user("bumen", "财务人员", "503"))
    assert client.get(change_url(other_unit)).status_code == 200
    html = client.get(reverse("admin:budgets_fact_changelist") + "?q=2080199").content.decode()
    assert "483.41" in html
    assert "12.34" in html


def test_staff_change_their_units_drafts(client, staff, draft_fact):
    response = client.post(change_url(draft_fact), fact_form(draft_fact, amount="483.40"))
    assert response.status_code == 302
    draft_fact.refresh_from_db()
    assert draft_fact.amount == Decimal("483.40")
    assert draft_fact.history.latest().history_user == staff


def test_published_figures_are_read_only_for_staff(client, staff, budget_fact):
    html = client.get(change_url(budget_fact)).content.decode()
    assert 'name="amount"' not in html
    response = client.post(change_url(budget_fact), fact_form(budget_fact, amount="1.00"))
    assert response.status_code == 403
    budget_fact.refresh_from_db()
    assert budget_fact.amount == Decimal("483.41")


def test_staff_cannot_add_a_figure_to_a_published_publication(client, staff, budget_fact):
    response = client.post(reverse("admin:budgets_fact_add"), fact_form(budget_fact))
    assert response.status_code == 200
    assert "已公开，其数据只能由审核人员以更正的方式修改" in response.content.decode()
    assert Fact.objects.filter(subject__code="2080199", stage="initial_budget").count() == 1


def test_nobody_deletes_a_published_figure(admin_client, budget_fact):
    delete_url = reverse("admin:budgets_fact_delete", args=[budget_fact.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Fact.objects.filter(pk=budget_fact.pk).exists()
    changelist = admin_client.get(reverse("admin:budgets_fact_changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_staff_cannot_publish(client, staff, draft_fact):
    publication = draft_fact.publication
    html = client.get(change_url(publication)).content.decode()
    assert 'name="status"' not in html
    response = client.post(
        reverse("admin:budgets_publication_changelist"),
        {"action": "publish", "_selected_action": [publication.pk]},
    )
    publication.refresh_from_db()
    assert publication.status == "draft"
    assert response.status_code in (200, 302)


def test_a_reviewer_publishes_a_draft(client, reviewer, draft_fact):
    publication = draft_fact.publication
    response = client.post(
        reverse("admin:budgets_publication_changelist"),
        {"action": "publish", "_selected_action": [publication.pk]},
    )
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == "published"
    record = publication.history.latest()
    assert record.history_user == reviewer
    assert record.history_change_reason == "公开"


def test_a_correction_needs_a_reason(client, reviewer, budget_fact):
    html = client.get(change_url(budget_fact)).content.decode()
    assert "更正原因" in html
    response = client.post(change_url(budget_fact), fact_form(budget_fact, amount="483.42"))
    assert response.status_code == 200
    budget_fact.refresh_from_db()
    assert budget_fact.amount == Decimal("483.41")
    assert not Correction.objects.exists()


def test_a_reviewers_correction_is_recorded_with_its_reason_and_the_earlier_figure(
    client, reviewer, budget_fact
):
    response = client.post(
        change_url(budget_fact),
        fact_form(budget_fact, amount="483.42", correction_reason="测算有误，更正为 483.42"),
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.publication == budget_fact.publication
    assert correction.reason == "测算有误，更正为 483.42"
    assert correction.corrected_by == reviewer
    new, old = budget_fact.history.order_by("-history_date", "-history_id")[:2]
    assert new.amount == Decimal("483.42")
    assert new.history_correction == correction
    assert new.history_user == reviewer
    assert old.amount == Decimal("483.41")


def test_a_reviewer_cannot_move_a_figure_out_of_a_published_publication(
    client, reviewer, budget_fact
):
    final = Publication.objects.get(kind="final")
    response = client.post(
        change_url(budget_fact),
        fact_form(budget_fact, publication=final.pk, correction_reason="移到决算"),
    )
    assert response.status_code == 200
    budget_fact.refresh_from_db()
    assert budget_fact.publication.kind == "budget"


def test_inline_rows_of_a_published_publication_are_read_only(client, reviewer):
    publication = Publication.objects.get(kind="final")
    html = client.get(change_url(publication)).content.decode()
    assert 'name="sections-0-title"' not in html
    assert 'name="status"' not in html


def test_admin_login_is_locked_after_repeated_failures(client):
    User.objects.create_user("locked", password=PASSWORD, is_staff=True)
    login = reverse("admin:login")
    for _ in range(5):
        client.post(login, {"username": "locked", "password": "wrong"})
    response = client.post(login, {"username": "locked", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录已暂停" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_works_with_the_right_password(client):
    User.objects.create_user("right", password=PASSWORD, is_staff=True)
    response = client.post(reverse("admin:login"), {"username": "right", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_staff_may_name_their_department_as_what_a_figure_measures_but_not_own_its_records(
    client, staff
):
    """A unit's publication prints its department's rows, so the department is offered as the
    unit a figure measures; choosing it gives no hold on the department's own records."""
    department = Unit.objects.get(code="503")
    html = client.get(reverse("admin:budgets_project_add")).content.decode()
    form = form_data(html)
    form.update(code="5030009", name="部门的项目", unit=department.pk)
    response = client.post(reverse("admin:budgets_project_add"), form)
    assert response.status_code == 200
    assert "您不是“武汉市人力资源和社会保障局”的工作人员" in response.content.decode()
    assert not department.projects.exists()
