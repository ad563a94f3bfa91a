"""Migrations that change what is stored: data written before them still works after."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.accounts.models import new_token
from assessments.jobs.models import Export as ExportNow
from assessments.rounds.models import Invite, token_hash
from assessments.web.access import invite_for_token
from tests import factories
from tests.support import database_at, migrate_to_latest

# Each test migrates the whole schema backwards and forwards.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE_HASHING = ("assessments", "0009_invitation_sent_at")


@pytest.fixture
def before_hashing():
    """The database as it was with plain tokens; put back to the latest state afterwards."""
    framework = factories.framework("cahn")  # principles' tables are not part of this
    lead = factories.user("lead@riverside.example")
    with database_at(BEFORE_HASHING) as apps:
        yield apps, framework, lead


def test_a_plain_token_link_keeps_working_after_hashing(client, before_hashing):
    apps, framework, lead = before_hashing
    Organisation = apps.get_model("assessments", "Organisation")
    Round = apps.get_model("assessments", "Round")
    OldInvite = apps.get_model("assessments", "Invite")
    org = Organisation.objects.create(name="Riverside", slug="riverside")
    round_ = Round.objects.create(
        organisation=org, framework_id=framework.pk, title="Spring", status="open"
    )
    tokens = [new_token() for _ in range(3)]
    for n, token in enumerate(tokens, start=1):
        OldInvite.objects.create(round=round_, perspective="carer", token=token, label=f"Table {n}")
    # Someone had started answering through the second link.
    statement = framework.principles.order_by("order")[0].statements.order_by("order")[0]
    started = apps.get_model("assessments", "Respondent").objects.create(
        round=round_, perspective="carer", invite=OldInvite.objects.get(label="Table 2")
    )
    apps.get_model("assessments", "Answer").objects.create(
        respondent=started, statement_id=statement.pk, level=3, note="Said before the upgrade"
    )

    migrate_to_latest()

    for n, token in enumerate(tokens, start=1):
        invite = Invite.objects.get(label=f"Table {n}")
        assert invite.token_hash == token_hash(token)
        assert invite_for_token(token).pk == invite.pk
        assert token not in str(Invite.objects.filter(pk=invite.pk).values().get())
    columns = [
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), Invite._meta.db_table
        )
    ]
    assert "token" not in columns and "token_hash" in columns

    # Over HTTP: the old link opens its welcome page and answering starts.
    start = reverse("assessments:invite-start", kwargs={"token": tokens[0]})
    assert "Carer or family member" in client.get(start).content.decode()
    response = client.post(start)
    assert response.status_code == 302
    assert Invite.objects.get(label="Table 1").respondent is not None
    assert client.get("/r/" + "x" * 43 + "/").status_code == 404

    # The started link keeps its answers; the first browser to carry on is bound to them.
    carry_on = reverse("assessments:invite-start", kwargs={"token": tokens[1]})
    page = reverse("assessments:invite-page", kwargs={"token": tokens[1], "page": 1})
    person, someone_else = Client(), Client()
    # Its welcome page looks as an unused link's does (nothing tells a holder of the
    # link whether it was started); pressing Start binds this browser to the answers.
    assert "Said before the upgrade" not in person.get(carry_on).content.decode()
    assert person.post(carry_on).status_code == 302
    assert "Said before the upgrade" in person.get(page).content.decode()
    elsewhere = someone_else.get(page)
    assert elsewhere.status_code == 302 and elsewhere["Location"] == carry_on
    assert "Said before the upgrade" not in someone_else.get(carry_on).content.decode()


BEFORE_ALLAUTH = ("assessments", "0020_organisation_require_two_step")


def test_existing_accounts_and_colleague_invitations_keep_working_after_allauth(client):
    framework = factories.framework("cahn")  # noqa: F841 - principles' tables stay
    with database_at(BEFORE_ALLAUTH) as apps:
        User = apps.get_model("assessments", "User")
        Organisation = apps.get_model("assessments", "Organisation")
        OldColleagueInvite = apps.get_model("assessments", "ColleagueInvite")
        from django.contrib.auth.hashers import make_password

        User.objects.create(
            email="old@riverside.example", password=make_password(factories.PASSWORD)
        )
        org = Organisation.objects.create(name="Riverside", slug="riverside")
        token = new_token()
        OldColleagueInvite.objects.create(
            organisation=org, email="new@riverside.example", token=token
        )
        migrate_to_latest()
        from allauth.account.models import EmailAddress

        from assessments.accounts.models import ColleagueInvite
        from assessments.web.access import colleague_invite_for_token

        # The account made before verification existed signs in as before.
        assert EmailAddress.objects.get(email="old@riverside.example").verified
        response = client.post(
            reverse("account_login"),
            {"login": "old@riverside.example", "password": factories.PASSWORD},
        )
        assert response.status_code == 302 and "_auth_user_id" in client.session
        # The e-mailed join link still works, and only its hash is stored.
        assert colleague_invite_for_token(token).email == "new@riverside.example"
        assert ColleagueInvite.objects.get().token_hash == token_hash(token)


BEFORE_PROJECTOR = ("assessments", "0025_queue_outbox_exports_reminders")


@pytest.fixture
def before_projector():
    framework = factories.framework("cahn")
    lead = factories.user("lead@riverside.example")
    with database_at(BEFORE_PROJECTOR) as apps:
        yield apps, framework, lead


def test_workshops_going_on_at_the_upgrade_get_a_projector_view_each(before_projector):
    """Adding the projector key's random value gives every existing row the same one: the
    migration gives each live workshop its own, and an ended one none."""
    from django.utils import timezone

    from assessments.workshops.models import Workshop

    apps, framework, lead = before_projector
    Organisation = apps.get_model("assessments", "Organisation")
    Round = apps.get_model("assessments", "Round")
    OldWorkshop = apps.get_model("assessments", "Workshop")
    org = Organisation.objects.create(name="Riverside", slug="riverside")
    rounds = [
        Round.objects.create(organisation=org, framework_id=framework.pk, title=t, status="open")
        for t in ("Spring", "Summer", "Autumn")
    ]
    for n, round_ in enumerate(rounds):
        OldWorkshop.objects.create(
            round=round_, code=f"ACEF347{n}", ended_at=timezone.now() if n == 2 else None
        )
    migrate_to_latest()
    live = list(Workshop.objects.filter(ended_at__isnull=True).order_by("pk"))
    ended = Workshop.objects.get(ended_at__isnull=False)
    assert len(live) == 2 and all(w.projector_nonce for w in live)
    assert live[0].projector_nonce != live[1].projector_nonce
    assert live[0].projector_key != live[1].projector_key
    assert ended.projector_nonce == "" and ended.projector_key == ""
    assert Client().get(f"/projector/{live[0].pk}/{live[0].projector_key}/").status_code == 200
    assert Client().get(f"/projector/{live[0].pk}/{live[1].projector_key}/").status_code == 404


def test_exports_a_race_made_twice_keep_the_newest_being_made():
    """Before one export being made per person and settings was the database's rule, two
    quick clicks could queue two: the migration keeps the newest and shows the other as
    failed, so the rule can be set."""
    lead = factories.user("lead@riverside.example")
    with database_at(("assessments", "0026_workshop_projector_nonce")) as apps:
        Organisation = apps.get_model("assessments", "Organisation")
        Export = apps.get_model("assessments", "Export")
        org = Organisation.objects.create(name="Riverside", slug="riverside")
        later = timezone.now() + timedelta(hours=1)
        made = [
            Export.objects.create(
                kind="organisation_zip",
                requested_by_id=lead.pk,
                organisation=org,
                params={"a": 1, "b": 2} if n else {"b": 2, "a": 1},
                expires_at=later,
                created_at=timezone.now() + timedelta(seconds=n),
            ).pk
            for n in range(2)
        ]
        other = Export.objects.create(
            kind="organisation_zip", requested_by_id=lead.pk, organisation=org, expires_at=later
        ).pk

        migrate_to_latest()

    statuses = dict(ExportNow.objects.values_list("pk", "status"))
    assert statuses == {made[0]: "failed", made[1]: "queued", other: "queued"}
