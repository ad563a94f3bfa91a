"""The activity log in the reader's language: a line keeps what happened, and is written out
in the language of whoever reads it, whatever the language of whoever did it; lines kept
before then read as they were written."""

import re
from datetime import date, datetime

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from assessments.accounts import activity, services
from assessments.accounts.models import AuditEvent, AuditKind, Membership
from assessments.datarights import archive
from assessments.rounds import services as rounds
from assessments.rounds.models import Action
from tests.support import new_log, sign_in, write_catalogue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("log_baseline")]

ENGLISH = settings.LANGUAGE_CODE

# A few of the log's sentences in Welsh, as the catalogue has them: enough to see a line
# written out in Welsh whatever the project's own catalogue holds at the time.
WELSH: dict[str | tuple[str, str], str | tuple[str, ...]] = {
    "%(email)s is now a lead.": "Mae %(email)s bellach yn arweinydd.",
    "Answer link “%(label)s” (%(perspective)s) revoked in round “%(round)s”.": (
        "Dolen ateb “%(label)s” (%(perspective)s) wedi’i thynnu’n ôl yng nghylch “%(round)s”."
    ),
    "Person with lived experience": "Person â phrofiad bywyd",
    "Reminder for %(when)s at %(when_time)s cancelled.": (
        "Nodyn atgoffa ar gyfer %(when)s am %(when_time)s wedi’i ganslo."
    ),
    (
        "Reminder e-mailed to %(count)s person e-mailed a link.",
        "Reminder e-mailed to %(count)s people e-mailed a link.",
    ): tuple(
        f"Nodyn atgoffa wedi’i e-bostio at %(count)s {form} a gafodd ddolen drwy e-bost."
        for form in ("o bobl", "person", "berson", "pherson", "pherson", "o bobl")
    ),
    "Action “%(action)s” (%(principle)s) deleted from the plan of round “%(round)s”.": (
        "Cam gweithredu “%(action)s” (%(principle)s) wedi’i ddileu o gynllun cylch “%(round)s”."
    ),
}


@pytest.fixture(autouse=True)
def welsh(tmp_path):
    write_catalogue(tmp_path / "locale", "cy", WELSH)
    with override_settings(
        LANGUAGES=[(ENGLISH, "English"), ("cy", "Cymraeg")],
        LOCALE_PATHS=[tmp_path / "locale", *settings.LOCALE_PATHS],
    ):
        yield


def in_welsh(event: AuditEvent) -> str:
    with translation.override("cy"):
        return AuditEvent.objects.get(pk=event.pk).text


def test_a_line_written_in_english_reads_in_welsh(world):
    member = Membership.objects.get(user=world.member, organisation=world.org)
    with translation.override(ENGLISH):
        services.membership_change_role(membership=member, role="lead", by=world.lead)
    event = new_log().get(kind=AuditKind.ROLE_CHANGED)
    assert event.details == {"what": "role_lead", "email": "member@riverside.example"}
    assert event.text == event.summary == "member@riverside.example is now a lead."
    assert in_welsh(event) == "Mae member@riverside.example bellach yn arweinydd."


def test_a_line_written_in_welsh_reads_in_english(world):
    member = Membership.objects.get(user=world.member, organisation=world.org)
    with translation.override("cy"):
        services.membership_change_role(membership=member, role="lead", by=world.lead)
    event = new_log().get(kind=AuditKind.ROLE_CHANGED)
    with translation.override(ENGLISH):
        assert event.text == "member@riverside.example is now a lead."
    assert event.summary == "member@riverside.example is now a lead."  # kept in English


def test_the_group_of_a_revoked_link_reads_in_the_readers_language(world):
    rounds.invite_revoke(invite=world.invite, by=world.lead)
    event = new_log().get(kind=AuditKind.LINK_REVOKED)
    assert in_welsh(event) == (
        "Dolen ateb “Workshop table” (person â phrofiad bywyd) wedi’i thynnu’n ôl yng "
        "nghylch “Spring reflection”."
    )
    # The label a lead typed is theirs, in any language; nothing about who answered.
    assert set(event.details) == {"what", "label", "number", "perspective", "round"}


@pytest.mark.parametrize(
    ("count", "words"), [(1, "person"), (2, "berson"), (3, "pherson"), (4, "o bobl")]
)
def test_a_count_takes_each_of_welshs_plural_forms(world, count, words):
    event = services.audit_record(
        organisation=world.org,
        kind=AuditKind.REMINDER_SENT,
        what="reminder_sent",
        details={"count": count},
    )
    english = "person" if count == 1 else "people"
    assert event.text == f"Reminder e-mailed to {count} {english} e-mailed a link."
    assert in_welsh(event) == (
        f"Nodyn atgoffa wedi’i e-bostio at {count} {words} a gafodd ddolen drwy e-bost."
    )


