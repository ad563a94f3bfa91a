"""One URL namespace, ``assessments``, made of each domain's patterns."""

from assessments.web.accounts.urls import urlpatterns as accounts
from assessments.web.cohorts.urls import urlpatterns as cohorts
from assessments.web.jobs.urls import urlpatterns as jobs
from assessments.web.library.urls import urlpatterns as library
from assessments.web.rounds.urls import urlpatterns as rounds
from assessments.web.workshops.urls import urlpatterns as workshops

app_name = "assessments"

urlpatterns = accounts + rounds + cohorts + workshops + jobs + library
