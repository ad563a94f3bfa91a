"""Answer links on paper: a QR code of a link, drawn on the server as SVG (segno), so a
person can point a phone's camera at their sheet instead of typing a long address, and the
link's short code, typed at /go."""

import segno
from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from coprod import codes, languages

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """A language named in itself, as the site offers it ("English", "Cymraeg")."""
    return languages.language_name(code)


@register.filter
def qr_code(url: str) -> SafeString:
    """The QR code of ``url`` as inline SVG, black on white, with its own quiet zone. Its
    name says what it is; the address itself is printed beside it for anyone who types."""
    code = segno.make(url, error="m")
    # A viewBox and no fixed size, so the stylesheet sets how big it prints.
    name = _("QR code of this link")
    svg = code.svg_inline(omitsize=True, dark="#000", light="#fff", title=name)
    # segno's own markup: the address is in the drawing only, never as text
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(name)}" ', 1))


@register.filter
def short_code(code: str) -> str:
    """A link's short code in two groups of five, as printed and read aloud."""
    return codes.display(code, 5)
