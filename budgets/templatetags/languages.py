"""Template side of budgets.i18n: the language switch, hreflang links, and data text."""

from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join

from budgets import i18n

register = template.Library()

# Each language is offered in its own name, so that a reader who cannot read the page's
# language still finds it.
SWITCH_LABELS = {i18n.CHINESE: "中文", i18n.ENGLISH: "English"}


@register.simple_tag
def html_lang() -> str:
    """The lang attribute of <html> for this page's language."""
    return i18n.HTML_LANG[i18n.current()]


@register.simple_tag(takes_context=True)
def language_switch(context):
    """Links to this same page (address and parameters kept) in the other languages."""
    request = context.get("request")
    if request is None:
        return ""
    return format_html_join(
        " ",
        '<a class="language-switch" href="{}" hreflang="{}" lang="{}">{}</a>',
        (
            (i18n.address_in(request, code), i18n.HTML_LANG[code], i18n.HTML_LANG[code], label)
            for code, label in SWITCH_LABELS.items()
            if code != i18n.current()
        ),
    )


@register.simple_tag(takes_context=True)
def alternate_links(context):
    """<link rel="alternate" hreflang> for the page in each language (search engines)."""
    request = context.get("request")
    if request is None or request.resolver_match is None:
        return ""
    return format_html_join(
        "\n  ",
        '<link rel="alternate" hreflang="{}" href="{}">',
        (
            (i18n.HTML_LANG[code], request.build_absolute_uri(i18n.address_in(request, code)))
            for code, _name in settings.LANGUAGES
        ),
    )


@register.filter
def zh(value):
    """Published text: escaped, marked lang="zh-Hans" in English pages when it is Chinese."""
    return i18n.data_text(value)


@register.filter
def local_name(obj):
    """A unit's, department's, project's or subject's name in the page's language (HTML)."""
    return i18n.local_name(obj)


@register.filter
def local_name_text(obj):
    return i18n.local_name_text(obj)


@register.simple_tag
def og_locale() -> str:
    return format_html("{}", "en_GB" if i18n.in_english() else "zh_CN")
