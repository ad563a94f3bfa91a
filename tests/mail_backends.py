"""E-mail backends for tests: a mail server that is down."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """Refuses every connection and every message, as a mail server that is down does."""

    def open(self):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class SlowFileBackend(BaseEmailBackend):
    """A mail server that takes MULTINODE_MAIL_SECONDS to take each message, then notes its
    recipient and subject, one line each, in the file MULTINODE_MAIL_FILE: for the
    multi-node test, which kills a worker while it waits here."""

    def send_messages(self, email_messages):
        import os
        import time

        for message in email_messages:
            time.sleep(float(os.environ.get("MULTINODE_MAIL_SECONDS", "0")))
            with open(os.environ["MULTINODE_MAIL_FILE"], "a") as file:
                file.write(f"{','.join(message.to)}\t{message.subject}\n")
        return len(email_messages)
