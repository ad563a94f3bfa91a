"""A person in the room who joins twice more, from other browsers, to read someone's answers
off the screen: the attack over HTTP, as they would play it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.web.access import invite_for_token
from assessments.workshops import services
from tests.support import statements_of

pytestmark = pytest.mark.django_db

JOIN = reverse("assessments:workshop-join")
ROW = re.compile(r'<tr><th scope="row">Everyone</th>((?:<td>\d+</td>){5})</tr>')


def join_and_answer(code: str, level) -> None:
    """A phone of its own: type the code, choose a group, answer every page and finish."""
    phone = Client()
    phone.post(JOIN, {"code": code})
    joined = phone.post(JOIN, {"code": code, "perspective": "staff"})
    token = joined["Location"].split("/")[2]
    round_ = invite_for_token(token).round
    for page in range(1, round_.framework.principles.count() + 1):
        data = {f"level-{s.pk}": str(level(s)) for s in statements_of(round_, page)}
        url = reverse("assessments:invite-page", kwargs={"token": token, "page": page})
        assert phone.post(url, {**data, "go": "next"}).status_code == 302
    phone.post(reverse("assessments:invite-done", kwargs={"token": token}))


def screen(workshop, principle) -> dict[str, list[int]]:
    """What the projector shows of a principle, one statement at a time as the lead steps
    through them: everyone's counts per statement (the four steps, then "not sure")."""
    workshop = services.workshop_show(
        workshop=workshop, by=workshop.started_by, principle=principle
    )
    url = reverse(
        "assessments:workshop-projector",
        kwargs={"workshop": workshop.pk, "key": workshop.projector_key},
    )
    shown = {}
    for statement in principle.statements.all():
        workshop = services.workshop_show_statement(
            workshop=workshop, by=workshop.started_by, statement=statement
        )
        page = Client().get(url).content.decode()
        for block in page.split('<li class="statement-figure">')[1:]:
            code = re.findall(r'<span class="statement-code">([^<]+)</span>', block)[0]
            row = ROW.search(block)
            if row:
                shown[code] = [int(n) for n in re.findall(r"\d+", row[1])]
    return shown


def test_two_extra_joins_do_not_read_the_fourth_persons_answers_off_the_screen(world):
    """Three people finish and the screen shows each principle. A fourth finishes; the
    attacker joins twice more from other browsers, answers "still the from" everywhere, and
    the screen shows each principle again, now for six. Without noise, the second screen
    less the first less their own two answers was the fourth person's answer on every
    statement. With it, the attacker's best reading is wrong on some."""
    workshop = services.workshop_start(round=world.round, by=world.lead, capacity=40)
    principles = list(world.round.framework.principles.order_by("order"))
    for n in range(3):
        join_and_answer(workshop.code, lambda s, n=n: 1 + (s.pk + n) % 4)
    before = {}
    for principle in principles:
        before.update(screen(workshop, principle))
    truth = {}

    def fourth(statement):
        truth[statement.code] = 1 + (statement.pk * 7) % 4
        return truth[statement.code]

    join_and_answer(workshop.code, fourth)
    for _ in range(2):  # the attacker's own two phones
        join_and_answer(workshop.code, lambda s: 1)
    after = {}
    for principle in principles:
        after.update(screen(workshop, principle))

    assert set(after) == set(truth) and set(before) == set(truth)  # every statement shown
    right = 0
    for code, level in truth.items():
        left = [a - b for a, b in zip(after[code], before[code], strict=True)]
        left[0] -= 2  # the attacker's two answers of "still the from"
        guess = 1 + max(range(4), key=lambda i: left[i])
        right += guess == level
    assert right < len(truth)
