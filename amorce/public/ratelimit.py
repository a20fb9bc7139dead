"""Attempts per client address over a fixed window, counted in Django's cache.

With the default cache (LocMem, no CACHES setting) each server process counts on its
own: behind N worker processes a client gets up to N times the limit, still bounded.
A shared cache (Redis, Memcached, database) in CACHES makes the limit exact. The
persons a flood can create are bounded anyway by `contact_requests.DAILY_LIMIT`, kept
in the database.
"""

import hashlib
import ipaddress

from django.core.cache import cache

from amorce.audit.journal import client_ip

CONTACT = ("contact", 5, 60 * 60)  # scope, attempts, seconds: 5 requests an hour
ADDRESS_CHECK = ("check", 30, 60 * 60)  # each check calls the national address API
POSITION_CHECK = ("position", 30, 60 * 60)
BOOKING = ("booking", 5, 60 * 60)  # bookings and changes through the signed link


def allow(request, rule: tuple[str, int, int]) -> bool:
    """Count one attempt of `request`'s client; False once over the limit."""
    scope, limit, period = rule
    key = f"public-ratelimit:{scope}:{client_key(request)}"
    cache.add(key, 0, timeout=period)  # the window starts with the first attempt
    try:
        attempts = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=period)
        attempts = 1
    return attempts <= limit


def client_key(request) -> str:
    """A digest of the client address, never the address itself. An IPv6 client usually
    holds a whole /64: counting single addresses would let it change at will."""
    address = client_ip(request) or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        network = (
            str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else address
        )
    return hashlib.sha256(network.encode()).hexdigest()[:32]
