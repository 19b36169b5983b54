"""Requests of the lines page (/data/browse/) whose HTML must never change by a byte, used by
tests/test_browse_identity.py against the answers recorded before its CPU was cut
(browse_answers.json): filters, orders, page sizes, pages reached through the "next" and
"previous" links, both languages, and what is refused."""

import hashlib
import html
import json
import re
from pathlib import Path

RECORDED = Path(__file__).parent / "browse_answers.json"
QUERIES = [
    "",
    "per_page=50",
    "per_page=7&sort=-amount",
    "per_page=7&sort=amount",
    "per_page=7&sort=year",
    "per_page=7&sort=-year",
    "year=2024&stage=final&code_prefix=208&per_page=50",
    "year=2024&unit=503033&per_page=50",
    "unit_prefix=503&per_page=9",
    "direction=expenditure&breakdown=functional&per_page=5",
    "expense_class=personnel&fund_source=general_budget",
    "expenditure_type=project&code=2080199",
    "year=2023",  # no line
    "year=&stage=&per_page=",
    "code_prefix=+208",  # stripped
    "year=abc",
    "stage=draft",
    "unknown=1",
    "sort=name",
    "per_page=0",
    "per_page=%EF%BC%95",
    "cursor=abc&per_page=5",
    "year=%00",
    "unit=+",
]
PATHS = ["/data/browse/", "/en/data/browse/"]
WALKS = ["per_page=40", "per_page=30&sort=-amount&year=2024", "per_page=25&sort=year&stage=final"]
NEXT = re.compile(r'<a href="([^"]*)" rel="next">')
PREVIOUS = re.compile(r'<a href="([^"]*)" rel="prev">')


def answer(response) -> list:
    """The status, the body's length and its SHA-256 (the HTML is what changed hands)."""
    return [
        response.status_code,
        len(response.content),
        hashlib.sha256(response.content).hexdigest(),
    ]


def walk(client, path: str, query: str):
    """(address, response) of each page from the first to the last through "下一页", then
    back through "上一页"."""
    address = f"{path}?{query}"
    for link in (NEXT, PREVIOUS):
        while True:
            response = client.get(address)
            yield address, response
            found = link.search(response.content.decode())
            if response.status_code != 200 or found is None:
                break
            address = path + html.unescape(found[1])


def every_answer(client):
    for path in PATHS:
        for query in QUERIES:
            yield f"{path}?{query}", client.get(f"{path}?{query}")
        for query in WALKS:
            for step, (address, response) in enumerate(walk(client, path, query)):
                yield f"walk {step} {address}", response


def dumps(answers: dict) -> str:
    return "\n".join(json.dumps([key, found], ensure_ascii=False) for key, found in answers.items())


def recorded() -> dict:
    return dict(json.loads(line) for line in RECORDED.read_text().splitlines())
