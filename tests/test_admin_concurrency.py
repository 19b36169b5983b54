"""Two people editing the same record in the admin: the one who saves second, from a form
opened before the first saved, is refused and told in Chinese what changed, by whom and when,
and nothing is lost. Saving at the same moment waits instead of failing, on SQLite too."""

import re
import sqlite3
import threading
import time

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse

from budgets.models import Fact, Publication, Unit
from tests.helpers import form_data
from tests.staff import fact_form, staff_user

VERSION = re.compile(r'name="seen_version" value="([^"]*)"')


def change_url(instance):
    meta = instance._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])


def opened(client, instance) -> dict:
    """What the change form carries besides the record's fields, as a browser posts it."""
    html = client.get(change_url(instance)).content.decode()
    found = VERSION.findall(html)
    return {"seen_version": found[0]} if found else {}


def messages_in(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def draft_fact(db):
    fact = Fact.objects.get(publication__kind="budget", subject__code="2080199")
    Publication.objects.filter(pk=fact.publication_id).update(status="draft")
    return Fact.objects.get(pk=fact.pk)


def member(username):
    client = Client()
    client.force_login(staff_user(username, "财务人员", "503033"))
    return client


def test_the_second_of_two_editors_is_refused_and_told_what_changed_by_whom(draft_fact):
    first, second = member("zhang"), member("li")
    first_form, second_form = opened(first, draft_fact), opened(second, draft_fact)
    url = change_url(draft_fact)
    saved = first.post(url, {**fact_form(draft_fact, amount="483.40"), **first_form})
    assert saved.status_code == 302

    refused = second.post(url, {**fact_form(draft_fact, amount="500.00"), **second_form})
    assert refused.status_code == 200
    text = messages_in(refused)
    assert "您打开此页后，zhang 于" in text
    assert "金额（万元）：您打开时为 483.41，现为 483.40" in text
    assert Fact.objects.get(pk=draft_fact.pk).amount.to_eng_string() == "483.40"
    # What the second editor typed is still in the form, to save again knowingly.
    assert 'name="amount" value="500.00"' in refused.content.decode()
    resent = {
        **fact_form(draft_fact, amount="500.00"),
        "seen_version": VERSION.findall(refused.content.decode())[0],
    }
    assert second.post(url, resent).status_code == 302
    assert Fact.objects.get(pk=draft_fact.pk).amount.to_eng_string() == "500.00"


def test_a_form_opened_after_the_change_saves_normally(draft_fact):
    first, second = member("zhang"), member("li")
    url = change_url(draft_fact)
    first.post(url, {**fact_form(draft_fact, amount="483.40"), **opened(first, draft_fact)})
    form = opened(second, draft_fact)
    response = second.post(url, {**fact_form(draft_fact, amount="483.39"), **form})
    assert response.status_code == 302


def test_a_form_posted_without_the_version_it_was_opened_at_is_refused(draft_fact):
    first, second = member("zhang"), member("li")
    url = change_url(draft_fact)
    first.post(url, {**fact_form(draft_fact, amount="483.40"), **opened(first, draft_fact)})
    data = fact_form(draft_fact, amount="483.39")
    data.pop("seen_version", None)
    assert second.post(url, data).status_code == 200
    assert Fact.objects.get(pk=draft_fact.pk).amount.to_eng_string() == "483.40"


def test_the_refused_form_shows_the_current_values_and_keeps_what_was_typed(admin_client):
    unit = Unit.objects.get(code="503033")
    first, second = Client(), admin_client
    first.force_login(User.objects.create_superuser("zhang", password=None))
    pages = {"1": form_data(first.get(change_url(unit)).content.decode())}
    pages["2"] = form_data(second.get(change_url(unit)).content.decode())
    assert first.post(change_url(unit), {**pages["1"], "name": "新名称"}).status_code == 302

    refused = second.post(change_url(unit), {**pages["2"], "name_en": "Complaint centre"})
    assert refused.status_code == 200
    shown = form_data(refused.content.decode())
    assert (shown["name"], shown["name_en"]) == ("新名称", "Complaint centre")
    assert second.post(change_url(unit), shown).status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.name_en) == ("新名称", "Complaint centre")


