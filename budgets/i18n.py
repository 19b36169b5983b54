"""The two languages of the public pages: which one a request is answered in, the address of
the same page in the other, and how data is shown in English.

Interface strings are Chinese in the code and translated in locale/en/LC_MESSAGES/django.po.
Data is not translated by the portal: a unit's, project's or subject's English name is data
(``name_en``) that staff give; where there is none, the Chinese name is shown as published,
marked ``lang="zh-Hans"`` so that screen readers and the English pages' tests know it is
Chinese on purpose. Figures are the same in both languages (tests/test_i18n.py).

English names of subjects follow one convention (docs/i18n.md): the levels are class (类),
section (款) and item (项); 基本支出 is basic expenditure, 项目支出 project expenditure and
三公经费 the "three public expenses".
"""

import re
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language

CHINESE = "zh-hans"
ENGLISH = "en"
# The value of a lang attribute for each language code of settings.LANGUAGES.
HTML_LANG = {CHINESE: "zh-Hans", ENGLISH: "en"}
HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def current() -> str:
    """The language this request is answered in: zh-hans or en."""
    language = (get_language() or settings.LANGUAGE_CODE).lower()
    return ENGLISH if language.startswith("en") else CHINESE


def in_english() -> bool:
    return current() == ENGLISH


def data_text(value):
    """Published text (a name, a row label, an explanation) as HTML: escaped, and in English
    pages wrapped in <span lang="zh-Hans"> when it is Chinese."""
    if value is None:
        return ""
    text = str(value)
    if in_english() and HAN.search(text):
        return format_html('<span lang="zh-Hans">{}</span>', text)
    return format_html("{}", text)


def english_name(obj) -> str:
    """The English name staff gave this unit, department, project or subject, or ""."""
    return (getattr(obj, "name_en", "") or "").strip()


def local_name(obj):
    """The object's name in the page's language, as HTML: name_en in English when staff gave
    one, otherwise the published (Chinese) name, marked as Chinese in English pages."""
    if obj is None:
        return ""
    if in_english():
        name = english_name(obj)
        if name:
            return format_html("{}", name)
    return data_text(obj.name)


def local_name_text(obj) -> str:
    """local_name as plain text (for CSV cells, titles, chart labels)."""
    if obj is None:
        return ""
    return (in_english() and english_name(obj)) or obj.name


def address_in(request, language: str) -> str:
    """The address of this page in the given language, with its query string: the language
    prefix added or removed. An address no page answers (a 404) is prefixed all the same."""
    full = request.get_full_path()
    translated = translate_url(full, language)
    if translated != full or current() == language:
        return translated
    parts = urlsplit(full)
    path = _without_prefix(parts.path)
    if language != settings.LANGUAGE_CODE:
        path = f"/{language}{path}"
    return urlunsplit(("", "", path, parts.query, parts.fragment))


def _without_prefix(path: str) -> str:
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path
