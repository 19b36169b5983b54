"""The lines page's HTML is byte for byte what it was before its CPU per request was cut
(tests/browse_answers.json, recorded from the code before): every filter, order and page
size, pages through the "next" and "previous" links, English, and the refused addresses."""

import pytest

from tests.browse_cases import answer, every_answer, recorded

pytestmark = pytest.mark.django_db


def test_every_lines_page_is_the_one_recorded_before(client):
    expected = recorded()
    found = {key: answer(response) for key, response in every_answer(client)}
    assert found.keys() == expected.keys()
    for key, value in found.items():
        assert value == expected[key], key
