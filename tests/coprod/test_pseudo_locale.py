"""Every word a page shows goes through translation: a pseudo-language proves it.

At test time every string of the Welsh catalogue (locale/cy, which `make messages` keeps
up to date with the code) is "translated" into a pseudo-language that writes every letter
with an accent ("Sign in" becomes "Šíĝñ íñ"), so the text still reads and keeps its
placeholders and HTML. Django's own strings that it translates into Welsh are added the
same way. Then every page of the access probe's world (tests/security/test_access_probe.py:
the public pages, every page of organisation A as its lead, cohort facilitator or link
holder) is opened in the pseudo-language, and any text a person reads or hears (the
body's text, the title, alt, title, aria-label and placeholder attributes, button values)
that still holds a plain ASCII letter is reported, page by page: it was never marked, or
it is missing from the Welsh catalogue (so a Welsh reader would see it in English).

What people typed is skipped (the world's names, notes and actions are distinctive, so
they are known), as are e-mail addresses, codes, the product's name and the framework
content, which is translated in the framework files rather than in the catalogue.
"""

import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import django.conf
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.test import override_settings
from django.utils import translation

from assessments.web.library.views import STARTER
from assessments.workshops.models import Workshop
from principles.sources import WORKS
from tests.security import test_access_probe as probe

polib = pytest.importorskip("polib")

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PSEUDO = "en-xa"
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
ACCENTED = "áƀçðéƒĝĥíĵķļɱñóþǫŕšŧúṽŵẋýžÁƁÇÐÉƑĜĤÍĴĶĻṀÑÓÞǪŔŠŦÚṼŴẊÝŽ"
ACCENT = str.maketrans(LETTERS, ACCENTED)
# Left as they are in a message: placeholders, HTML tags and character references.
KEPT = re.compile(r"%\([^)]*\)[sdfr]|%[sdfr]|\{[^}]*\}|<[^>]*>|&[#\w]+;")
PLAIN = re.compile(r"[A-Za-z]")
ROOT = Path(__file__).resolve().parents[2]


def pseudo(text: str) -> str:
    """``text`` with every letter accented, its placeholders and tags untouched."""
    out, at = [], 0
    for kept in KEPT.finditer(text):
        out += [text[at : kept.start()].translate(ACCENT), kept.group()]
        at = kept.end()
    return "".join([*out, text[at:].translate(ACCENT)])


def _upstream_welsh() -> list:
    """The messages of Django and the installed packages that have a Welsh translation:
    in Welsh they are shown translated, so the pseudo-language translates them too."""
    folders = [Path(django.conf.__file__).parent / "locale"]
    folders += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    entries = []
    for folder in folders:
        mo = folder / "cy" / "LC_MESSAGES" / "django.mo"
        if mo.is_file() and ROOT / "locale" not in mo.parents:
            entries += [
                e for e in polib.mofile(str(mo)) if e.msgid and (e.msgstr or e.msgstr_plural)
            ]
    return entries


