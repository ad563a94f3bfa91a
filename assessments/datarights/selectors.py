"""What an organisation or a person holds, to say what a deletion would remove."""

from assessments.accounts.models import Membership, Organisation, User
from assessments.rounds.models import Action, Answer, Invite, Respondent, Round


def organisation_holdings(organisation: Organisation) -> dict[str, int]:
    """Counts of what an organisation holds, to say what a deletion would remove."""
    rounds = Round.objects.filter(organisation=organisation)
    return {
        "people": Membership.objects.filter(organisation=organisation).count(),
        "rounds": rounds.count(),
        "answers": Answer.objects.filter(respondent__round__in=rounds).count(),
        "links": Invite.objects.filter(round__in=rounds).count(),
        "actions": Action.objects.filter(round__in=rounds).count(),
    }


def rounds_answered_by(user: User) -> int:
    """How many rounds this person answered signed in."""
    return Respondent.objects.filter(user=user).count()
