"""Django loads an app's models from ``<app>.models``. Ours live in their domain packages;
importing them here registers them under the one app label, ``assessments``."""

from assessments.accounts import models as accounts  # noqa: F401
from assessments.cohorts import models as cohorts  # noqa: F401
from assessments.figures import models as figures  # noqa: F401
from assessments.jobs import models as jobs  # noqa: F401
from assessments.library import models as library  # noqa: F401
from assessments.mail import models as mail  # noqa: F401
from assessments.rounds import models as rounds  # noqa: F401
from assessments.workshops import models as workshops  # noqa: F401
