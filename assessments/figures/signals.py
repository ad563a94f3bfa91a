"""What the published figures tell the layers above them (the cohorts), sent inside the
transaction of the change (docs/ARCHITECTURE.md, "Layers")."""

from django.dispatch import Signal

# What a round shows may have changed: a publication was made, or the round closed with
# none. ``round``.
figures_changed = Signal()
