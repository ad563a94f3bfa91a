"""What a service raises when a request breaks a rule, and how a view tells the person."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest


class ServiceError(Exception):
    """A request that breaks a rule; the message is written for the person who made it."""


class EmailNotVerified(ServiceError):
    """The step needs an e-mail address the person has shown is theirs; views send them to
    the page that says so (with a button to send the link again)."""


class MailNotSent(ServiceError):
    """An e-mail the mail server did not take. Whatever the service saved before sending
    stays saved and valid, so the person can send it again."""


def tell(
    request: HttpRequest,
    call: Callable[[], object],
    *,
    done: str,
    refused: int = messages.ERROR,
) -> bool:
    """Make a service call and tell the person how it went: ``done`` when it went through,
    the rule it broke when it was refused (at the ``refused`` message level), and, when
    only the e-mail could not go out, a warning saying what to do. True when it went
    through."""
    try:
        call()
    except MailNotSent as exc:
        messages.warning(request, str(exc))
    except ServiceError as exc:
        messages.add_message(request, refused, str(exc))
    else:
        messages.success(request, done)
        return True
    return False
