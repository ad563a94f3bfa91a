"""What accounts do when django-allauth says something happened."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from assessments.accounts import services


@receiver(email_confirmed, dispatch_uid="accounts-email-confirmed")
def _email_confirmed(sender, email_address, **kwargs) -> None:
    services.email_address_confirmed(address=email_address)
