"""The client's address of a request, also behind a reverse proxy.

REMOTE_ADDR is the address the server saw. Behind a proxy (nginx) that is the proxy's, and the client's
is in X-Forwarded-For, which every proxy appends to. That header is the client's to write, so it is
believed only when REMOTE_ADDR is one of settings.TRUSTED_PROXIES, and then only from the right: the
right-most address that is not itself a trusted proxy is the client that reached the first trusted one.
Everything left of it may be made up.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def trusted_proxy_networks() -> tuple[Network, ...]:
    """settings.TRUSTED_PROXIES as networks (a plain address is a network of one); ValueError when one
    is not an address or network (the system checks report it, sddcase/checks.py)."""
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _address(value: str | None):
    try:
        return ipaddress.ip_address(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def _is_trusted(address, networks) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, unless that is a trusted proxy; then the right-most address of
    X-Forwarded-For that is not a trusted proxy (or the left-most one when all are). None when there is
    no valid address (the audit column is `inet` on PostgreSQL)."""
    remote = _address(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return None
    networks = trusted_proxy_networks()
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    client = remote
    for part in reversed(forwarded):
        address = _address(part)
        if address is None:
            # Not an address: whatever is left of it cannot be trusted either; the last good hop stands.
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)
