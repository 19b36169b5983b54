"""Serving a built download (budgets.downloads) over HTTP as a cache and a download manager
expect: validators, conditional GET, byte ranges.

- `ETag` is the file's SHA-256 from the build's manifest (a strong validator, quoted), and
  `Last-Modified` the build's time; `If-None-Match` and `If-Modified-Since` answer 304 (and
  `If-Match`/`If-Unmodified-Since` 412) through django.utils.cache.get_conditional_response,
  the function Django's own conditional views use.
- `Cache-Control`: a build-specific address (/data/builds/<id>/…) never changes, so it is
  public and immutable for a year; a "latest" address (/data/lines.csv) changes with each
  build, so it may be kept a few minutes and is then revalidated (a 304 costs nothing).
- `Range: bytes=…` with one range answers 206 with `Content-Range`, an unsatisfiable one 416;
  several ranges (multipart/byteranges) answer 200 with the whole file, which RFC 9110 allows.
  `If-Range` with another validator than the current one also gets the whole file.

The body is streamed from the file (FileResponse), never read whole into memory. Django's
django.views.static.serve does none of the ETag or Range part, so it is not used here.
"""

import re
from datetime import datetime
from pathlib import Path

from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from budgets.exports import content_disposition

LATEST_MAX_AGE = 300
BUILD_MAX_AGE = 365 * 24 * 3600
LATEST = f"public, max-age={LATEST_MAX_AGE}, must-revalidate"
IMMUTABLE = f"public, max-age={BUILD_MAX_AGE}, immutable"
_RANGE = re.compile(r"^\s*bytes\s*=\s*([0-9]*)\s*-\s*([0-9]*)\s*$", re.IGNORECASE)


class _Slice:
    """A file read from `start` for `length` bytes. Without `fileno`, so that no server sends
    the rest of the file with sendfile(); without `tell`, so that FileResponse does not set a
    Content-Length of its own."""

    def __init__(self, stream, start: int, length: int):
        stream.seek(start)
        self.stream = stream
        self.left = length

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.stream.read(size)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.stream.close()


def byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) byte of a single satisfiable range; None when the header is not one
    range (serve the whole file); False when it is one range that no byte of the file meets."""
    match = _RANGE.match(header)
    if match is None:
        return None  # several ranges, another unit or nonsense: the whole file
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        count = int(last)
        if count == 0 or size == 0:
            return False
        return max(size - count, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None  # syntactically invalid: ignored, as RFC 9110 says
    if start >= size:
        return False
    return start, end


def _if_range_holds(request, etag: str, modified: int) -> bool:
    value = request.META.get("HTTP_IF_RANGE")
    if not value:
        return True
    if value.startswith(('"', "W/")):
        return value == etag  # strong comparison only
    return parse_http_date_safe(value) == modified


def serve(request, path: Path, entry: dict, built_at: str, immutable: bool) -> HttpResponse:
    """The built file at `path` described by its manifest `entry`, for `request`."""
    etag = quote_etag(entry["sha256"])
    modified = int(datetime.fromisoformat(built_at).timestamp())
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(modified),
        "Cache-Control": IMMUTABLE if immutable else LATEST,
        "Accept-Ranges": "bytes",
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "ETag, Last-Modified, Content-Range, Content-Length",
    }
    conditional = get_conditional_response(request, etag=etag, last_modified=modified)
    if conditional is not None:  # 304 or 412
        for name, value in headers.items():
            conditional.headers.setdefault(name, value)
        return conditional
    size = path.stat().st_size
    wanted = request.META.get("HTTP_RANGE", "")
    span = byte_range(wanted, size) if wanted and _if_range_holds(request, etag, modified) else None
    if span is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        stream = path.open("rb")
        if span is None:
            response = FileResponse(stream, content_type=entry["media_type"])
        else:
            first, last = span
            length = last - first + 1
            response = FileResponse(_Slice(stream, first, length), content_type=entry["media_type"])
            response.status_code = 206
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
            response["Content-Length"] = str(length)
        response["Content-Disposition"] = content_disposition(path.name, path.name)
        response["X-Content-SHA256"] = entry["sha256"]
    for name, value in headers.items():
        response[name] = value
    return response
