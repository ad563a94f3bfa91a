"""Short codes that people read aloud, copy from paper and type on a phone.

The alphabet leaves out characters that are easily confused with another: 0/O, 1/I/L,
2/Z, 5/S and 8/B. Codes are shown in groups of four ("KX7M-9HPA") and read back leniently:
any case, with or without spaces and dashes.
"""

import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def new_code(length: int = 8) -> str:
    """A random code of `length` characters from ALPHABET (normalised form: no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(typed: str) -> str | None:
    """The code someone typed, in normalised form, or None when it cannot be one of ours
    (a character outside the alphabet)."""
    code = "".join(ch for ch in typed.upper() if ch not in " -\t\n")
    if not code or any(ch not in ALPHABET for ch in code):
        return None
    return code


def display(code: str) -> str:
    """A normalised code in groups of four, for printing and reading aloud."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
