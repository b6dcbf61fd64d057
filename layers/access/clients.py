"""Who is logging in, as far as the server can tell: the client's address, kept only as a
keyed hash.

The login throttle (:mod:`layers.access.throttle`) counts failures per account and per client,
so it needs to tell clients apart without storing where people connect from: an address is
reduced to an HMAC-SHA256 under a key the store never holds (``MAPA_CLIENT_KEY``, else a
random key per process), so the stored value cannot be turned back into an address by
trying all four billion of them. IPv6 clients count by their /64 network, since one host
usually gets a whole /64 and could otherwise change address at every attempt.

Behind a reverse proxy every connection comes from the proxy; only when the operator names
the proxies (``MAPA_TRUSTED_PROXIES``) is the address taken from ``X-Forwarded-For``, the
right-most entry a trusted proxy did not add (anything to its left the client may have
written itself).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Sequence
from typing import Final

from layers.errors import InvalidInput

#: Setting (environment or app secrets): comma-separated addresses or networks of the reverse
#: proxies whose ``X-Forwarded-For`` is believed ("127.0.0.1, ::1" for a proxy on the host).
TRUSTED_PROXIES: Final = "MAPA_TRUSTED_PROXIES"
#: Setting: the key client addresses are hashed under; several app processes serving one
#: store must share it, or each counts a client apart.
CLIENT_KEY: Final = "MAPA_CLIENT_KEY"
#: The client of a caller that knows no address (the command line, a test).
NO_ADDRESS: Final = "none"
#: Hex digits of the HMAC kept: 64 bits tell clients apart without a collision in practice.
KEY_DIGITS: Final = 16
#: Prefix length an IPv6 client is counted by.
IPV6_PREFIX: Final = 64
#: Streamlit reports a loopback connection as no address; it came from one of these.
LOOPBACK: Final = ("127.0.0.1", "::1")

_PROCESS_KEY: Final = secrets.token_bytes(32)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies(setting: str) -> tuple[Network, ...]:
    """The networks of :data:`TRUSTED_PROXIES` (``""``: none). Raises ``InvalidInput``
    (``access.bad_proxy``) for an entry that is not an address or a network."""
    networks = []
    for entry in (part.strip() for part in setting.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise InvalidInput("access.bad_proxy", entry=entry, setting=TRUSTED_PROXIES) \
                from exc
    return tuple(networks)


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str | None, forwarded_for: str | None,
                   trusted: Sequence[Network] = ()) -> str:
    """The client's address: the connection's ``peer`` (None: a loopback connection, as
    Streamlit reports it), or, when the peer is a trusted proxy, the right-most entry of
    ``forwarded_for`` (the ``X-Forwarded-For`` header) that no trusted proxy added."""
    peers = LOOPBACK if peer is None else (peer,)
    if not forwarded_for or not any(_is_trusted(p, trusted) for p in peers):
        return peers[0]
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peers[0]


def client_key(address: str, key: str = "") -> str:
    """The keyed hash the throttle stores for ``address`` (:data:`KEY_DIGITS` hex digits),
    under ``key`` (the :data:`CLIENT_KEY` setting; ``""``: this process's random key).

    An IPv6 address stands for its /64 network; anything that is not an address is hashed as
    it is written.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        subject = address
    else:
        subject = str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False)) \
            if ip.version == 6 else str(ip)
    secret = key.encode("utf-8") if key else _PROCESS_KEY
    return hmac.new(secret, subject.encode("utf-8"), hashlib.sha256).hexdigest()[:KEY_DIGITS]
