"""Rate limits: per token for the authenticated operations (API_RATE_PER_TOKEN), per client
address for the public ones (public/ratelimit.py, which keeps only a digest of it)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self):
        return settings.API_RATE_PER_TOKEN

    def get_cache_key(self, request, view):
        token = getattr(request, "api_token", None)
        # The prefix, random and unique, rather than the id a test database may reuse.
        return None if token is None else f"api-throttle:token:{token.prefix}"


class PublicRateThrottle(SimpleRateThrottle):
    """Per client address, the address itself never kept (a digest, as the public pages)."""

    scope = "public"

    def get_rate(self):
        return settings.API_RATE_PUBLIC

    def get_cache_key(self, request, view):
        from amorce.public.ratelimit import client_key

        return f"api-throttle:public:{client_key(request)}"
