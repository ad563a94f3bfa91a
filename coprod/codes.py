"""Short codes that people read aloud, copy from paper and type on a phone.

The alphabet leaves out characters that are easily confused with another, in print, in
handwriting or read aloud: 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, U/V and G. Codes are shown in
groups ("KX7M-9HPA") and read back leniently: any case, with or without spaces and dashes.
"""

import secrets

from django import forms

ALPHABET = "ACEFHJKMNPRTWXY34679"


def new_code(length: int = 8) -> str:
    """A random code of `length` characters from ALPHABET (normalised form: no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(typed: str) -> str | None:
    """The code someone typed, in normalised form, or None when it cannot be one of ours
    (a character outside the alphabet)."""
    code = "".join(ch for ch in typed.upper() if not ch.isspace() and ch not in "-–")
    if not code or any(ch not in ALPHABET for ch in code):
        return None
    return code


def display(code: str, group: int = 4) -> str:
    """A normalised code in groups (of four unless told), for printing and reading aloud."""
    return "-".join(code[i : i + group] for i in range(0, len(code), group))


class CodeInput(forms.TextInput):
    """A box to type a code in: no autofill or spelling fixes, capitals on a phone's
    keyboard, and the site's code style (``css_class``)."""

    def __init__(self, css_class: str):
        super().__init__(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": css_class,
            }
        )
