"""`{% term "财政拨款" %}`: a word of the glossary with its definition, reachable by mouse,
keyboard and touch. The definition is in the page (aria-describedby), so screen readers read
it with the word and it shows without JavaScript on hover and keyboard focus;
static/js/glossary.js adds tapping and Escape."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from budgets import glossary
from budgets.i18n import HAN, in_english

register = template.Library()

COUNTER = "_glossary_terms"


@register.simple_tag(takes_context=True)
def term(context, name, text=None):
    """The term `name` (a name or alias in budgets.glossary), shown as `text` if given (else
    as the term in the page's language); the tooltip explains it in the page's language."""
    entry = glossary.lookup(name)
    if entry is None:
        # The names are written in templates, not read from data: a typo is a bug.
        raise template.TemplateSyntaxError(f"“{name}”不在 budgets.glossary.TERMS 中。")
    # Ids unique in the page: the same word may be explained in several places. The first
    # dict of a context is its own (a fresh one per render) and is shared by its includes.
    count = context.dicts[0].get(COUNTER, 0) + 1
    context.dicts[0][COUNTER] = count
    tip = f"term-{entry.slug}-{count}"
    return format_html(
        '<span class="term-wrap"><button type="button" class="term" aria-describedby="{}">'
        '{}</button><span class="term-tip" role="tooltip" id="{}">{}{}</span></span>',
        tip,
        _shown(entry, name, text),
        tip,
        _("%(term)s：") % {"term": entry.label},
        entry.explanation,
    )


def _shown(entry, name: str, text) -> str:
    """The words the button shows. An alias or a given text is Chinese as a template writes
    it: English pages show its translation, or the term's English name where it has none."""
    if not in_english():
        return text or (entry.label if name == entry.name else name)
    if text:
        translated = _(str(text))
        if not HAN.search(translated):
            return translated
    return entry.label
