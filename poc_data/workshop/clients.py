"""Who is asking, for the workshop's join limits: an address where it can be trusted, a browser's token otherwise."""

from __future__ import annotations

import os

from poc_data.workshop.base import _hash_key

TRUSTED_PROXIES_VARIABLE = "POC_TRUSTED_PROXIES"
_LOOPBACK = ("127.", "::1", "localhost")


def trusted_proxies() -> frozenset[str]:
    """The addresses of the reverse proxies whose X-Forwarded-For is believed: $POC_TRUSTED_PROXIES, comma-separated
    (none by default)."""
    return frozenset(part.strip() for part in os.environ.get(TRUSTED_PROXIES_VARIABLE, "").split(",") if part.strip())


def client_key(peer: str | None, forwarded_for: str | None, browser: str, trusted: frozenset[str]) -> str:
    """Who is asking, for the join limiter and the cap per address.

    The address the connection came from, unless it cannot tell people apart or may be forged: behind a proxy named
    in `trusted`, the nearest address in X-Forwarded-For that is not one of them; with no proxy named, a request
    that carries X-Forwarded-For (the ASGI server believes it from the same machine, where anyone can set it) or
    comes from this machine (a local proxy, an SSH tunnel) is told apart by its browser's token, never by one shared
    name.
    """
    if trusted and forwarded_for:
        hops = [part.strip() for part in forwarded_for.split(",") if part.strip()]
        # uvicorn may already have put the nearest hop in place of a proxy on this machine.
        if peer in trusted or peer in hops:
            for hop in reversed(hops):
                if hop not in trusted:
                    return f"address:{hop[:100]}"
    if peer and not forwarded_for and not peer.startswith(_LOOPBACK):
        return f"address:{peer[:100]}"
    return f"browser:{_hash_key(browser)[:32]}"
