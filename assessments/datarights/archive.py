"""Everything an organisation holds, as one zip for its leads: the organisation's right to
its own data, and what to keep before deleting it.

``organisation.json`` holds the organisation, its people and roles, its rounds with their
record (opened, closed, reopened), answer links (without their secret tokens), agreed
positions with their evidence (its documents in ``evidence/``), actions and the activity
log. Each round with enough answers also has the same two CSV files its results page
offers: anonymised answers and scores. Answers are never tied to a person or a link, and
groups of fewer than three are folded into "others", as everywhere else.
"""

import io
import json
import logging
import shutil
import zipfile

from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify

from assessments.accounts.models import (
    ROUND_HISTORY,
    AuditEvent,
    ColleagueInvite,
    Membership,
    Organisation,
)
from assessments.cohorts.models import CohortMember
from assessments.documents.exports import answers_csv, notes_csv, scores_csv
from assessments.figures.models import Publication
from assessments.library.models import OwnFramework
from assessments.rounds import selectors, steps
from assessments.rounds.models import AgreedPosition, Evidence, Invite, Round
from assessments.workshops.models import Workshop
from principles.content_files import framework_file
from principles.models import Framework
from principles.selectors import framework_with_content

logger = logging.getLogger(__name__)

README = """What is in this file
====================

organisation.json
    {name}: its people and their roles, pending invitations, every round with its
    record (opened, closed, reopened and why), how many people answered (in steps of
    three: "fewer than 3", "3 or more", "6 or more") and how many its published figures
    cover, its answer links (label, perspective, when made, e-mailed or revoked; never
    the link itself, nor whether anyone answered through it), agreed positions with
    their evidence, workshops (when, the cap and how many joined), actions, the
    organisation's activity log, and the cohorts it belongs to. Dates and times are ISO
    8601, in UTC. Once a round's answers are deleted at the end of the keeping period,
    its links and who joined its workshops are gone too; "answers_deleted_at" says when.

rounds/<number>-<title>/answers.csv
    One row per answer: perspective, principle, statement, level. No names, no
    links; groups of fewer than three people are combined as "others".

rounds/<number>-<title>/notes.csv
    The notes people wrote, one row each, under their statement, tied to no group.
    Once a round's answers are deleted at the end of the organisation's keeping period
    ("answers_deleted_at" in organisation.json), its notes are gone too, and this file
    says so; its answers.csv and scores.csv are made from the published figures, which
    are kept.

rounds/<number>-<title>/scores.csv
    Scores per principle and statement for everyone and for each group, and why a
    figure is not shown where one is not.

evidence/round-<number>/<n>-<name>
    The documents kept as evidence behind agreed positions, as they were uploaded;
    organisation.json names each beside its position.

frameworks/<name>.toml
    The frameworks the organisation made on the site: each published version as its
    file, and the file as last written ("-as-last-written"), drafts included.

Rounds with no published figures (fewer than three people answering, or figures kept
until the round closes) have no CSV files, so that nobody's answers can be picked out.

Downloaded {when} by {who}.
"""


def _when(value):
    return value.isoformat() if value else None


def _email(user):
    return user.email if user else None


