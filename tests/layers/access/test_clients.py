"""The client's address: trusted proxies only, and stored as a keyed hash, never as is."""

from __future__ import annotations

import pytest

from layers.access import clients
from layers.errors import InvalidInput

PROXY = clients.trusted_proxies("127.0.0.1, ::1, 10.0.0.0/8")


def test_the_peer_is_the_client_unless_it_is_a_trusted_proxy() -> None:
    # no proxy configured: a forged header changes nothing
    assert clients.client_address("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert clients.client_address(None, "198.51.100.1") == "127.0.0.1"
    # a header from a client that is not a trusted proxy is ignored too
    assert clients.client_address("203.0.113.7", "198.51.100.1", PROXY) == "203.0.113.7"
    # behind the proxy (Streamlit reports loopback as None): the address the proxy added
    assert clients.client_address(None, "198.51.100.1", PROXY) == "198.51.100.1"
    # what the client wrote itself, left of the proxies' entries, is not believed
    assert clients.client_address(None, "6.6.6.6, 198.51.100.1, 10.1.2.3", PROXY) \
        == "198.51.100.1"
    assert clients.client_address("10.0.0.5", None, PROXY) == "10.0.0.5"


def test_bad_proxy_settings_are_refused_with_a_code() -> None:
    assert clients.trusted_proxies("") == ()
    with pytest.raises(InvalidInput) as bad:
        clients.trusted_proxies("127.0.0.1, proxy.example")
    assert bad.value.code == "access.bad_proxy" and "proxy.example" in bad.value.message("cs")


def test_addresses_are_kept_as_keyed_hashes() -> None:
    one = clients.client_key("203.0.113.7", "key-1")
    assert len(one) == clients.KEY_DIGITS and "203" not in one
    assert one == clients.client_key("203.0.113.7", "key-1")  # stable under one key
    assert one != clients.client_key("203.0.113.7", "key-2")  # useless without the key
    assert one != clients.client_key("203.0.113.8", "key-1")
    # without a configured key, a random key of the process
    assert clients.client_key("203.0.113.7") != one
    assert clients.client_key("203.0.113.7") == clients.client_key("203.0.113.7")


def test_an_ipv6_client_counts_by_its_64_network() -> None:
    assert clients.client_key("2001:db8:1:2::1", "k") == \
        clients.client_key("2001:db8:1:2:ffff::9", "k")
    assert clients.client_key("2001:db8:1:2::1", "k") != \
        clients.client_key("2001:db8:1:3::1", "k")
