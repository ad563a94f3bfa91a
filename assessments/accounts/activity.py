"""The activity log's words: one sentence for each thing that can happen, written once here.

A line of the log keeps what happened (``AuditEvent.details``: which sentence, and its
values — a round's title, a count, an address, a date) rather than finished text, so that
every reader sees it in their own language, whichever language the person who did it had.
``words(details)`` writes the line in the language active when it is read.

Values are kept as JSON: dates and moments as ISO text (named in the sentence's ``dates``
or ``moments``, and written out in the reader's language: a moment ``when`` gives its day as
``%(when)s`` and its time as ``%(when_time)s``), a group as its stored value
(``choices``), and a framework's wording that has translations as ``{language: text}``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, npgettext_lazy

from principles.translated import base_language, reading_language


@dataclass(frozen=True)
class Sentence:
    """One line of the log: a whole sentence with named placeholders (``ngettext_lazy``
    with the placeholder's name as its number where it counts something)."""

    text: Promise
    dates: tuple[str, ...] = ()
    moments: tuple[str, ...] = ()
    # A placeholder holding a model field's stored choice: (app label.model, field name).
    choices: Mapping[str, tuple[str, str]] = field(default_factory=dict)


_PERSPECTIVE = {"perspective": ("assessments.Invite", "perspective")}

SENTENCES: dict[str, Sentence] = {
    "round_opened": Sentence(_("Round “%(round)s” opened.")),
    "round_closed": Sentence(_("Round “%(round)s” closed.")),
    "round_reopened": Sentence(_("Round “%(round)s” reopened.")),
    "round_opened_reason": Sentence(_("Round “%(round)s” opened. Reason: %(reason)s")),
    "round_closed_reason": Sentence(_("Round “%(round)s” closed. Reason: %(reason)s")),
    "round_reopened_reason": Sentence(_("Round “%(round)s” reopened. Reason: %(reason)s")),
    "colleague_invited_lead": Sentence(_("Invited %(email)s as lead.")),
    "colleague_invited_member": Sentence(_("Invited %(email)s as member.")),
    "member_joined_lead": Sentence(_("%(email)s joined as lead.")),
    "member_joined_member": Sentence(_("%(email)s joined as member.")),
    "role_lead": Sentence(_("%(email)s is now a lead.")),
    "role_member": Sentence(_("%(email)s is now a member.")),
    "member_left": Sentence(_("%(email)s left the organisation.")),
    "member_removed": Sentence(_("%(email)s was removed from the organisation.")),
    "account_deleted": Sentence(
        _(
            "A person deleted their account and left the organisation; answers they gave "
            "signed in were deleted with it."
        )
    ),
    "two_step_on": Sentence(_("Two-step sign-in is now required of everyone.")),
    "two_step_off": Sentence(_("Two-step sign-in is no longer required.")),
    "emails_bilingual": Sentence(_("E-mails are now sent in Welsh and English, Welsh first.")),
    "emails_one_language": Sentence(_("E-mails are now sent in their reader's language only.")),
    "keeping_period": Sentence(
        ngettext_lazy(
            "Answers and notes are now kept for %(months)s month after a round closes.",
            "Answers and notes are now kept for %(months)s months after a round closes.",
            "months",
        )
    ),
    "answers_deleted": Sentence(
        ngettext_lazy(
            "The keeping period of round “%(round)s” ended: %(count)s row of answers, notes, "
            "links and progress was deleted; its published figures are kept.",
            "The keeping period of round “%(round)s” ended: %(count)s rows of answers, notes, "
            "links and progress were deleted; its published figures are kept.",
            "count",
        )
    ),
    "link_revoked_label": Sentence(
        _("Answer link “%(label)s” (%(perspective)s) revoked in round “%(round)s”."),
        choices=_PERSPECTIVE,
    ),
    "link_revoked_number": Sentence(
        _("Answer link number %(number)s (%(perspective)s) revoked in round “%(round)s”."),
        choices=_PERSPECTIVE,
    ),
    "link_replaced_label": Sentence(
        _(
            "Answer link “%(label)s” (%(perspective)s) revoked and replaced by a fresh link "
            "in round “%(round)s”."
        ),
        choices=_PERSPECTIVE,
    ),
    "link_replaced_number": Sentence(
        _(
            "Answer link number %(number)s (%(perspective)s) revoked and replaced by a fresh "
            "link in round “%(round)s”."
        ),
        choices=_PERSPECTIVE,
    ),
    "exported_zip": Sentence(_("Downloaded everything the organisation holds (zip).")),
    "exported_report": Sentence(_("Downloaded the PDF report of round “%(round)s”.")),
    "exported_plan": Sentence(_("Downloaded the action plan PDF of round “%(round)s”.")),
    "exported_answers": Sentence(_("Downloaded the answers CSV of round “%(round)s”.")),
    "exported_notes": Sentence(_("Downloaded the notes CSV of round “%(round)s”.")),
    "exported_grid": Sentence(_("Downloaded the grid CSV of round “%(round)s”.")),
    "exported_scores": Sentence(_("Downloaded the scores CSV of round “%(round)s”.")),
    "exported_links": Sentence(
        ngettext_lazy(
            "Downloaded %(count)s new answer link as CSV in round “%(round)s”.",
            "Downloaded %(count)s new answer links as CSV in round “%(round)s”.",
            "count",
        )
    ),
    "framework_published": Sentence(_("Framework “%(name)s” published (version %(version)s).")),
    "framework_published_cohort": Sentence(
        _("The cohort “%(cohort)s” published the framework “%(name)s” (version %(version)s).")
    ),
    "framework_shared": Sentence(
        _("Framework “%(name)s” added to the shared library by a site administrator.")
    ),
    "cohort_joined": Sentence(_("Joined the cohort “%(name)s”.")),
    "cohort_left": Sentence(_("Left the cohort “%(name)s”.")),
    "cohort_name_shown": Sentence(
        _("The organisation’s name is now shown to others in “%(name)s”.")
    ),
    "cohort_name_hidden": Sentence(
        _("The organisation’s name is now hidden from others in “%(name)s”.")
    ),
    "cohort_period": Sentence(
        _(
            "The cohort “%(name)s” now counts rounds from %(starts)s to %(ends)s (it was "
            "%(was_starts)s to %(was_ends)s)."
        ),
        dates=("starts", "ends", "was_starts", "was_ends"),
    ),
    "cohort_reminded": Sentence(
        _("%(name)s, facilitator of the cohort “%(cohort)s”, reminded the leads to start a round.")
    ),
    # A workshop's lines keep the wording they had before the log kept its values (no full
    # stop); "joined" and "finished" do not change with the count in English, but may in
    # other languages. The context keeps them apart from the same English counted once.
    "workshop_started": Sentence(
        ngettext_lazy(
            "Workshop started on “%(round)s” (up to %(capacity)s person)",
            "Workshop started on “%(round)s” (up to %(capacity)s people)",
            "capacity",
        )
    ),
    "workshop_locked": Sentence(
        npgettext_lazy(
            "activity log",
            "Workshop on “%(round)s” locked with %(joined)s joined",
            "Workshop on “%(round)s” locked with %(joined)s joined",
            "joined",
        )
    ),
    "workshop_unlocked": Sentence(_("Workshop on “%(round)s” opened to new people again")),
    "workshop_ended": Sentence(
        npgettext_lazy(
            "activity log",
            "Workshop on “%(round)s” ended: %(joined)s joined, %(finished)s finished",
            "Workshop on “%(round)s” ended: %(joined)s joined, %(finished)s finished",
            "joined",
        )
    ),
    "workshop_ended_removed": Sentence(
        npgettext_lazy(
            "activity log",
            "Workshop on “%(round)s” ended: %(joined)s joined, %(finished)s finished "
            "(%(removed)s removed by a lead, with their answers)",
            "Workshop on “%(round)s” ended: %(joined)s joined, %(finished)s finished "
            "(%(removed)s removed by a lead, with their answers)",
            "joined",
        )
    ),
    "reminder_scheduled": Sentence(
        _("Reminder scheduled for %(when)s at %(when_time)s, to everyone e-mailed a link."),
        moments=("when",),
    ),
    "reminder_cancelled": Sentence(
        _("Reminder for %(when)s at %(when_time)s cancelled."), moments=("when",)
    ),
    "reminder_sent": Sentence(
        ngettext_lazy(
            "Reminder e-mailed to %(count)s person e-mailed a link.",
            "Reminder e-mailed to %(count)s people e-mailed a link.",
            "count",
        )
    ),
    "action_deleted": Sentence(
        _("Action “%(action)s” (%(principle)s) deleted from the plan of round “%(round)s”.")
    ),
    "evidence_added": Sentence(
        _(
            "Evidence “%(evidence)s” added to the agreed position on statement %(statement)s "
            "in round “%(round)s”."
        )
    ),
    "evidence_removed": Sentence(
        _(
            "Evidence “%(evidence)s” removed from the agreed position on statement "
            "%(statement)s in round “%(round)s”."
        )
    ),
}


def stored(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` as the log keeps them: dates and moments as ISO text."""
    return {
        key: value.isoformat() if isinstance(value, date | datetime) else value
        for key, value in values.items()
    }


def _in_language(value: Mapping[str, str]) -> str:
    """A text kept in several languages (``{"en": …, "cy": …}``), in the reader's, else
    the English."""
    language = reading_language()
    english = value.get(base_language(settings.LANGUAGE_CODE), "")
    return (value.get(language) if language else None) or english


def translated(instance: Model, name: str) -> dict[str, str]:
    """A framework field's text in each language it has (``principles.translated``), to
    keep in the log as ``{language: text}``."""
    with translation.override(None):  # the field's own column: the English
        english = str(getattr(instance, name))
    texts = {base_language(settings.LANGUAGE_CODE): english}
    for language, fields in (getattr(instance, "translations", None) or {}).items():
        if fields.get(name):
            texts[language] = fields[name]
    return texts


def _shown(sentence: Sentence, key: str, value: Any) -> Any:
    if value is None:
        return ""
    if key in sentence.dates:
        return date_format(date.fromisoformat(value), "j F Y")
    if key in sentence.moments:
        return date_format(timezone.localtime(datetime.fromisoformat(value)), "j F Y")
    if key in sentence.choices:
        model, name = sentence.choices[key]
        labels = dict(apps.get_model(model)._meta.get_field(name).flatchoices)
        return str(labels.get(value, value)).lower()
    if isinstance(value, Mapping):
        return _in_language(value)
    return value


def words(details: Mapping[str, Any]) -> str:
    """The line ``details`` describes, in the active language. ``details["what"]`` names
    the sentence; an unknown one (a sentence since retired) gives ""."""
    sentence = SENTENCES.get(details.get("what", ""))
    if sentence is None:
        return ""
    values = {key: _shown(sentence, key, value) for key, value in details.items()}
    for key in sentence.moments:
        if details.get(key):
            moment = timezone.localtime(datetime.fromisoformat(details[key]))
            values[f"{key}_time"] = date_format(moment, "H:i")
    try:
        return str(sentence.text % values)
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        with translation.override(settings.LANGUAGE_CODE):
            return str(sentence.text % values)
