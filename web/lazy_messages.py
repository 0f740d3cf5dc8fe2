"""Django's message middleware, with the storage made when a message is first added or read.

Django builds the storage (a cookie signer and a session store behind it) for every
request, ~30 µs of CPU; a redirect, a JSON answer, a file or a probe-like page never
touches it. Here the storage is made the first time something uses `request._messages`
(messages.add_message, the template's `messages`), and a request that never used it has
nothing to store, so its response is left alone: exactly what Django's `update()` does for
a storage nothing was added to or read from.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty


class LazyMessageMiddleware(MessageMiddleware):
    """A subclass, so the admin's check finds the message middleware it needs."""

    async_capable = False  # its __call__ is synchronous; Django adapts it under ASGI

    def __call__(self, request: HttpRequest) -> HttpResponse:
        storage = SimpleLazyObject(lambda: default_storage(request))
        request._messages = storage
        response = self.get_response(request)
        # A view may have put its own storage in place (as Django's tests do): update that.
        current = getattr(request, "_messages", None)
        if current is None or (current is storage and storage._wrapped is empty):
            return response
        unstored = current.update(response)
        if unstored and settings.DEBUG:
            raise ValueError("Not all temporary messages could be stored.")
        return response
