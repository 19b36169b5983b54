"""The admin's history pages answer an id that is not an id with 404, as its change pages do
(django-simple-history raised ValueError: a 500 on every database)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["unit", "fact", "subject", "publication", "project"])
@pytest.mark.parametrize("bad_id", ["abc", "²", "1.5", "-"])
def test_a_history_address_with_a_malformed_id_is_not_found(admin_client, model, bad_id):
    assert admin_client.get(f"/admin/budgets/{model}/{bad_id}/history/").status_code == 404
    assert admin_client.get(f"/admin/budgets/{model}/1/history/{bad_id}/").status_code == 404


def test_a_history_page_of_a_real_record_still_opens(admin_client):
    assert admin_client.get("/admin/budgets/unit/1/history/").status_code == 200
