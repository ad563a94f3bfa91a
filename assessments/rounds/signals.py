"""What a round tells the layers above it. Rounds sit below the published figures, the
workshops and the cohorts, so they never call them: they send one of these, inside the
transaction of the change, and those layers' ``receivers`` modules act on it
(docs/ARCHITECTURE.md, "Layers").
"""

from django.dispatch import Signal

# A round was made, edited, opened, reopened or closed: ``round`` (the Round, as saved),
# ``change`` (one of the names below).
round_changed = Signal()
CREATED, EDITED, OPENED, REOPENED, CLOSED = "created", "edited", "opened", "reopened", "closed"

# A respondent said they had finished: ``respondent``.
respondent_finished = Signal()

# Someone answering in a workshop saved answers: ``respondent``, ``workshop_id``,
# ``new_statements`` (the statements they had not answered before this save) and
# ``principle_of`` (each saved statement's principle).
workshop_answers_saved = Signal()
