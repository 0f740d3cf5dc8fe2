"""CSV export of a staff list: Persian headers, UTF-8 with a BOM so spreadsheets read it."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable

from django.http import StreamingHttpResponse

BOM = "\ufeff"
EXPORT_LIMIT = 100_000


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, columns: list[tuple[str, Callable]], rows: Iterable) -> StreamingHttpResponse:
    """Stream `rows` as CSV; `columns` are (Persian header, row → value) pairs."""
    writer = csv.writer(_Echo())

    def lines():
        yield BOM + writer.writerow([header for header, _ in columns])
        for row in rows:
            yield writer.writerow(["" if (v := get(row)) is None else v for _, get in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
