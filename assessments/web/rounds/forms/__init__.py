"""Forms of a round's life, a module per topic: the round itself (``rounds``), its answer
links (``links``), a person's group when answering (``answering``), agreed positions
(``positions``), the evidence behind them (``evidence``) and actions (``actions``).
Every form is importable from here too."""

from assessments.web.rounds.forms.actions import (
    ActionForm,
    ActionProgressForm,
    ActionReviewForm,
    PrincipleChoiceField,
    StatementChoiceField,
)
from assessments.web.rounds.forms.answering import PerspectiveForm
from assessments.web.rounds.forms.evidence import EvidenceForm
from assessments.web.rounds.forms.links import (
    LABEL_MAX,
    InviteCreateForm,
    InviteSendForm,
    ShortCodeForm,
)
from assessments.web.rounds.forms.positions import (
    AGREED_LEVELS,
    AgreedPositionForm,
    PrincipleAgreedPositionsForm,
)
from assessments.web.rounds.forms.rounds import (
    FrameworkChoiceField,
    ReminderScheduleForm,
    RoundCreateForm,
    RoundEditForm,
    RoundReopenForm,
)

__all__ = [
    "PerspectiveForm",
    "AGREED_LEVELS",
    "LABEL_MAX",
    "ActionForm",
    "ActionProgressForm",
    "ActionReviewForm",
    "EvidenceForm",
    "AgreedPositionForm",
    "FrameworkChoiceField",
    "InviteCreateForm",
    "InviteSendForm",
    "PrincipleAgreedPositionsForm",
    "PrincipleChoiceField",
    "ReminderScheduleForm",
    "RoundCreateForm",
    "RoundEditForm",
    "RoundReopenForm",
    "ShortCodeForm",
    "StatementChoiceField",
]
