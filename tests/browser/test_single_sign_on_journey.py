"""Single sign-on through a real OpenID Connect provider (npm's oidc-provider, run by Node
from tests/oidc/ on the loopback address; `make test` installs it): a council's colleague
signs in with the council's account and lands in their existing coprod account, matched by
the e-mail address the provider has verified. An address the provider has not verified
signs nobody in to an existing account."""

import copy
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

PROVIDER = Path(__file__).resolve().parents[1] / "oidc"


@pytest.fixture
def oidc(live_server, settings):
    node = shutil.which("node")
    if node is None or not (PROVIDER / "node_modules" / "oidc-provider").exists():
        pytest.fail("Node and tests/oidc/node_modules are needed: `make test` installs them.")
    callback = f"{live_server.url}/accounts/oidc/oidc/login/callback/"
    # Port 0: the provider takes a free port and names it, so that tests running side by
    # side (pytest -n) cannot both be handed the same one.
    process = subprocess.Popen(
        [node, "provider.mjs", "0", "coprod-test", "test-secret", callback],
        cwd=PROVIDER,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = next((line.split()[1] for line in process.stdout if line.startswith("ready ")), None)
        assert port is not None, "the OpenID Connect provider stopped before it was ready"
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": "oidc",
                        "name": "Riverside Council",
                        "client_id": "coprod-test",
                        "secret": "test-secret",
                        "settings": {"server_url": f"http://127.0.0.1:{port}"},
                    }
                ],
            }
        }
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(f"http://127.0.0.1:{port}")
        settings.CONTENT_SECURITY_POLICY = policy
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def sign_in_at_the_provider(page, email):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with Riverside Council").click()
    page.wait_for_url(lambda url: url.startswith("http://127.0.0.1:"))
    # The provider's own sign-in page (oidc-provider's development page).
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("anything")
    page.locator("button[type=submit]").click()


def test_sign_in_through_the_councils_provider(page, axe, oidc):
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    factories.organisation("Riverside adult care", lead=lead)
    page.goto("/accounts/login/")
    axe(page, "login-with-single-sign-on")
    sign_in_at_the_provider(page, "rita@riverside.example")
    page.locator(".signed-in").wait_for()
    assert page.locator(".signed-in").inner_text() == "Signed in as rita@riverside.example"
    assert "Riverside adult care" in page.locator("main").inner_text()
    axe(page, "signed-in-by-single-sign-on")


def test_an_address_the_provider_has_not_verified_signs_nobody_in(page, axe, oidc, live_server):
    factories.user("unverified-rita@riverside.example")
    sign_in_at_the_provider(page, "unverified-rita@riverside.example")
    page.wait_for_url(f"{live_server.url}/**")
    page.locator("h1").wait_for()
    assert "Signed in as" not in page.locator("header").inner_text()
    axe(page, "single-sign-on-refused")
