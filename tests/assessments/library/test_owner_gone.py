"""What becomes of a framework made on the site when its organisation takes its data away
or is deleted, or its facilitator's account goes."""

import io
import tomllib
import zipfile

import pytest

from assessments.datarights import archive
from assessments.datarights import services as datarights
from assessments.library.models import OwnFramework
from assessments.library.services import own_framework_start, own_framework_write
from principles.models import Framework
from tests import factories
from tests.assessments.library.test_access import own_framework
from tests.framework_texts import PLAIN

pytestmark = pytest.mark.django_db


def test_the_zip_of_everything_holds_the_organisations_frameworks(world):
    own_framework(world.lead, organisation=world.org)
    draft = own_framework_start(by=world.lead, organisation=world.org)
    own_framework_write(own=draft, by=world.lead, text="slug = 'half-written'\n")
    own_framework(world.facilitator, cohort=world.cohort, text=PLAIN.replace("our-", "net-"))

    with zipfile.ZipFile(io.BytesIO(archive.organisation_zip(world.org, by=world.lead))) as z:
        names = [n for n in z.namelist() if n.startswith("frameworks/")]
        version = tomllib.loads(z.read("frameworks/our-charter-version-1.toml").decode())
        written = z.read(f"frameworks/draft-{draft.pk}-as-last-written.toml").decode()
        readme = z.read("README.txt").decode()
    assert sorted(names) == sorted(
        [
            "frameworks/our-charter-as-last-written.toml",
            "frameworks/our-charter-version-1.toml",
            f"frameworks/draft-{draft.pk}-as-last-written.toml",
        ]
    )  # the cohort's framework is the facilitator's, not the organisation's
    assert version["slug"] == "our-charter" and version["principles"]
    assert written == "slug = 'half-written'\n"
    assert "frameworks/<name>.toml" in readme


def test_deleting_the_organisation_deletes_the_frameworks_nothing_else_uses(world):
    own_framework(world.lead, organisation=world.org)
    assert Framework.objects.filter(slug="our-charter").exists()
    datarights.organisation_delete(organisation=world.org, by=world.lead)
    assert not OwnFramework.objects.exists()
    assert not Framework.objects.filter(slug="our-charter").exists()


def test_a_cohorts_framework_another_organisations_round_uses_stays_for_that_round(world):
    own_framework(world.facilitator, cohort=world.cohort)
    used = factories.round(world.outside_org, slug="our-charter", title="Borrowed")
    datarights.account_delete(user=world.facilitator)
    assert not OwnFramework.objects.exists()
    used.refresh_from_db()
    assert used.framework.slug == "our-charter"  # kept, private, for the round on it
    assert not used.framework.shared
