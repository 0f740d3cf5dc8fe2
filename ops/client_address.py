"""The address of the citizen behind the request, the one place every per-address limit asks.

Behind a proxy REMOTE_ADDR is the proxy's own address, so every client would share one
rate limit and one django-axes lockout. The proxy says who its client was in a header
(X-Forwarded-For), but a client can send that header too: it is believed only when the
deployment says how many proxies stand in front (TRUSTED_PROXY_COUNT), and then only the
entry the outermost trusted proxy wrote is taken — never one a client could have put there.

    TRUSTED_PROXY_COUNT = 0   REMOTE_ADDR only (no proxy; any forwarded header ignored)
    TRUSTED_PROXY_COUNT = N   the N-th entry from the right of TRUSTED_PROXY_HEADER

Each proxy appends the address it was connected from, so with N proxies the header ends
"client, proxy1, …, proxyN-1" and the client is the N-th from the right. Anything to the
left of it came from the client and is ignored. A header shorter than N entries (the request
did not pass every proxy) or an entry that is not an IP address falls back to REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address as a string ("" if the server gave none)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "HTTP_X_FORWARDED_FOR")
    hops = [hop.strip() for hop in request.META.get(header, "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return _valid(hops[-count]) or remote


def _valid(candidate: str) -> str | None:
    # "[2001:db8::1]:443" and "203.0.113.9:51234" forms appear behind some proxies.
    if candidate.startswith("["):
        candidate = candidate[1:].split("]", 1)[0]
    elif candidate.count(":") == 1:
        candidate = candidate.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None
