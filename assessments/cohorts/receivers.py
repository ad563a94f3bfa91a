"""The cohorts act on what rounds and the published figures tell them (``rounds.signals``,
``figures.signals``): whatever can change what a cohort shows refreshes its kept figures."""

from django.dispatch import receiver

from assessments.cohorts.services import cohort_figures_refresh, cohort_pages_touch
from assessments.figures.signals import figures_changed
from assessments.rounds import signals
from assessments.rounds.models import Round


@receiver(signals.round_changed, sender=Round, dispatch_uid="cohorts-round-changed")
def _round_changed(*, round: Round, change: str, **kwargs) -> None:
    if change == signals.EDITED:
        cohort_pages_touch(organisation_id=round.organisation_id)  # its title, perhaps
    elif change != signals.CLOSED:  # a draft counts for a cohort; closing: figures_changed
        cohort_figures_refresh(organisation_id=round.organisation_id)


@receiver(figures_changed, sender=Round, dispatch_uid="cohorts-figures-changed")
def _figures_changed(*, round: Round, **kwargs) -> None:
    cohort_figures_refresh(organisation_id=round.organisation_id)
