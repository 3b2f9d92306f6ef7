"""The address a request came from, for limits kept per client.

Behind a TLS-terminating proxy every request arrives from the proxy, so the
client's address must come from a header the proxy sets (``CLIENT_IP_HEADER``).
Without that setting the socket's address is used: a header a client can send
itself is never trusted unless the operator says the proxy overwrites it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _meta_name(header: str) -> str:
    name = header.strip().upper().replace("-", "_")
    return name if name.startswith("HTTP_") or name == "REMOTE_ADDR" else f"HTTP_{name}"


def _valid(value: str) -> str:
    candidate = value.strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return ""


def client_ip(request: HttpRequest) -> str:
    """The client's address: from the configured proxy header (its last entry, the
    one the nearest proxy added), else the socket's address. Empty if neither
    holds an address."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        raw = str(request.META.get(_meta_name(header), ""))
        entries = [entry for entry in raw.split(",") if entry.strip()]
        if entries:
            found = _valid(entries[-1])
            if found:
                return found
    return _valid(str(request.META.get("REMOTE_ADDR", "")))


def client_bucket(address: str) -> str:
    """What a per-client limit counts: the address, or for IPv6 its /64 network,
    since one household or phone gets a whole /64 and can pick any address in it."""
    if not address:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
