"""Signing in and resetting a password, with brakes on guessing (see ..throttling)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils import timezone

from assessments import mail
from assessments.accounts.forms import PasswordResetForm
from assessments.accounts.throttling import password_reset_request
from coprod.network import client_ip


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows instead of signing in, once an address is locked out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "until": timezone.now() + settings.AXES_COOLOFF_TIME},
        status=429,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, refusing (with a page that says so) past a few an hour, and
    saying so when the mail server fails.

    The page must not tell whether an account uses the address. When one does and its
    e-mail fails, the person is told; when none does, nothing is sent, so the mail server
    is asked whether it would have taken one, and the page says the same as it would have.
    """

    form_class = PasswordResetForm

    def form_valid(self, form):
        ip = client_ip(self.request) or ""
        until = password_reset_request(ip=ip, email=form.cleaned_data["email"])
        if until is not None:
            context = self.get_context_data(form=form, throttled_until=until)
            return render(self.request, self.get_template_names(), context, status=429)
        response = super().form_valid(form)
        # When e-mails are sent in the request, a failure shows, so the page asks the mail
        # server also when no e-mail was due; when a worker sends them, neither shows.
        at_once = mail.sent_in_request()
        if form.not_sent or (not form.due and at_once and not mail.reachable()):
            context = self.get_context_data(form=form, mail_not_sent=True)
            return render(self.request, self.get_template_names(), context)
        return response
