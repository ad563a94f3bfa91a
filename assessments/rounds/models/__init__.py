"""A round's life: the round itself, its answer links, who answered and what they said
(``rounds``), what the team agreed and what it will do (``plans``), and the evidence
behind what it agreed (``evidence``)."""

from assessments.accounts.models import token_hash
from assessments.rounds.models.evidence import Evidence, evidence_storage
from assessments.rounds.models.plans import (
    OPEN_ACTION_STATUSES,
    STEP_MEANINGS,
    Action,
    ActionStatus,
    ActionUpdate,
    AgreedPosition,
    Reminder,
    Step,
)
from assessments.rounds.models.rounds import (
    BINDING_ENDED,
    EASY_PERSPECTIVE_LABELS,
    LEVEL_HELP,
    PERSPECTIVE_LABELS,
    Answer,
    Invite,
    Level,
    Perspective,
    Respondent,
    Round,
    RoundStatus,
    invite_path,
)

__all__ = [
    "token_hash",
    "Action",
    "ActionStatus",
    "ActionUpdate",
    "AgreedPosition",
    "Evidence",
    "evidence_storage",
    "OPEN_ACTION_STATUSES",
    "Reminder",
    "STEP_MEANINGS",
    "Step",
    "Answer",
    "BINDING_ENDED",
    "EASY_PERSPECTIVE_LABELS",
    "Invite",
    "LEVEL_HELP",
    "Level",
    "PERSPECTIVE_LABELS",
    "Perspective",
    "Respondent",
    "Round",
    "RoundStatus",
    "invite_path",
]
