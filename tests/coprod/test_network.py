"""The visitor's network address, as the sign-in and password reset limits count it."""

from django.test import RequestFactory

from coprod.network import client_ip


def request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **meta)


def test_without_a_proxy_forwarded_headers_are_not_believed(settings):
    settings.BEHIND_PROXY = False
    assert client_ip(request(HTTP_X_FORWARDED_FOR="203.0.113.9")) == "10.0.0.2"


def test_behind_a_proxy_the_address_it_appended_counts(settings):
    settings.BEHIND_PROXY = True
    made_up_then_real = "198.51.100.66, 203.0.113.9"
    assert client_ip(request(HTTP_X_FORWARDED_FOR=made_up_then_real)) == "203.0.113.9"
    assert client_ip(request()) == "10.0.0.2"


def test_a_request_made_in_code_has_no_address(settings):
    """As for the test client's force_login: no address rather than an invalid one (the
    sign-in limits then count such requests under one placeholder)."""
    settings.BEHIND_PROXY = False
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None
