"""Random addresses on every URL pattern (public pages, API endpoints, the admin as a
superuser): the resolver is walked, each path parameter is filled with a real value or with
junk (Unicode digits, NUL, very long, SQL-ish, percent-encoded garbage), and a query string of
known and unknown parameters with such values is added. No answer is a 5xx, on SQLite and on
PostgreSQL (CI runs the suite on both).

Examples are derandomized (a fixed seed per test) and bounded, and the kinds of junk that were
500s are tried every run, so CI sees the same addresses each time; the file takes about 30 s of
one core."""

import string
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.urls import URLResolver, get_resolver
from django.utils.regex_helper import normalize
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db


def url_templates() -> list[tuple[str, list[str]]]:
    """Every URL pattern as a format string and its parameter names, e.g.
    ("/units/%(unit_code)s/%(year)s/", ["unit_code", "year"])."""

    def walk(patterns, prefix):
        for pattern in patterns:
            regex = pattern.pattern.regex.pattern.removeprefix("^")
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + regex)
            else:
                yield prefix + regex

    templates = {}
    for regex in walk(get_resolver().url_patterns, ""):
        for template, names in normalize(regex):
            templates["/" + template] = names
    return sorted(templates.items())


TEMPLATES = url_templates()
ADMIN = f"/{django_settings.ADMIN_PATH}"
PUBLIC_TEMPLATES = [t for t in TEMPLATES if not t[0].startswith(ADMIN)]
ADMIN_TEMPLATES = [pytest.param(t, id=t[0]) for t in TEMPLATES if t[0].startswith(ADMIN)]

# Real values for the path parameters, so that junk elsewhere reaches deep into the views.
REAL = {
    "unit_code": ["503033", "503"],
    "year": ["2024", "2023"],
    "scheme": ["functional", "economic"],
    "code": ["2080150", "302", "503033", "42010022503T000000136"],
    "kind": ["budget", "final"],
    "slug": ["gk01", "explanation-5"],
    "name": ["lines.csv", "datapackage.json"],
    "pk": ["1", "2"],
    "format": ["json", "api", "csv"],
    "app_label": ["budgets", "auth"],
    "object_id": ["1", "2"],
    "publication_id": ["1", "2"],
    "content_type_id": ["1"],
    "id": ["1"],
    "_0": ["1"],
    "_1": ["1"],
    "url": ["budgets/fact/", "nothing/"],
}
JUNK = st.one_of(
    st.sampled_from(
        [
            "\x00",
            "503033\x00",
            "%00",
            "²",
            "¹",
            "①",
            "٢٠٢٤",
            "２０２４",
            "-1",
            "0",
            "2024.0",
            "1e999",
            "NaN",
            "9" * 4301,
            "a" * 3000,
            "' OR '1'='1",
            "1; DROP TABLE budgets_fact; --",
            '"; SELECT pg_sleep(5); --',
            "%' OR 1=1 --",
            "\\",
            "%zz",
            "%ff%fe",
            "%C0%AE%C0%AE",
            "%2e%2e%2f",
            "..",
            "<script>alert(1)</script>",
            "{{7*7}}",
            "null",
            " ",
            "\t\r\n",
        ]
    ),
    st.text(alphabet=st.characters(categories=("Nd", "No")), min_size=1, max_size=6),
    st.text(alphabet=string.printable, max_size=12),
    st.text(max_size=12),
)
PARAMETER_NAMES = [
    "page",
    "per_page",
    "page_size",
    "sort",
    "level",
    "expense_class",
    "blank",
    "year",
    "unit",
    "unit_prefix",
    "stage",
    "direction",
    "breakdown",
    "code",
    "code_prefix",
    "expenditure_type",
    "fund_source",
    "scope",
    "horizon",
    "format",
    "ordering",
    "q",
    "term",
    "o",
    "p",
    "e",
    "app_label",
    "model_name",
    "field_name",
    "next",
    "_changelist_filters",
    "_popup",
    "_to_field",
]
QUERY = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETER_NAMES), JUNK), JUNK), max_size=3
).map(lambda pairs: urlencode(pairs, safe="%"))
RAW_QUERY = st.sampled_from(["", "&", "&&=", "=x", "%zz", "page=%C2%B2", "q=%00", "a[]=1&a[]=2"])


def segment(name: str):
    """A value for the path parameter `name`: real or junk, percent-encoded as a browser would
    send it (raw % sequences stay, so "%00" and "%zz" reach the server as they are)."""
    real = st.sampled_from(REAL.get(name, ["1"]))
    return st.one_of(real, real, JUNK).map(lambda value: quote(value, safe="%"))


@st.composite
def addresses(draw, template_and_names):
    template, names = template_and_names
    path = template % {name: draw(segment(name)) for name in names}
    query = "&".join(filter(None, [draw(QUERY), draw(RAW_QUERY)]))
    return f"{path}?{query}" if query else path


def known_bad_addresses(template_and_names, queries) -> list[str]:
    """The kinds of junk that were 500s, tried every run whatever the random examples are: a
    NUL byte and an id that is not a number in each path parameter (the others real), and each
    of `queries` on the real address."""
    template, names = template_and_names
    real = {name: REAL.get(name, ["1"])[0] for name in names}
    found = [
        template % {**real, name: junk} for name in names for junk in (real[name] + "%00", "abc")
    ]
    return found + [f"{template % real}?{query}" for query in queries]


# Digits that are not ASCII in each numeric parameter, too many digits, a NUL in a search.
PUBLIC_QUERIES = [
    *(f"{name}=%C2%B2" for name in ("page", "per_page", "page_size", "year")),
    f"page_size={'9' * 4301}",
    "q=%00",
]


def fetch(client, address):
    response = client.get(address, HTTP_ACCEPT="application/json, text/html;q=0.9")
    if response.streaming:
        # Errors while a CSV streams count too; the test client closes the response (without
        # closing the test's database connection) once it is read.
        b"".join(response.streaming_content)
    return response


FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fuzz(client, template, *, max_examples: int, queries=()):
    """The known-bad addresses of `template`, then `max_examples` random ones: none a 5xx."""

    def check(address):
        assert fetch(client, address).status_code < 500, address

    test = given(address=addresses(template))(check)
    for address in known_bad_addresses(template, queries):
        test = example(address=address)(test)
    settings(FUZZ, max_examples=max_examples)(test)()


@pytest.mark.parametrize("template", PUBLIC_TEMPLATES, ids=lambda t: t[0])
def test_no_public_or_api_address_is_a_server_error(client, template):
    fuzz(client, template, max_examples=10, queries=PUBLIC_QUERIES)


@pytest.fixture
def superuser_client(client, django_user_model):
    """Logged in without a password: hashing one for each of some 200 tests would cost more
    than the requests."""
    client.force_login(
        django_user_model.objects.create(username="fuzz", is_staff=True, is_superuser=True)
    )
    return client


@pytest.mark.parametrize("template", ADMIN_TEMPLATES)
def test_no_admin_address_is_a_server_error_for_a_superuser(superuser_client, template):
    fuzz(superuser_client, template, max_examples=2)
