"""The published figures act on what rounds tell them (``rounds.signals``): figures may be
due when a round closes, when its settings change and when someone finishes."""

from django.dispatch import receiver

from assessments.figures.publishing import publication_update
from assessments.figures.signals import figures_changed
from assessments.rounds import signals
from assessments.rounds.models import Respondent, Round


@receiver(signals.round_changed, sender=Round, dispatch_uid="figures-round-changed")
def _round_changed(*, round: Round, change: str, **kwargs: object) -> None:
    if change == signals.CLOSED:
        if publication_update(round=round, closing=True) is None:
            figures_changed.send(Round, round=round)  # closed with no figures
    elif change == signals.EDITED and round.figures_while_open and round.is_open:
        publication_update(round=round)  # figures may be due already


@receiver(signals.respondent_finished, sender=Respondent, dispatch_uid="figures-finished")
def _respondent_finished(*, respondent: Respondent, **kwargs: object) -> None:
    if respondent.round.figures_while_open:
        # Figures of an open round move in steps of three more people who finished.
        publication_update(round=respondent.round)