def test_rows_edited_inside_a_parent_page_are_protected_too(draft_fact):
    """A section's printed figures are edited as rows of the section's page. A page opened
    before another editor changed a row would put the row back as it was: it is refused, and
    shown again with that row as it is now."""
    section = draft_fact.publication.sections.get(slug="table-3")
    first, second = member("zhang"), member("li")
    url = change_url(section)
    pages = {
        name: form_data(c.get(url).content.decode()) for name, c in [("1", first), ("2", second)]
    }
    row, other_row = "publishedfigure_set-0-", "publishedfigure_set-1-"
    label, other_label = pages["1"][row + "row_label"], pages["1"][other_row + "row_label"]
    assert pages["1"][row + "seen_version"] == "0"
    saved = first.post(url, {**pages["1"], row + "row_label": f"{label}（改）"})
    assert saved.status_code == 302

    refused = second.post(url, {**pages["2"], other_row + "row_label": f"{other_label}（注）"})
    assert refused.status_code == 200
    assert "您打开此页后，zhang 于" in messages_in(refused)
    assert f"行名称：您打开时为 {label}，现为 {label}（改）" in messages_in(refused)
    shown = form_data(refused.content.decode())
    assert shown[row + "row_label"] == f"{label}（改）"
    assert second.post(url, shown).status_code == 302
    labels = list(section.publishedfigure_set.values_list("row_label", flat=True)[:2])
    assert labels == [f"{label}（改）", f"{other_label}（注）"]


# -- saving at the same moment ---------------------------------------------------------------


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """A database that threads share as two web workers would. pytest-django keeps an SQLite
    test database in memory with a shared cache, whose table locks fail at once instead of
    waiting, unlike a file: copy it to a file opened with the settings' OPTIONS, here and in
    each thread that calls the returned function."""
    original = connections["default"]
    if original.vendor != "sqlite":
        yield lambda: None
        return
    path = tmp_path / "portal.sqlite3"
    original.ensure_connection()
    target = sqlite3.connect(path)
    original.connection.backup(target)
    target.close()
    settings_dict = {**original.settings_dict, "NAME": str(path)}

    def use_file():
        connections["default"] = type(original)(settings_dict, "default")

    use_file()
    yield use_file
    connections["default"].close()
    connections["default"] = original


def test_two_editors_saving_at_the_same_moment_wait_and_the_second_is_refused(shared_database):
    unit = Unit.objects.create(code="509001", name="原来的名称", kind="unit")
    url = change_url(unit)
    clients = {}
    for name in ("first", "second"):
        clients[name] = Client()
        clients[name].force_login(User.objects.create_superuser(name, password=None))
    forms = {name: opened(client, unit) for name, client in clients.items()}
    first_inside, second_started = threading.Event(), threading.Event()
    responses, errors = {}, []

    def hold_the_first_save(sender, instance, **kwargs):
        # The first save waits, inside its transaction, until the second is under way.
        if threading.current_thread().name == "first":
            first_inside.set()
            second_started.wait(10)
            time.sleep(0.5)

    def edit(name, new_name):
        shared_database()
        try:
            if name == "second":
                first_inside.wait(10)
                second_started.set()
            data = {"code": unit.code, "name": new_name, "name_en": "", "kind": "unit"}
            responses[name] = clients[name].post(url, {**data, **forms[name]})
        except Exception as error:  # reported below, with the thread's name
            errors.append(f"{name}: {error!r}")
        finally:
            connections.close_all()

    post_save.connect(hold_the_first_save, sender=Unit)
    try:
        threads = [
            threading.Thread(target=edit, args=(name, f"{name}的名称"), name=name)
            for name in clients
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        post_save.disconnect(hold_the_first_save, sender=Unit)
    assert errors == []
    assert responses["first"].status_code == 302
    assert responses["second"].status_code == 200
    assert "您打开此页后，first 于" in messages_in(responses["second"])
    assert Unit.objects.get(pk=unit.pk).name == "first的名称"
