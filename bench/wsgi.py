"""gunicorn's entry point for the pages section: the site under bench.settings, and the
floor every page is compared with.

/bench/bare/ is answered by a plain Django view with no middleware, no URL resolution and
no database: a WSGIRequest built from the environ, the view's HttpResponse handed back
through start_response. Every other path goes through Django's WSGIHandler (the whole
middleware stack), /bench/hello/ included, so hello ÷ bare is what the stack costs.
"""

import os

from django.core.handlers.wsgi import WSGIRequest
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
site = get_wsgi_application()

from bench.urls import bare  # noqa: E402 — after Django is set up
from ops.loaded_objects import freeze_loaded_objects  # noqa: E402

freeze_loaded_objects()  # as config/wsgi.py does

BARE_PATH = "/bench/bare/"


def application(environ: dict, start_response):
    if environ.get("PATH_INFO") != BARE_PATH:
        return site(environ, start_response)
    response = bare(WSGIRequest(environ))
    # As CommonMiddleware sets it for hello: the same keep-alive framing for both.
    response.headers["Content-Length"] = str(len(response.content))
    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
    return [response.content]
