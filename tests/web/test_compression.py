"""Pages compressed at the cheaper level, with Django's BREACH padding and headers."""

from __future__ import annotations

import gzip
import zlib

from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from web import compression
from web.compression import PageGZipMiddleware

PAGE = ("<p>" + "صفحه‌ای با متن فارسی و شماره ۱۲۳۴۵ " * 400 + "</p>").encode()


def _respond(content=PAGE, accept="gzip, deflate, br", **headers):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    middleware = PageGZipMiddleware(lambda _request: _response(content, headers))
    return middleware(request)


def _response(content, headers):
    response = HttpResponse(content)
    for name, value in headers.items():
        response.headers[name] = value
    return response


def test_a_page_is_gzipped_at_the_cheaper_level_and_reads_back_whole():
    response = _respond()

    assert response["Content-Encoding"] == "gzip"
    assert response["Vary"] == "Accept-Encoding"
    assert int(response["Content-Length"]) == len(response.content)
    assert gzip.decompress(response.content) == PAGE
    # Django's own level (6) would be smaller; this one is the level chosen.
    body = zlib.compress(PAGE, level=compression.LEVEL, wbits=31)
    padding = len(response.content) - len(body)
    assert 1 <= padding <= PageGZipMiddleware.max_random_bytes


def test_the_gzip_header_carries_a_filename_of_random_length():
    lengths = {len(_respond().content) for _ in range(40)}

    assert len(lengths) > 5  # BREACH: the compressed size is not the page's alone


def test_what_is_not_worth_compressing_or_not_accepted_is_sent_as_it_is():
    short = _respond(content=b"<p>ok</p>")
    plain = _respond(accept="identity")
    encoded = _respond(**{"Content-Encoding": "br"})

    assert short.content == b"<p>ok</p>" and not short.has_header("Content-Encoding")
    assert plain.content == PAGE and not plain.has_header("Content-Encoding")
    assert plain["Vary"] == "Accept-Encoding"  # a cache must not give it to a gzip browser
    assert encoded.content == PAGE and encoded["Content-Encoding"] == "br"


def test_a_strong_etag_turns_weak_once_the_bytes_change():
    response = _respond(ETag='"v1"')

    assert response["ETag"] == 'W/"v1"'


def test_a_streamed_response_still_goes_through_djangos_path():
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    middleware = PageGZipMiddleware(
        lambda _request: StreamingHttpResponse(iter([PAGE[:500], PAGE[500:]])))

    response = middleware(request)

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == PAGE
