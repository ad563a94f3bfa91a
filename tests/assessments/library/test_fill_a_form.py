"""A framework written by filling forms, one table of the file at a time: the forms write
the draft file, and the same check reads it."""

import tomllib

import pytest
from django.urls import reverse

from assessments.library.models import OwnFramework
from tests.framework_texts import PLAIN
from tests.support import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(client, world):
    sign_in(client, world.lead)
    client.post(
        reverse("assessments:own-framework-add-org", args=[world.org.slug]), {"text": PLAIN}
    )
    return OwnFramework.objects.get()


def fill_url(own, principle):
    return reverse("assessments:own-framework-fill", args=[own.pk]) + f"?principle={principle}"


def statements(rows, total=None):
    data = {
        "statements-TOTAL_FORMS": str(total or len(rows)),
        "statements-INITIAL_FORMS": str(len([r for r in rows if r.get("initial")])),
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            if key != "initial":
                data[f"statements-{n}-{key}"] = value
    return data


def test_the_details_form_writes_the_file(client, own):
    page = client.get(fill_url(own, "details"))
    assert page.status_code == 200
    assert 'value="Our co-production charter"' in page.content.decode()

    response = client.post(
        fill_url(own, "details"),
        {
            "slug": "our-charter",
            "name": "Our promises",
            "source": "Riverside adult care, Our promises (2026)",
            "summary": "What we promised.",
        },
    )

    assert response.status_code == 302
    own.refresh_from_db()
    data = tomllib.loads(own.text)
    assert (data["name"], len(data["principles"])) == ("Our promises", 2)
    detail = client.get(reverse("assessments:own-framework", args=[own.pk])).content.decode()
    assert "The file passes the check. Principles: 2. Statements: 3." in detail


def test_a_principle_and_its_statements_in_one_form(client, own):
    page = client.get(fill_url(own, 1)).content.decode()
    assert "We decide, then ask people what they think." in page

    rows = [
        {
            "initial": True,
            "from_text": "We decide, then ask.",
            "to_text": "We ask first.",
            "source_note": "Promise 1.",
        },
        {"initial": True, "from_text": "x", "to_text": "y", "source_note": "z", "DELETE": "on"},
        {
            "from_text": "Meetings suit staff.",
            "to_text": "Meetings suit everyone.",
            "source_note": "Promise 4.",
        },
    ]
    response = client.post(
        fill_url(own, 1),
        {"slug": "listening", "name": "We listen", "summary": "We listen.", **statements(rows)},
    )

    assert response.status_code == 302
    own.refresh_from_db()
    first = tomllib.loads(own.text)["principles"][0]
    assert first["name"] == "We listen"
    assert [s["to_text"] for s in first["statements"]] == [
        "We ask first.",
        "Meetings suit everyone.",
    ]
    assert "easy_read_name" not in first  # blank easy read is left out of the file


def test_a_new_principle_with_a_gap_is_named_by_the_check(client, own):
    rows = [{"from_text": "Staff alone decide.", "to_text": "", "source_note": "Promise 5."}]
    client.post(
        fill_url(own, "new"),
        {"slug": "money", "name": "Money", "summary": "Who spends.", **statements(rows)},
    )

    own.refresh_from_db()
    assert [p["slug"] for p in tomllib.loads(own.text)["principles"]] == [
        "listening",
        "sharing-power",
        "money",
    ]
    detail = client.get(reverse("assessments:own-framework", args=[own.pk])).content.decode()
    assert "principle 3 (money), statement 1: &#x27;to_text&#x27; is empty." in detail


def test_easy_read_in_one_principle_only_is_named_by_the_check(client, own):
    client.post(
        fill_url(own, 2),
        {
            "slug": "sharing-power",
            "name": "We share power",
            "summary": "A real say.",
            "easy_read_name": "We decide together",
            "easy_read_summary": "You have a say.",
            "picture": "equal",
            "picture_alt": "Two people side by side",
            **statements(
                [
                    {
                        "initial": True,
                        "from_text": "Staff decide.",
                        "to_text": "We decide together.",
                        "from_easy": "Staff decide.",
                        "to_easy": "We decide together.",
                        "source_note": "Promise 3.",
                    }
                ]
            ),
        },
    )

    detail = client.get(reverse("assessments:own-framework", args=[own.pk])).content.decode()
    assert "principle 1: no easy read here, though the file gives it in principle 2." in detail


def test_a_principle_is_taken_out(client, own):
    client.post(
        fill_url(own, 2),
        {"slug": "sharing-power", "name": "x", "summary": "x", "remove": "on", **statements([])},
    )
    own.refresh_from_db()
    assert len(tomllib.loads(own.text)["principles"]) == 1


def test_a_file_the_form_cannot_read_sends_back_to_the_box(client, own):
    own.text = 'slug = "unterminated'
    own.save()
    response = client.get(fill_url(own, "details"), follow=True)
    assert "The form cannot read the file as it is" in response.content.decode()


def test_only_those_who_may_change_it_fill_the_form(client, world, own):
    sign_in(client, world.member)
    assert client.get(fill_url(own, "details")).status_code == 403
    sign_in(client, world.outside_lead)
    assert client.get(fill_url(own, "details")).status_code == 404
