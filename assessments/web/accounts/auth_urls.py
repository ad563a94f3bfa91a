"""The site's own pages around django-allauth's: "confirm your e-mail address first" (with
a button to send the link again) and the facilitators' two-step sign-in prompt."""

from django.urls import path

from assessments.web.accounts.views import auth

urlpatterns = [
    path("verify-first/", auth.verify_email_first, name="verify-email-first"),
    path("two-step/not-now/", auth.two_step_not_now, name="two-step-not-now"),
]
