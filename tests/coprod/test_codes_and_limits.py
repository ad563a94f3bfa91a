from datetime import timedelta

from django.utils import timezone

from coprod import codes
from coprod.limits import Limit, hit, network


def test_codes_use_no_look_alike_characters():
    for _ in range(200):
        code = codes.new_code()
        assert len(code) == 8
        assert not set(code) & set("0OQD1IL2Z5S8BUVG")


def test_typed_codes_are_read_leniently_and_strange_ones_refused():
    assert codes.normalise(" kx7m-9hpa ") == "KX7M9HPA"
    assert codes.normalise("KX7M 9HPA") == "KX7M9HPA"
    assert codes.normalise("KX0M9HPA") is None
    assert codes.normalise("") is None
    assert codes.display("KX7M9HPA") == "KX7M-9HPA"


def test_a_limit_refuses_past_its_count_until_the_window_ends(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    now = timezone.now()
    limit = Limit("test", 3, timedelta(minutes=10))
    for _ in range(3):
        assert hit((limit, ("198.51.100.1",)), now=now) is None
    until = hit((limit, ("198.51.100.1",)), now=now)
    assert until == now + timedelta(minutes=10)
    assert hit((limit, ("198.51.100.2",)), now=now) is None, "another address has its own count"
    assert hit((limit, ("198.51.100.1",)), now=until) is None


def test_a_limit_per_network_address_counts_ipv6_by_its_64():
    """One home, phone or office holds a whole IPv6 /64 and can use any address in it."""
    assert network("2001:db8:1:2:3:4:5:6") == network("2001:db8:1:2::9") == "2001:db8:1:2::/64"
    assert network("2001:db8:1:3::9") != network("2001:db8:1:2::9")
    assert network("203.0.113.7") != network("203.0.113.8")
    assert network("::ffff:203.0.113.7") == "203.0.113.7"
    assert network(None) == network("") == ""
