"""Every write in a round's life, as ``<noun>_<verb>`` functions with keyword-only arguments,
one module per topic: ``lifecycle`` (making, changing, opening, closing and reopening a
round), ``links`` (answer links), ``answering`` (respondents, their answers and progress,
moving to another device), ``positions`` (agreed positions), ``evidence`` (what shows
each) and ``actions`` (the plan and its review). Callers use this package's names:
``services.round_close(...)``.

Views call these and never save models themselves, so the rules (who may do what, in
which state, with which record) live here and hold for every caller.
"""

from assessments.errors import ServiceError
from assessments.rounds.services.actions import (
    action_carry_forward,
    action_close_from_review,
    action_delete,
    action_progress_add,
    action_save,
)
from assessments.rounds.services.answering import (
    MOVE_CODE_LENGTH,
    MOVE_CODE_LIFETIME,
    MOVE_WRONG_CODES,
    NOTE_MAX,
    AnswerInput,
    MoveRefused,
    RoundNotAcceptingAnswers,
    answers_save,
    move_code_clean,
    move_code_for_unstarted_link,
    respondent_for_invite,
    respondent_for_member,
    respondent_move,
    respondent_move_code,
    respondent_perspective_change,
    respondent_progress,
)
from assessments.rounds.services.evidence import (
    TEXT_MAX,
    evidence_add,
    evidence_remove,
    evidence_update,
)
from assessments.rounds.services.lifecycle import (
    round_close,
    round_create,
    round_instrument_set,
    round_open,
    round_reopen,
    round_update,
)
from assessments.rounds.services.links import (
    MAX_BATCH,
    MIN_TOKEN_LENGTH,
    invite_replace,
    invite_revoke,
    invite_send,
    invites_create,
)
from assessments.rounds.services.positions import (
    REASON_MAX,
    PositionDecision,
    agreed_position_clear,
    agreed_position_record,
    agreed_positions_record,
)

__all__ = [
    "MAX_BATCH",
    "MIN_TOKEN_LENGTH",
    "MOVE_CODE_LENGTH",
    "MOVE_CODE_LIFETIME",
    "MOVE_WRONG_CODES",
    "NOTE_MAX",
    "REASON_MAX",
    "TEXT_MAX",
    "AnswerInput",
    "MoveRefused",
    "PositionDecision",
    "RoundNotAcceptingAnswers",
    "ServiceError",
    "action_carry_forward",
    "action_close_from_review",
    "action_delete",
    "action_progress_add",
    "action_save",
    "agreed_position_clear",
    "agreed_position_record",
    "agreed_positions_record",
    "answers_save",
    "evidence_add",
    "evidence_remove",
    "evidence_update",
    "invite_replace",
    "invite_revoke",
    "invite_send",
    "invites_create",
    "move_code_clean",
    "respondent_for_invite",
    "respondent_for_member",
    "move_code_for_unstarted_link",
    "respondent_move",
    "respondent_move_code",
    "respondent_perspective_change",
    "respondent_progress",
    "round_close",
    "round_create",
    "round_instrument_set",
    "round_open",
    "round_reopen",
    "round_update",
]
