"""The workshops act on what rounds tell them (``rounds.signals``): what the room sees moves
when someone in it answers the last statement of a principle."""

from django.dispatch import receiver

from assessments.rounds.models import Respondent
from assessments.rounds.signals import workshop_answers_saved
from assessments.workshops.room import room_answers_saved


@receiver(workshop_answers_saved, sender=Respondent, dispatch_uid="workshops-answers-saved")
def _answers_saved(*, respondent, workshop_id, new_statements, principle_of, **kwargs) -> None:
    room_answers_saved(
        respondent=respondent,
        workshop_id=workshop_id,
        new_statements=new_statements,
        principle_of=principle_of,
    )
