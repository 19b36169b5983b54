"""The 历史 page of every record in the admin: each registered model's history answers 200 for
a user who may see the record, with and without earlier versions recorded."""

import pytest
from axes.models import AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from budgets import access
from budgets.models import (
    Correction,
    ErrorReport,
    Fact,
    Publication,
    SubjectChange,
    UnitMembership,
)
from budgets.models.history import record_baseline
from budgets.tasks import request_build
from tests.staff import PASSWORD, staff_user

pytestmark = pytest.mark.django_db
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def history_url(instance):
    meta = instance._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[instance.pk])


@pytest.fixture
def a_record_of_every_model(client, settings):
    """Records of the models the fixtures leave empty: a correction, a membership, a subject
    change, a downloads build, an error report, the axes records of a failed and a successful
    login."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    reviewer = staff_user("shenhe", "审核人员", "503033")
    fact = Fact.objects.get(publication__kind="budget", subject__code="2080199")
    Correction.objects.create(
        publication=fact.publication,
        content_type=ContentType.objects.get_for_model(Fact),
        object_id=fact.pk,
        reason="测算有误",
        corrected_by=reviewer,
    )
    login = reverse("admin:login")
    # A successful login clears the failures before it: fail after succeeding.
    client.post(login, {"username": "shenhe", "password": PASSWORD})
    client.logout()
    client.post(login, {"username": "shenhe", "password": "wrong"})
    # Kept only with AXES_ENABLE_ACCESS_FAILURE_LOG, which the portal leaves off.
    AccessFailureLog.objects.create(
        username="shenhe", ip_address="127.0.0.1", user_agent="", http_accept="", path_info=login
    )
    SubjectChange.objects.create(scheme="functional", year=2025, old_code="2080150", new_code="")
    # A build of the downloads and its task in the queue (the correction above queues one only
    # once its transaction commits, which a test's never does).
    request_build("测试")
    ErrorReport.submit(
        page="/units/503033/2024/", unit_code="503033", description="数字有误", client_hash="x"
    )
    assert UnitMembership.objects.exists()


def with_versions(instance):
    """The record with a first version recorded and a second one saved over it, so that the
    history page compares two versions."""
    model = type(instance)
    if hasattr(model, "history"):
        record_baseline(model, model.objects.filter(pk=instance.pk), "载入公开文件")
        instance.save()
    return instance


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_history_page_answers_for_an_administrator(
    admin_client, a_record_of_every_model, model
):
    instance = model._default_manager.first()
    assert instance is not None, f"no {model._meta.label} to show the history of"
    assert admin_client.get(history_url(instance)).status_code == 200
    assert admin_client.get(history_url(with_versions(instance))).status_code == 200


STAFF_GROUPS = ["财务人员", "审核人员"]


@pytest.mark.parametrize("group", STAFF_GROUPS)
def test_staff_see_the_history_of_every_record_of_their_unit_they_may_view(
    client, a_record_of_every_model, group
):
    user = staff_user("yuangong", group, "503033")
    client.force_login(user)
    seen = 0
    for model in REGISTERED:
        if not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            continue
        instance = model._default_manager.filter(access.scope_filter(user, model)).first()
        assert instance is not None, f"no {model._meta.label} of unit 503033"
        response = client.get(history_url(with_versions(instance)))
        assert response.status_code == 200, model._meta.label
        seen += 1
    assert seen >= 20


def test_the_history_of_a_correction_leads_to_the_record_it_changed(admin_client):
    fact = Fact.objects.get(
        publication__kind="final", subject__code="2080150", direction="expenditure"
    )
    correction = Correction.objects.create(
        publication=Publication.objects.get(kind="final"),
        content_type=ContentType.objects.get_for_model(Fact),
        object_id=fact.pk,
        reason="录入错误",
        corrected_by=User.objects.get(username="admin"),
    )
    html = admin_client.get(history_url(correction)).content.decode()
    assert history_url(fact) in html
