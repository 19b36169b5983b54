"""Requests of /api/lines/ whose answers must never change by a byte: valid pages of every
filter, order and size, pages reached through `next` and `previous`, and what is refused (bad
and hostile values, unknown and repeated parameters, other formats, methods and Accept
headers). Used by tests/test_api_lines_fast.py, which compares the answers of budgets.api.lines
with DRF's and with the answers recorded before it existed (api_line_answers.json)."""

import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

RECORDED = Path(__file__).parent / "api_line_answers.json"
LINES = "/api/lines/"
JSON = {"HTTP_ACCEPT": "application/json"}

# Query strings as sent (percent-encoded where a browser would encode).
VALID = [
    "",
    "page_size=1",
    "page_size=7",
    "page_size=1000",
    "page_size=5000",  # cut to 1000
    "page_size=",
    "page_size=007",
    "year=2024",
    "year=02024",
    "year=2023",  # no line
    "year=1990&page_size=3",
    "year=",
    "stage=final&page_size=4",
    "stage=initial_budget&page_size=4",
    "stage=adjusted_budget",
    "stage=",
    "direction=expenditure&page_size=5",
    "direction=income",
    "breakdown=functional&page_size=5",
    "breakdown=economic&ordering=-amount&page_size=5",
    "code=2080150",
    "code=208",
    "code_prefix=208&page_size=6",
    "code_prefix=20801",
    "code_prefix=2080150",
    "code_prefix=",
    "unit=503033&page_size=3",
    "unit=503",
    "unit_prefix=503&page_size=3",
    "unit_prefix=503033&ordering=amount&page_size=3",
    "unit_prefix=",
    "expenditure_type=project",
    "expenditure_type=basic&page_size=4",
    "expense_class=personnel",
    "expense_class=public",
    "fund_source=general_budget&page_size=4",
    "year=2024&stage=final&code_prefix=208&page_size=5",
    "year=2024&stage=final&direction=expenditure&breakdown=functional&code_prefix=20801",
    "unit=503033&fund_source=general_budget&expense_class=personnel&year=2024",
    "ordering=pk&page_size=3",
    "ordering=amount&page_size=3",
    "ordering=-amount&page_size=3",
    "ordering=year&page_size=3",
    "ordering=-year&page_size=3",
    "ordering=",
    "ordering=-amount&year=2024&stage=final&page_size=2",
    "cursor=&page_size=2",
    "page_size=3&year=2024&cursor=",
    "code=2080199&stage=final&direction=expenditure&expenditure_type=project",
]
REFUSED = [
    "year=abc",
    "year=1989",
    "year=2101",
    "year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%94",  # full-width digits
    "year=%D9%A2%D9%A0%D9%A2%D9%A4",  # Arabic-Indic digits
    "year=%C2%B2",  # superscript two
    "year=2024.0",
    "year=+",
    "year=-2024",
    "year=2024&year=2023",  # repeated: DRF reads the last
    "year=%00",  # NUL
    "%00=1",
    "stage=draft",
    "stage=FINAL",
    "stage=+",
    "direction=both",
    "breakdown=null",
    "code=abc",
    "code=12345678",
    "code=+208",  # " 208": stripped, a filter
    "code=+",
    "code_prefix=20%EF%BC%98",
    "code_prefix=208%0A",
    "unit=+",  # a blank unit code is refused, not read as no filter
    "unit=503033%0A",
    "unit=50303a",
    "unit_prefix=%20503",
    "unit_prefix=" + "1" * 33,
    "project=+",  # not a parameter of the lines
    "nonsense=1",
    "page=2",
    "sort=-amount",
    "page_size=0",
    "page_size=-1",
    "page_size=%EF%BC%91%EF%BC%90",
    "page_size=1e3",
    "page_size=2.0",
    "page_size=+5",
    "page_size=9999999999",
    "ordering=name",
    "ordering=-pk",
    "ordering=amount&ordering=pk",
    "cursor=abc",
    "cursor=!!",
    "cursor=cGt-bn4-MQ",  # not this site's shape
    "cursor=" + "A" * 121,
    "format=json&page_size=2",
    "format=api&page_size=2",
    "format=xml",
    "expense_class=personnel&page_size=2&unknown=",
]
HEADERS = [
    {},
    {"HTTP_ACCEPT": "*/*"},
    JSON,
    {"HTTP_ACCEPT": "application/json; indent=4"},
    {"HTTP_ACCEPT": "application/json;q=0.9, text/html;q=0.8"},
    {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    {"HTTP_ACCEPT": "application/xml"},  # 406
    {"HTTP_ACCEPT": "application/json", "HTTP_ORIGIN": "https://example.org"},
    {"HTTP_ACCEPT": "application/json, */*", "HTTP_ACCEPT_LANGUAGE": "en"},
    {"HTTP_ACCEPT": "application/json," * 200},
]
# (method, path, headers): every VALID and REFUSED query with plain JSON, a few with each
# Accept header, and other methods and addresses.
REQUESTS = [
    *[("GET", f"{LINES}?{query}", JSON) for query in VALID + REFUSED],
    *[("GET", f"{LINES}?{query}", {}) for query in VALID[:12] + REFUSED[:6]],
    *[
        ("GET", f"{LINES}?{query}", headers)
        for headers in HEADERS
        for query in ("page_size=2", "year=2024&stage=final&page_size=3", "year=abc")
    ],
    ("HEAD", f"{LINES}?page_size=2", JSON),
    ("OPTIONS", LINES, JSON),
    ("POST", LINES, JSON),
    ("GET", "/api/lines.json?page_size=2", {}),
    ("GET", "/api/lines.api?page_size=2", {}),
    ("GET", "/api/lines?page_size=2", JSON),
]
# Lists read to the end through `next` and back to the start through `previous`.
WALKS = [
    "page_size=40",
    "page_size=25&ordering=-amount",
    "page_size=30&ordering=amount&year=2024",
    "page_size=17&ordering=-year&stage=final",
    "page_size=50&ordering=year&direction=expenditure",
    "page_size=9&code_prefix=208&unit_prefix=503",
]


def answer(response) -> dict:
    """What is compared: the status, every header in order, the body's length and SHA-256.
    Not compared: the order of the directives of Content-Security-Policy, which django-csp
    writes from a set (it changes from process to process, not from answer to answer), and
    the body of DRF's browsable HTML, which holds a new CSRF token each time."""
    headers = []
    for name, value in response.headers.items():
        if name == "Content-Security-Policy":
            value = "; ".join(sorted(value.split("; ")))
        elif name == "Content-Length" and value == str(len(response.content)):
            value = "(the body's length)"  # compared below: one list of headers for many
        headers.append([name, value])
    html = response.get("Content-Type", "").startswith("text/html")
    return {
        "status": response.status_code,
        "headers": headers,
        "length": len(response.content),
        "sha256": None if html else hashlib.sha256(response.content).hexdigest(),
    }


def stored(answers: dict) -> dict:
    """The recorded answers as kept in RECORDED: each distinct list of headers once."""
    lists = []
    kept = {}
    for key, found in answers.items():
        if found["headers"] not in lists:
            lists.append(found["headers"])
        kept[key] = [found["status"], lists.index(found["headers"]), found["length"],
                     found["sha256"]]  # fmt: skip
    return {"headers": lists, "answers": kept}


def dumps(data: dict) -> str:
    """RECORDED's text: a line per answer."""
    lines = [json.dumps(data["headers"], ensure_ascii=False), *(
        json.dumps([key, found], ensure_ascii=False) for key, found in data["answers"].items()
    )]  # fmt: skip
    return "\n".join(lines) + "\n"


def loads(text: str) -> dict:
    first, *rest = text.splitlines()
    return {"headers": json.loads(first), "answers": dict(json.loads(line) for line in rest)}


def recorded() -> dict:
    """{key: answer} as `answer` writes them, from RECORDED."""
    data = loads(RECORDED.read_text())
    found = {}
    for key, (status, index, length, sha256) in data["answers"].items():
        headers = data["headers"][index]
        found[key] = {"status": status, "headers": headers, "length": length, "sha256": sha256}
    return found


def ask(client, method: str, path: str, headers: dict):
    return client.generic(method, path, **headers)


def walk(client, query: str):
    """(path, response) of each page of the list from its first page to its last through
    `next`, then back through `previous`."""
    path = f"{LINES}?{query}"
    for direction in ("next", "previous"):
        while True:
            response = ask(client, "GET", path, JSON)
            yield path, response
            link = response.json()[direction] if response.status_code == 200 else None
            if link is None:
                break
            parts = urlsplit(link)
            path = f"{parts.path}?{parts.query}"


def every_answer(client):
    """Yield (key, response) for every request above and every page of every walk."""
    for method, path, headers in REQUESTS:
        shown = {k: v if len(v) < 80 else f"{v[:20]}…({len(v)})" for k, v in headers.items()}
        key = f"{method} {path} {json.dumps(shown, sort_keys=True, ensure_ascii=False)}"
        yield key, ask(client, method, path, headers)
    for query in WALKS:
        for step, (path, response) in enumerate(walk(client, query)):
            yield f"walk {query} {step} {path}", response