def test_dates_are_written_out_in_the_readers_language(world):
    when = timezone.make_aware(datetime(2026, 12, 8, 9, 30))
    event = services.audit_record(
        organisation=world.org,
        kind=AuditKind.REMINDER_SCHEDULED,
        what="reminder_cancelled",
        details={"when": when},
    )
    assert event.details["when"] == when.isoformat()
    assert event.text == "Reminder for 8 December 2026 at 09:30 cancelled."
    assert in_welsh(event) == "Nodyn atgoffa ar gyfer 8 Rhagfyr 2026 am 09:30 wedi’i ganslo."


def test_a_principles_name_is_kept_in_each_of_its_languages(world):
    principle = world.round.framework.principles.first()
    principle.translations = {"cy": {"name": "Enw’r egwyddor"}}
    principle.save(update_fields=["translations"])
    action = Action.objects.create(
        round=world.round, principle=principle, change_from="Now", change_to="Meet monthly"
    )
    rounds.action_delete(action=action, by=world.lead)
    event = new_log().get(kind=AuditKind.ACTION_DELETED)
    assert event.text == (
        f"Action “Meet monthly” ({principle.name}) deleted from the plan of round "
        "“Spring reflection”."
    )
    assert in_welsh(event) == (
        "Cam gweithredu “Meet monthly” (Enw’r egwyddor) wedi’i ddileu o gynllun cylch "
        "“Spring reflection”."
    )


def test_a_line_kept_before_reads_as_it_was_written(world):
    old = AuditEvent.objects.create(
        organisation=world.org, kind=AuditKind.EXPORTED, summary="Downloaded the notes CSV."
    )
    assert old.details == {}
    assert old.text == in_welsh(old) == "Downloaded the notes CSV."


def test_the_activity_page_shows_each_line_in_the_readers_language(client, world):
    member = Membership.objects.get(user=world.member, organisation=world.org)
    services.membership_change_role(membership=member, role="lead", by=world.lead)
    AuditEvent.objects.create(
        organisation=world.org, kind=AuditKind.EXPORTED, summary="Downloaded the notes CSV."
    )
    sign_in(client, world.lead)
    url = reverse("assessments:organisation-activity", kwargs={"org": world.org.slug})
    page = client.get(url).content.decode()
    assert "member@riverside.example is now a lead." in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(url).content.decode()
    assert "Mae member@riverside.example bellach yn arweinydd." in page
    assert "is now a lead" not in page
    assert "Downloaded the notes CSV." in page  # an old line, as it was written


def test_an_unknown_sentence_is_refused(world):
    with pytest.raises(ValueError, match="No sentence"):
        services.audit_record(organisation=world.org, kind=AuditKind.EXPORTED, what="nope")


VALUES = {
    "round": "Spring reflection",
    "reason": "A reason",
    "email": "sam@example.org",
    "label": "Table 1",
    "number": 7,
    "perspective": "staff",
    "count": 2,
    "months": 12,
    "name": "North Vale network",
    "cohort": "North Vale network",
    "starts": date(2026, 1, 1),
    "ends": date(2026, 12, 31),
    "was_starts": date(2025, 1, 1),
    "was_ends": date(2025, 12, 31),
    "capacity": 30,
    "joined": 3,
    "finished": 2,
    "removed": 1,
    "when": timezone.make_aware(datetime(2026, 12, 8, 9, 30)),
    "action": "Meet monthly",
    "principle": {"en": "Shared power"},
    "evidence": "Board minutes",
    "statement": "1.2",
    "version": 2,
}


@pytest.mark.parametrize("what", sorted(activity.SENTENCES))
@pytest.mark.parametrize("language", [ENGLISH, "cy"])
def test_every_sentence_is_written_out_whole(what, language):
    details = {"what": what, **activity.stored(VALUES)}
    with translation.override(language):
        text = activity.words(details)
    assert text and not re.search(r"%\(|\{|\}", text)


def test_the_archive_writes_the_log_in_the_askers_language(world):
    member = Membership.objects.get(user=world.member, organisation=world.org)
    services.membership_change_role(membership=member, role="lead", by=world.lead)
    with translation.override("cy"):
        data = archive.organisation_data(world.org)
    assert "Mae member@riverside.example bellach yn arweinydd." in {
        e["summary"] for e in data["activity"]
    }
