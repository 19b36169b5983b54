"""The English catalogue: every interface string translated, placeholders kept, and the
committed django.mo compiled from the committed django.po (bin/messages)."""

import gettext
import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(LOCALE / "django.po"))


def test_every_interface_string_has_an_english_translation(catalogue):
    untranslated = [entry.msgid for entry in catalogue if not entry.translated()]
    assert untranslated == []


def test_no_translation_is_left_fuzzy(catalogue):
    assert [entry.msgid for entry in catalogue if "fuzzy" in entry.flags] == []


def test_translations_keep_the_placeholders_of_the_chinese(catalogue):
    for entry in catalogue:
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == wanted or entry.msgid_plural, entry.msgid


def test_the_committed_mo_file_is_compiled_from_the_po_file(catalogue):
    with open(LOCALE / "django.mo", "rb") as compiled:
        messages = gettext.GNUTranslations(compiled)._catalog
    for entry in catalogue:
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                assert messages[(msgid, index)] == text
        else:
            assert messages[msgid] == entry.msgstr, entry.msgid
    assert len([key for key in messages if key]) >= len(catalogue)