@pytest.fixture(scope="module")
def pseudo_locale(tmp_path_factory):
    """A catalogue of the pseudo-language, and the settings that offer it."""
    folder = tmp_path_factory.mktemp("pseudo") / "locale"
    gathered = polib.pofile(str(ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"))
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen = set()
    for entry in [*gathered, *_upstream_welsh()]:
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            continue
        seen.add(key)
        made = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid)
        if entry.msgid_plural:
            made.msgid_plural = entry.msgid_plural
            made.msgstr_plural = {0: pseudo(entry.msgid), 1: pseudo(entry.msgid_plural)}
        else:
            made.msgstr = pseudo(entry.msgid)
        catalogue.append(made)
    out = folder / "en_XA" / "LC_MESSAGES"
    out.mkdir(parents=True)
    catalogue.save_as_mofile(str(out / "django.mo"))
    languages = [*settings.LANGUAGES, (PSEUDO, pseudo("Pseudo"))]
    with override_settings(LOCALE_PATHS=[folder], LANGUAGES=languages):
        yield folder


@pytest.fixture(scope="module")
def world(pseudo_locale, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            made = probe.World()
            # The projector and the phones read in the room's language: the pseudo-language.
            Workshop.objects.update(language=PSEUDO)
            yield made
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _framework_texts() -> list[str]:
    """Every text of the framework content (translated in the framework files), also as
    the radar chart wraps it into lines, and the works cited, named as published."""
    texts = []
    for model in apps.get_app_config("principles").get_models():
        fields = [
            f.name for f in model._meta.fields if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model._default_manager.values_list(*fields):
            texts += [value for value in row if isinstance(value, str) and value.strip()]
    texts += [line for text in texts for line in textwrap.fill(text, 14).splitlines()]
    return texts + [text for work in WORKS for text in (work.short, work.citation)]


def _framework_files() -> list[str]:
    """The framework files written on the site (their drafts), and the example file the
    page to add one starts from."""
    drafts = apps.get_model("assessments", "OwnFramework")._default_manager
    return [*drafts.values_list("text", flat=True), STARTER]


class _Text(HTMLParser):
    """What a person reads or hears on a page."""

    READ = {"alt", "title", "aria-label", "placeholder"}
    BUTTONS = {"submit", "button", "reset"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.raw = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.raw += 1
        values = dict(attrs)
        for name, value in attrs:
            if value and (
                name in self.READ
                or (tag == "input" and name == "value" and values.get("type") in self.BUTTONS)
            ):
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.raw:
            self.raw -= 1

    def handle_data(self, data):
        if not self.raw and data.strip():
            self.texts.append(data)


# Skipped before what people typed is taken out (a cohort's slug may be part of an
# address), and after it (a year in a work's title looks like a code).
ADDRESSES = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+"  # e-mail addresses
    r"|https?://\S+|/\S*|\b[\w-]+(\.[\w-]+)+/\S*"  # addresses
    r"|\b[\w-]+\.(?:zip|pdf|csv)\b"  # file names
)
CODES = re.compile(
    r"\b[A-Z0-9](?: (?:- )?[A-Z0-9]){3,}\b"  # codes spelt out, a letter at a time
    r"|\b(?=[A-Z0-9-]*\d)[A-Z0-9]{2,}(?:[- ][A-Z0-9]{2,})*\b"  # codes: capitals and digits
    r"|\bcoprod\b|\bCymraeg\b|\bEnglish\b"
)


def untranslated(page: str, typed: list[str]) -> list[str]:
    parser = _Text()
    parser.feed(page)
    found = []
    for text in parser.texts:
        rest = ADDRESSES.sub(" ", " ".join(text.split()))
        for known in typed:
            rest = rest.replace(known, " ")
        rest = CODES.sub(" ", rest)
        if PLAIN.search(rest):
            found.append(" ".join(text.split()))
    return found


def _pages(w) -> list[tuple[str, str]]:
    """(role, address) of every page to read: the public ones, and A's as its owner."""
    pages = [("anonymous", probe.fill(w, probe.ROUTES_BY_NAME[name])) for name in probe.PUBLIC]
    for name in probe._lead_routes():
        role = "link_holder" if name in probe.INVITE_LINK else probe.OWNER.get(name, "a_lead")
        pages.append((role, probe.fill(w, probe.ROUTES_BY_NAME[name])))
    pages.append(("anonymous", "/no-such-page/"))
    # Django's admin, for the site's operators, is Django's own: its Welsh is Django's,
    # which lacks a few of its newer strings.
    return sorted({(role, url) for role, url in pages if not url.startswith("/admin/")})


def test_every_page_reads_in_the_pseudo_language(world, db, pseudo_locale):
    typed = sorted(
        {*probe.A_SECRETS, *probe.WORKSHOP_CODES, *_framework_texts(), "Hillside Partnership"},
        key=len,
        reverse=True,
    )
    typed += [str(u) for u in world.users.values() if u is not None]
    # A framework file being written on the site is framework content too, in its box:
    # taken out whole, before any of the texts in it.
    typed = [" ".join(text.split()) for text in _framework_files()] + typed
    with translation.override(PSEUDO):
        assert translation.gettext("Sign in") == pseudo("Sign in"), "the catalogue is in use"
    report, read = [], 0
    for role, url in _pages(world):
        client = probe.client_as(world, role)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = PSEUDO
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = probe.body(response)
        read += 1
        assert f'<html lang="{PSEUDO}"' in page or 'lang="' not in page[:300], url
        missing = untranslated(page, typed)
        if missing:
            report.append(f"{url} ({role}): {len(missing)}")
            report += [f"    {text[:400]}" for text in dict.fromkeys(missing)]
    pages_failing = sum(1 for line in report if not line.startswith("    "))
    strings = sum(1 for line in report if line.startswith("    "))
    assert not report, (
        f"{strings} untranslated strings on {pages_failing} of {read} pages:\n" + "\n".join(report)
    )
