"""One URL namespace, ``assessments``, made of each domain's patterns."""

from assessments.accounts.urls import urlpatterns as accounts
from assessments.cohorts.urls import urlpatterns as cohorts
from assessments.jobs.urls import urlpatterns as jobs
from assessments.rounds.urls import urlpatterns as rounds
from assessments.workshops.urls import urlpatterns as workshops

app_name = "assessments"

urlpatterns = accounts + rounds + cohorts + workshops + jobs
