"""The built downloads over HTTP: validators (ETag = the file's SHA-256, Last-Modified = the
build's time), 304 on either, cache lifetimes, byte ranges and CORS, at the latest addresses,
the build-specific ones and the unfiltered CSV of the lines page."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils.http import http_date

from budgets import downloads

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    return downloads.build()


def addresses(built):
    """(address, its manifest entry, whether it is build-specific) of every file served."""
    found = []
    for entry in built["files"]:
        found.append((reverse("budgets:data_download", args=[entry["name"]]), entry, False))
        found.append(
            (reverse("budgets:build_file", args=[built["id"], entry["name"]]), entry, True)
        )
    lines = next(entry for entry in built["files"] if entry["name"] == "lines.csv")
    found.append((reverse("budgets:data_browse_csv"), lines, False))
    return found


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def built_time(built) -> str:
    return http_date(datetime.fromisoformat(built["built_at"]).timestamp())


def test_every_download_names_its_sha256_as_etag_and_its_build_time(client, built):
    for url, entry, _ in addresses(built):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["ETag"] == f'"{entry["sha256"]}"'
        assert response["Last-Modified"] == built_time(built)
        assert response["Accept-Ranges"] == "bytes"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert len(body(response)) == entry["bytes"]


def test_every_download_answers_304_to_its_etag(client, built):
    for url, entry, _ in addresses(built):
        response = client.get(url, headers={"if-none-match": f'"{entry["sha256"]}"'})
        assert response.status_code == 304, url
        assert response["ETag"] == f'"{entry["sha256"]}"'
        assert response.content == b""


def test_every_download_answers_304_to_its_build_time(client, built):
    for url, _entry, _ in addresses(built):
        response = client.get(url, headers={"if-modified-since": built_time(built)})
        assert response.status_code == 304, url


def test_another_etag_or_an_older_time_gets_the_whole_file(client, built):
    url, _entry, _ = addresses(built)[0]
    assert client.get(url, headers={"if-none-match": '"0000"'}).status_code == 200
    older = http_date(datetime.fromisoformat(built["built_at"]).timestamp() - 60)
    assert client.get(url, headers={"if-modified-since": older}).status_code == 200


def test_latest_addresses_are_revalidated_and_build_addresses_are_immutable(client, built):
    for url, _entry, specific in addresses(built):
        control = client.get(url)["Cache-Control"]
        if specific:
            assert control == "public, max-age=31536000, immutable", url
        else:
            assert control == "public, max-age=300, must-revalidate", url


def test_a_range_answers_206_with_those_bytes(client, built):
    whole = (downloads.current_dir() / "lines.csv").read_bytes()
    for url in (
        reverse("budgets:data_download", args=["lines.csv"]),
        reverse("budgets:data_browse_csv"),
    ):
        response = client.get(url, headers={"range": "bytes=10-109"})
        assert response.status_code == 206
        assert response["Content-Range"] == f"bytes 10-109/{len(whole)}"
        assert response["Content-Length"] == "100"
        assert body(response) == whole[10:110]


def test_open_and_suffix_ranges_answer_the_rest_and_the_end(client, built):
    whole = (downloads.current_dir() / "lines.csv").read_bytes()
    url = reverse("budgets:data_download", args=["lines.csv"])
    assert body(client.get(url, headers={"range": f"bytes={len(whole) - 5}-"})) == whole[-5:]
    tail = client.get(url, headers={"range": "bytes=-7"})
    assert tail["Content-Range"] == f"bytes {len(whole) - 7}-{len(whole) - 1}/{len(whole)}"
    assert body(tail) == whole[-7:]


def test_a_range_past_the_end_answers_416(client, built):
    size = (downloads.current_dir() / "lines.csv").stat().st_size
    response = client.get(
        reverse("budgets:data_download", args=["lines.csv"]), headers={"range": f"bytes={size}-"}
    )
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_several_ranges_get_the_whole_file(client, built):
    whole = (downloads.current_dir() / "lines.csv").read_bytes()
    response = client.get(
        reverse("budgets:data_download", args=["lines.csv"]), headers={"range": "bytes=0-1,5-9"}
    )
    assert response.status_code == 200
    assert body(response) == whole


def test_if_range_with_an_old_etag_gets_the_whole_file(client, built):
    url = reverse("budgets:data_download", args=["lines.csv"])
    stale = client.get(url, headers={"range": "bytes=0-9", "if-range": '"stale"'})
    assert stale.status_code == 200
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"range": "bytes=0-9", "if-range": etag}).status_code == 206


def test_the_page_cache_leaves_validators_and_ranges_alone(client, built, settings):
    settings.PAGE_CACHE_SECONDS = 60
    url = reverse("budgets:data_browse_csv")
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"range": "bytes=0-2"}).status_code == 206
    again = client.get(url)
    assert again.status_code == 200
    assert "X-Cache" not in again


def test_a_filtered_lines_csv_is_streamed_without_the_files_validators(client, built):
    response = client.get(reverse("budgets:data_browse_csv"), {"year": "2024"})
    assert response.status_code == 200
    assert "ETag" not in response
