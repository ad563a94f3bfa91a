"""Every word a page shows goes through translation: a pseudo-language proves it.

At test time the project's strings are gathered with ``makemessages`` (as `make messages`
does) and each is "translated" into a pseudo-language that writes every letter with an
accent ("Sign in" becomes "Šíĝñ íñ"), so the text still reads and keeps its placeholders
and HTML. Django's own strings that it translates into Welsh are added the same way. Then
every page of the access probe's world (tests/security/test_access_probe.py: the public
pages, every page of organisation A as its lead, cohort facilitator or link holder) is
opened in the pseudo-language, and any text a person reads or hears (the body's text,
the title, alt, title, aria-label and placeholder attributes, button values) that still
holds a plain ASCII letter is reported, page by page: it was never marked.

What people typed is skipped (the world's names, notes and actions are distinctive, so
they are known), as are e-mail addresses, codes, the product's name and the framework
content, which is translated in the framework files rather than in the catalogue.
"""

import contextlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import django.conf
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models, transaction
from django.test import override_settings
from django.utils import translation

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
IGNORE = [".venv/*", "tests/*", "node_modules/*", "staticfiles/*", "static/vendor/*", "bench/*"]


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
        if mo.is_file() and ROOT not in mo.parents:
            entries += [
                e for e in polib.mofile(str(mo)) if e.msgid and (e.msgstr or e.msgstr_plural)
            ]
    return entries


@pytest.fixture(scope="module")
def pseudo_locale(tmp_path_factory):
    """A catalogue of the pseudo-language, and the settings that offer it."""
    folder = tmp_path_factory.mktemp("pseudo") / "locale"
    folder.mkdir()
    with override_settings(LOCALE_PATHS=[folder]), contextlib.chdir(ROOT):
        call_command(
            "makemessages", locale=["en_XA"], ignore_patterns=IGNORE, verbosity=0, no_obsolete=True
        )
    gathered = polib.pofile(str(folder / "en_XA" / "LC_MESSAGES" / "django.po"))
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
    shutil.rmtree(out)
    out.mkdir(parents=True)
    catalogue.save_as_mofile(str(out / "django.mo"))
    languages = [*settings.LANGUAGES, (PSEUDO, "Pseudo")]
    with override_settings(LOCALE_PATHS=[folder], LANGUAGES=languages):
        yield folder


@pytest.fixture(scope="module")
def world(pseudo_locale, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield probe.World()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _framework_texts() -> list[str]:
    """Every text of the framework content (translated in the framework files)."""
    texts = []
    for model in apps.get_app_config("principles").get_models():
        fields = [
            f.name for f in model._meta.fields if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model._default_manager.values_list(*fields):
            texts += [value for value in row if isinstance(value, str) and value.strip()]
    return texts


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


SKIPPED = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+"  # e-mail addresses
    r"|https?://\S+|/\S*"  # addresses
    r"|\b(?=[A-Z0-9-]*\d)[A-Z0-9]{2,}(?:[- ][A-Z0-9]{2,})*\b"  # codes: capitals and digits
    r"|\bcoprod\b|\bCymraeg\b|\bEnglish\b"
)


def untranslated(page: str, typed: list[str]) -> list[str]:
    parser = _Text()
    parser.feed(page)
    found = []
    for text in parser.texts:
        rest = " ".join(text.split())
        for known in typed:
            rest = rest.replace(known, " ")
        rest = SKIPPED.sub(" ", rest)
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
    return sorted(set(pages))


def test_every_page_reads_in_the_pseudo_language(world, db, pseudo_locale):
    typed = sorted(
        {*probe.A_SECRETS, *probe.WORKSHOP_CODES, *_framework_texts(), "Hillside Partnership"},
        key=len,
        reverse=True,
    )
    typed += [str(u) for u in world.users.values() if u is not None]
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
            report += [f"    {text[:120]}" for text in dict.fromkeys(missing)]
    pages_failing = sum(1 for line in report if not line.startswith("    "))
    strings = sum(1 for line in report if line.startswith("    "))
    assert not report, (
        f"{strings} untranslated strings on {pages_failing} of {read} pages:\n" + "\n".join(report)
    )
