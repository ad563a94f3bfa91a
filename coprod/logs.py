"""Log lines for operators: one line per event, key=value, and no secrets in paths.

An invite link (/r/<token>/), a colleague's join link (/join/<token>/), a cohort
invitation's link (/cohort-invitations/<n>/<token>/), a workshop's projector view
(/projector/<n>/<key>/: the room's view while the workshop lasts), a password reset link
(/accounts/password/reset/key/<key>/) and an address confirmation link
(/accounts/confirm-email/<key>/) each let whoever holds them in. Django logs
the path of every 404 and 500 ("Not Found: /r/…/") and the development server logs every
request line, so the filter masks those path segments before anything is written.
"""

import logging
import re
from datetime import UTC, datetime

MASK = "[redacted]"

_TOKEN_PATHS = [
    (re.compile(r"(/(?:r|join)/)[^/\s?#\"']+"), rf"\g<1>{MASK}"),
    (re.compile(r"(/reset/)[^/\s?#\"']+/[^/\s?#\"']+"), rf"\g<1>{MASK}/{MASK}"),
    (re.compile(r"(/password/reset/key/)[^/\s?#\"']+"), rf"\g<1>{MASK}"),
    (re.compile(r"(/confirm-email/)[^/\s?#\"']+"), rf"\g<1>{MASK}"),
    (re.compile(r"(/cohort-invitations/\d+/)[^/\s?#\"']+"), rf"\g<1>{MASK}"),
    (re.compile(r"(/projector/\d+/)[^/\s?#\"']+"), rf"\g<1>{MASK}"),
]


def redact(text: str) -> str:
    """The text with every link token in a path replaced by [redacted]."""
    for pattern, replacement in _TOKEN_PATHS:
        text = pattern.sub(replacement, text)
    return text


class RedactTokens(logging.Filter):
    """Mask link tokens in the message (formatted with its arguments, then frozen)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class KeyValueFormatter(logging.Formatter):
    """time=… level=… logger=… [status=…] msg="…" [exc="…"] on a single line."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            fields["status"] = status
        fields["msg"] = record.getMessage()
        if record.exc_info:
            fields["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            fields["exc"] = record.exc_text
        return " ".join(f"{key}={_value(value)}" for key, value in fields.items())


def _value(value) -> str:
    text = redact(str(value))
    if re.fullmatch(r"[\w.:+\-/\[\]]+", text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def logging_config(level: str) -> dict:
    """Django's LOGGING: one line per event on standard error, key=value, with invite and
    join tokens in paths masked (a token is the key to someone's answers)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact_tokens": {"()": "coprod.logs.RedactTokens"}},
        "formatters": {"keyvalue": {"()": "coprod.logs.KeyValueFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "keyvalue",
                "filters": ["redact_tokens"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own loggers write through ours too (not twice, not unmasked).
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            "django.server": {"handlers": ["console"], "level": level, "propagate": False},
            "django.db.backends": {"level": "INFO"},
            # django-tasks logs every task's start and end; ours log what matters.
            "django_tasks": {"level": "WARNING"},
            # WeasyPrint reports each step of every PDF at INFO.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
