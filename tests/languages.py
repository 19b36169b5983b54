"""Helpers for the English pages' tests: Chinese text that is not marked as data."""

import re
from html.parser import HTMLParser

from budgets.i18n import HAN

# A figure with two decimals, not part of a longer number: "720.94" in "720.94万元" too (a
# Chinese character after it is a word character, so \b would not end it).
AMOUNT = re.compile(r"(?<![\d.,])-?\d[\d,]*\.\d{2}(?!\d)")

# Elements whose text is not shown as page text.
SKIPPED = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _ChineseText(HTMLParser):
    """Collects Chinese text outside any element marked lang="zh…" — in text and in the
    attributes a reader meets (alt, title, aria-label, placeholder, value of buttons)."""

    SHOWN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, inside Chinese or skipped)
        self.found: list[str] = []

    def _inside(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        inside = (
            self._inside()
            or tag in SKIPPED
            or (attributes.get("lang") or "").lower().startswith("zh")
        )
        if not inside:
            for name in self.SHOWN_ATTRIBUTES:
                value = attributes.get(name) or ""
                if HAN.search(value):
                    self.found.append(f"<{tag} {name}={value!r}>")
        if tag not in VOID:
            self.stack.append((tag, inside))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._inside() and HAN.search(data):
            self.found.append(" ".join(data.split()))


def unmarked_chinese(html: str) -> list[str]:
    """The Chinese texts of an English page's <body> that are not inside lang="zh-Hans":
    an interface string left untranslated, or data not marked as Chinese."""
    body = html.split("<body", 1)[-1]
    parser = _ChineseText()
    parser.feed("<body" + body)
    return parser.found