def organisation_data(organisation: Organisation) -> dict:
    rounds = list(
        Round.objects.filter(organisation=organisation)
        .select_related("framework")
        .order_by("created_at")
    )
    round_ids = [r.pk for r in rounds]
    events: dict[int | None, list] = {}
    history = AuditEvent.objects.filter(round_id__in=round_ids, kind__in=ROUND_HISTORY)
    for event in history.select_related("actor").order_by("at", "pk"):
        events.setdefault(event.round_id, []).append(
            {
                "what": event.history_label.lower(),
                "at": _when(event.at),
                "by": _email(event.actor),
                "reason": event.reason,
            }
        )
    links: dict[int, list] = {}
    # Never whether anyone answered through a link: that would say whose answers the
    # figures cover (see ``rounds.steps``).
    for invite in Invite.objects.filter(round_id__in=round_ids).order_by("pk"):
        links.setdefault(invite.round_id, []).append(
            {
                "label": invite.label,
                "perspective": invite.get_perspective_display(),
                "created_at": _when(invite.created_at),
                "sent_at": _when(invite.sent_at),
                "revoked_at": _when(invite.revoked_at),
            }
        )
    positions: dict[int, list] = {}
    for position in (
        AgreedPosition.objects.filter(round_id__in=round_ids)
        .select_related("statement__principle", "recorded_by")
        .prefetch_related("evidence")
    ):
        positions.setdefault(position.round_id, []).append(
            {
                "statement": position.statement.code,
                "level": position.level,
                "level_words": position.get_level_display(),
                "reason": position.reason,
                "recorded_by": _email(position.recorded_by),
                "updated_at": _when(position.updated_at),
                "evidence": [
                    {
                        "text": item.text,
                        "link": item.url or None,
                        "document": evidence_path(position.round_id, item),
                        "added_at": _when(item.added_at),
                    }
                    for item in position.evidence.all()
                ],
            }
        )
    workshops: dict[int, list] = {}
    gone = {r.pk for r in rounds if r.answers_deleted}  # their links went: none to count
    for workshop in (
        Workshop.objects.filter(round_id__in=round_ids)
        .annotate(joined=Count("invites"))
        .order_by("started_at", "pk")
    ):
        workshops.setdefault(workshop.round_id, []).append(
            {
                "started_at": _when(workshop.started_at),
                "ended_at": _when(workshop.ended_at),
                "capacity": workshop.capacity,
                "people_who_joined": None if workshop.round_id in gone else workshop.joined,
            }
        )
    respondents = selectors.respondent_counts_by_round(round_ids)
    published = dict(  # the people each round's latest publication covers
        Publication.objects.filter(round_id__in=round_ids)
        .order_by("round_id", "number")
        .values_list("round_id", "respondents")
    )
    data_rounds = []
    for round_ in rounds:
        data_rounds.append(
            {
                "number": round_.pk,
                "title": round_.title,
                "framework": {
                    "slug": round_.framework.slug,
                    "name": round_.framework.name,
                    "version": round_.framework.version,
                },
                "status": round_.status,
                "created_at": _when(round_.created_at),
                "opened_at": _when(round_.opened_at),
                "closed_at": _when(round_.closed_at),
                "closes_on": _when(round_.closes_on),
                "people_who_answered": steps.in_words(respondents.get(round_.pk, 0)),
                "people_in_published_figures": published.get(round_.pk),
                "answers_deleted_at": _when(round_.answers_deleted_at),
                "record": events.get(round_.pk, []),
                "answer_links": links.get(round_.pk, []),
                "agreed_positions": positions.get(round_.pk, []),
                "workshops": workshops.get(round_.pk, []),
                "actions": [
                    {
                        "principle": action.principle.name,
                        "statement": action.statement.code if action.statement else None,
                        "from": action.change_from,
                        "to": action.change_to,
                        "owner": action.owner,
                        "co_owner": action.co_owner,
                        "due_on": _when(action.due_on),
                        "step": action.get_step_display(),
                        "status": action.get_status_display(),
                    }
                    for action in selectors.round_actions(round_)
                ],
            }
        )
    return {
        "organisation": {
            "name": organisation.name,
            "slug": organisation.slug,
            "created_at": _when(organisation.created_at),
            "months_answers_are_kept_after_a_round_closes": organisation.keep_answers_months,
        },
        "people": [
            {
                "email": m.user.email,
                "name": m.user.full_name,
                "role": m.get_role_display(),
                "joined_at": _when(m.joined_at),
            }
            for m in Membership.objects.filter(organisation=organisation).select_related("user")
        ],
        "pending_invitations": [
            {"email": i.email, "role": i.get_role_display(), "invited_at": _when(i.created_at)}
            for i in ColleagueInvite.objects.filter(
                organisation=organisation, accepted_at__isnull=True, cancelled_at__isnull=True
            )
        ],
        "rounds": data_rounds,
        "cohorts": [
            {
                "name": m.cohort.name,
                "framework": m.cohort.framework.name,
                "period": [_when(m.cohort.starts_on), _when(m.cohort.ends_on)],
                "joined_at": _when(m.joined_at),
                "name_shown_to_other_members": m.show_name,
            }
            for m in CohortMember.objects.filter(organisation=organisation).select_related(
                "cohort__framework"
            )
        ],
        "activity": [
            {
                "at": _when(e.at),
                "what": e.get_kind_display(),
                "by": _email(e.actor),
                "summary": e.text,
            }
            for e in AuditEvent.objects.filter(organisation=organisation).select_related("actor")
        ],
    }


def evidence_path(round_id: int, item: Evidence) -> str | None:
    """Where a piece of evidence's document is in the zip (None when it has none)."""
    if not item.document:
        return None
    return f"evidence/round-{round_id}/{item.pk}-{item.filename or 'document'}"


def _evidence_files(archive: zipfile.ZipFile, round_ids: list[int]) -> None:
    """Each document kept as evidence, as it was uploaded (one at a time, from storage)."""
    kept = Evidence.objects.filter(position__round_id__in=round_ids).exclude(document="")
    for item in kept.select_related("position"):
        name = evidence_path(item.position.round_id, item)
        assert name is not None  # it has a document
        try:
            with item.document.open("rb") as source, archive.open(name, "w") as target:
                shutil.copyfileobj(source, target)
        except FileNotFoundError:
            logger.warning("evidence document missing", extra={"evidence_id": item.pk})


def _own_framework_files(archive: zipfile.ZipFile, organisation: Organisation) -> None:
    """The frameworks the organisation made on the site, as files to load elsewhere."""
    for own in OwnFramework.objects.filter(organisation=organisation).order_by("pk"):
        name = own.slug or f"draft-{own.pk}"
        if own.text:
            archive.writestr(f"frameworks/{name}-as-last-written.toml", own.text)
        if not own.slug:
            continue
        for pk, version in Framework.objects.filter(slug=own.slug).values_list("pk", "version"):
            archive.writestr(
                f"frameworks/{own.slug}-version-{version}.toml",
                framework_file(framework_with_content(pk)),
            )


def organisation_zip(organisation: Organisation, *, by) -> bytes:
    data = organisation_data(organisation)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(
                name=organisation.name,
                when=timezone.localtime().strftime("%-d %B %Y %H:%M"),
                who=by.email,
            ),
        )
        archive.writestr("organisation.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        _evidence_files(archive, [r["number"] for r in data["rounds"]])
        _own_framework_files(archive, organisation)
        answered = [r["number"] for r in data["rounds"] if r["people_in_published_figures"]]
        for round_ in Round.objects.filter(pk__in=answered).select_related("organisation"):
            folder = f"rounds/{round_.pk}-{slugify(round_.title)[:60] or 'round'}"
            archive.writestr(f"{folder}/answers.csv", answers_csv(round_))
            archive.writestr(f"{folder}/notes.csv", notes_csv(round_))
            archive.writestr(f"{folder}/scores.csv", scores_csv(round_))
    return buffer.getvalue()


def filename(organisation: Organisation) -> str:
    return f"{organisation.slug}-everything-{timezone.localdate():%Y-%m-%d}.zip"
