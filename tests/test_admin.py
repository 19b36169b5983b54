"""The admin: every model is editable, validation speaks plain Chinese, finance staff may do
what their group allows and nothing more."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import Fact, Publication, Subject, SubjectChange, Unit
from tests.factories import multiply_data
from tests.staff import fact_form, staff_user

pytestmark = pytest.mark.django_db
# The models the fixtures fill; history tables have no admin pages of their own.
BUDGET_MODELS = [
    model
    for model in apps.get_app_config("budgets").get_models()
    if not model.__name__.startswith("Historical")
    and model.__name__
    not in (
        "Correction",
        "QualityReport",
        "UnitMembership",
        "OpenLine",
        "DownloadBuild",
        "DataVersion",
        "ErrorReport",  # tests/test_views_report.py
    )
]


@pytest.fixture
def finance_staff(client):
    user = staff_user("caiwu", "财务人员", "503033")
    client.force_login(user)
    return user


def change_url(instance):
    meta = instance._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])


@pytest.mark.parametrize("model", BUDGET_MODELS, ids=lambda m: m.__name__)
def test_every_model_has_a_working_list_and_change_page(admin_client, model):
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    if model is SubjectChange:  # the fixtures record no 科目调整
        SubjectChange.objects.create(scheme="functional", year=2025, old_code="2080150")
    instance = model.objects.first()
    assert instance is not None
    assert admin_client.get(change_url(instance)).status_code == 200


def test_every_admin_list_runs_a_fixed_number_of_queries(admin_client):
    def queries():
        counts = {}
        for model in BUDGET_MODELS:
            meta = model._meta
            changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
            with CaptureQueriesContext(connection) as captured:
                assert admin_client.get(changelist).status_code == 200
            counts[model.__name__] = len(captured)
        return counts

    published = queries()
    # A list page shows up to 100 rows: a query per row would exceed this bound...
    assert max(published.values()) <= 10, published
    # ...and lists shorter than a page grow with ten times the data.
    multiply_data(10)
    assert queries() == published


def test_amounts_are_shown_in_wan_yuan_with_two_places(admin_client):
    fact = Fact.objects.get(
        publication__kind="final", subject__code="2080150", direction="expenditure"
    )
    html = admin_client.get(change_url(fact)).content.decode()
    assert 'value="328.66"' in html
    assert "金额（万元）" in html


@pytest.fixture
def fact():
    return Fact.objects.get(publication__kind="budget", subject__code="2080199")


def test_a_negative_amount_is_refused_in_chinese(admin_client, fact):
    response = admin_client.post(change_url(fact), fact_form(fact, amount="-1.00"))
    assert response.status_code == 200
    assert "金额不能为负数" in response.content.decode()
    fact.refresh_from_db()
    assert str(fact.amount) == "483.41"


def test_a_code_at_the_wrong_level_is_refused_in_chinese(admin_client, fact):
    section = Subject.objects.get(scheme="functional", code="20801")
    response = admin_client.post(change_url(fact), fact_form(fact, subject=section.pk))
    assert "应录入到项级（7 位）科目" in response.content.decode()


def test_a_unit_outside_the_publication_is_refused_in_chinese(admin_client, fact):
    other = Unit.objects.create(code="504", name="另一个部门", kind="department")
    response = admin_client.post(change_url(fact), fact_form(fact, unit=other.pk))
    assert "与公开文件的单位" in response.content.decode()


def test_a_final_figure_in_a_budget_publication_is_refused_in_chinese(admin_client, fact):
    response = admin_client.post(change_url(fact), fact_form(fact, stage="final"))
    assert "预算公开文件只能录入年初预算数" in response.content.decode()


def test_more_than_two_decimal_places_is_refused(admin_client, fact):
    response = admin_client.post(change_url(fact), fact_form(fact, amount="1.005"))
    assert "确认小数不超过 2 位" in response.content.decode()


def test_a_valid_correction_is_saved_exactly(admin_client, fact):
    response = admin_client.post(
        change_url(fact), fact_form(fact, amount="483.42", correction_reason="录入错误")
    )
    assert response.status_code == 302
    fact.refresh_from_db()
    assert str(fact.amount) == "483.42"


def test_a_subject_code_of_the_wrong_length_is_refused_in_chinese(admin_client):
    response = admin_client.post(
        reverse("admin:budgets_subject_add"),
        {"scheme": "functional", "year": "2024", "code": "2080", "name": "错误"},
    )
    assert "3 位（类）、5 位（款）、7 位（项）" in response.content.decode()
    response = admin_client.post(
        reverse("admin:budgets_subject_add"),
        {"scheme": "functional", "year": "2024", "code": "2089801", "name": "没有上级"},
    )
    assert "上级科目“20898”" in response.content.decode()


def test_the_finance_staff_group_is_created_by_a_migration():
    group = Group.objects.get(name="财务人员")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_fact", "add_fact", "change_publishedfigure", "view_unit"} <= codenames
    assert "delete_publication" not in codenames
    assert not any(code.endswith("_user") or code.endswith("_group") for code in codenames)


def test_finance_staff_can_edit_figures_of_a_draft(client, finance_staff, fact):
    Publication.objects.filter(pk=fact.publication_id).update(status="draft")
    assert client.get(reverse("admin:budgets_fact_changelist")).status_code == 200
    response = client.post(change_url(fact), fact_form(fact, amount="483.40"))
    assert response.status_code == 302
    fact.refresh_from_db()
    assert str(fact.amount) == "483.40"


def test_finance_staff_cannot_manage_users_units_or_delete_publications(client, finance_staff):
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    unit = Unit.objects.get(code="503033")
    assert client.post(change_url(unit), {"code": "503033", "name": "改名"}).status_code == 403
    publication = Publication.objects.first()
    delete_url = reverse("admin:budgets_publication_delete", args=[publication.pk])
    assert client.get(delete_url).status_code == 403


# Which app answers the configured admin path and the default one, in a process of its own.
ADMIN_PATH_PROBE = """
import json, django
django.setup()
from django.urls import Resolver404, resolve

def app(path):
    try:
        return resolve(path).app_name
    except Resolver404:
        return None

print(json.dumps([app("/guanli-7x/login/"), app("/admin/login/")]))
"""


def test_the_admin_lives_at_the_configured_path(client):
    assert client.get("/admin/login/").status_code == 200
    # The path is read from DJANGO_ADMIN_PATH when the settings are imported: ask a new process.
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", ADMIN_PATH_PROBE],
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_ADMIN_PATH": "guanli-7x"},
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == ["admin", None]
