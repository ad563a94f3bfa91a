"""A facilitator or a lead adds a framework of their own: upload, the check's problems
with their lines, fixing, preview, publish, new versions, and a round run on it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from assessments.accounts.models import AuditEvent
from assessments.library.models import OwnFramework
from assessments.rounds import services as rounds_services
from assessments.rounds.models import Round
from principles.content_files import ContentError, framework_file
from principles.models import Framework
from principles.selectors import framework_with_content
from principles.services import frameworks_load
from tests import factories
from tests.framework_texts import BROKEN, PLAIN
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def upload(text: str, name: str = "charter.toml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/toml")


def add_url(world):
    return reverse("assessments:own-framework-add-cohort", args=[world.cohort.pk])


def start(client, world, text=BROKEN) -> OwnFramework:
    sign_in(client, world.facilitator)
    response = client.post(add_url(world), {"file": upload(text), "text": ""})
    own = OwnFramework.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:own-framework", args=[own.pk])
    return own


def test_the_add_page_offers_a_starter_file_that_passes_the_check(client, world):
    sign_in(client, world.facilitator)
    page = client.get(add_url(world)).content.decode()
    assert "Add a framework" in page and "slug = &quot;our-framework&quot;" in page

    client.post(
        add_url(world), {"text": client.get(add_url(world)).context["form"]["text"].value()}
    )

    own = OwnFramework.objects.get()
    detail = client.get(reverse("assessments:own-framework", args=[own.pk])).content.decode()
    assert "The file passes the check. Principles: 2. Statements: 2." in detail
    assert "It has no easy read, so its links will open in standard words." in detail


def test_a_broken_file_shows_its_problems_with_their_lines_and_is_kept(client, world):
    own = start(client, world)

    page = client.get(reverse("assessments:own-framework", args=[own.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "The file has 1 problem to mend before it can be published:" in text
    assert (
        "line 11, principle 1 (listening), statement 1: missing &#x27;to_text&#x27;. "
        "Add to_text = &quot;…&quot; to this table: where practice is heading (the to)."
    ) in text
    # Kept as a draft to mend, in the box; nothing is a framework yet.
    own.refresh_from_db()
    assert own.text == BROKEN
    assert page.context["form"]["text"].value() == BROKEN
    assert not Framework.objects.filter(slug="our-charter").exists()
    # Neither previewed nor published while it fails.
    preview = client.get(reverse("assessments:own-framework-preview", args=[own.pk]))
    assert preview.status_code == 302
    client.post(reverse("assessments:own-framework-publish", args=[own.pk]))
    assert not Framework.objects.filter(slug="our-charter").exists()


def test_a_file_that_is_not_toml_or_not_text_is_told_so(client, world):
    own = start(client, world)
    url = reverse("assessments:own-framework", args=[own.pk])

    client.post(url, {"text": 'slug = "our-charter"\nname = "unterminated\n'})
    text = client.get(url).content.decode()
    assert "framework.toml: not valid TOML" in text and "line 2" in text

    response = client.post(url, {"file": upload("x", name="charter.docx"), "text": ""})
    assert response.status_code == 400
    assert "Choose a framework file ending in .toml" in response.content.decode()
    response = client.post(
        url, {"file": SimpleUploadedFile("c.toml", b"\xff\xfe\x00bad"), "text": ""}
    )
    assert "The file is not UTF-8 text." in response.content.decode()


def test_fix_preview_and_publish(client, world):
    own = start(client, world)
    url = reverse("assessments:own-framework", args=[own.pk])

    response = client.post(url, {"text": PLAIN})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "The file passes the check. Principles: 2. Statements: 3." in page

    preview = client.get(reverse("assessments:own-framework-preview", args=[own.pk]))
    text = preview.content.decode()
    assert "Principle 1 of 2:" in text and "We listen first" in text
    assert "We ask people what matters before anything is decided." in text
    assert "Statement 1.2" in text
    assert "We share power" not in text  # one principle at a time
    assert "has no easy-read wording, so its links open in standard words." in text
    whole = client.get(
        reverse("assessments:own-framework-preview", args=[own.pk]), {"principle": "all"}
    ).content.decode()
    assert "We listen first" in whole and "We share power" in whole
    assert (
        client.get(
            reverse("assessments:own-framework-preview", args=[own.pk]), {"principle": "9"}
        ).status_code
        == 404
    )
    assert not Framework.objects.filter(slug="our-charter").exists()  # nothing saved

    response = client.post(reverse("assessments:own-framework-publish", args=[own.pk]), follow=True)
    assert (
        "Our co-production charter is published (version 1). It can now be chosen for new "
        "rounds by North Vale network."
    ) in response.content.decode()
    framework = Framework.objects.get(slug="our-charter")
    assert (framework.version, framework.shared, framework.has_easy_read) == (1, False, False)
    own.refresh_from_db()
    assert own.slug == "our-charter" and own.is_published
    # The cohort's organisation reads it in its activity log.
    event = AuditEvent.objects.get(organisation=world.org, kind="framework_published")
    assert event.summary == (
        "The cohort “North Vale network” published the framework “Our co-production "
        "charter” (version 1)."
    )
    # It downloads as its file.
    file = client.get(reverse("assessments:own-framework-file", args=[own.pk, 1]))
    assert file["Content-Disposition"] == 'attachment; filename="our-charter-version-1.toml"'
    assert 'slug = "our-charter"' in file.content.decode()


def test_a_changed_file_is_a_new_version_and_rounds_keep_theirs(client, world):
    own = start(client, world, text=PLAIN)
    publish = reverse("assessments:own-framework-publish", args=[own.pk])
    client.post(publish)
    first = Framework.objects.get(slug="our-charter")
    round_ = factories.round(world.org, title="On our charter", slug="our-charter")
    first.refresh_from_db()
    assert round_.framework_id == first.pk and first.is_frozen  # opened on it

    # Published again unchanged: nothing new.
    client.post(publish)
    assert Framework.objects.filter(slug="our-charter").count() == 1

    changed = PLAIN.replace("We listen first", "We always listen first")
    client.post(reverse("assessments:own-framework", args=[own.pk]), {"text": changed})
    client.post(publish)

    versions = Framework.objects.filter(slug="our-charter").order_by("version")
    assert [(v.version, v.name, v.shared) for v in versions] == [
        (1, "Our co-production charter", False),
        (2, "Our co-production charter", False),
    ]
    assert versions[1].principles.get(order=1).name == "We always listen first"
    assert Round.objects.get(pk=round_.pk).framework_id == first.pk


def test_a_slug_another_framework_has_is_refused(client, world):
    own = start(client, world, text=PLAIN.replace('"our-charter"', '"cahn"'))
    response = client.post(reverse("assessments:own-framework-publish", args=[own.pk]), follow=True)
    assert "Another framework is already called “cahn”." in response.content.decode()
    assert Framework.objects.filter(slug="cahn", shared=False).count() == 0

    # Another owner's slug too.
    sign_in(client, world.lead)
    mine = client.post(
        reverse("assessments:own-framework-add-org", args=[world.org.slug]), {"text": PLAIN}
    )
    assert mine.status_code == 302
    theirs = OwnFramework.objects.get(organisation=world.org)
    client.post(reverse("assessments:own-framework-publish", args=[theirs.pk]))
    sign_in(client, world.facilitator)
    client.post(reverse("assessments:own-framework", args=[own.pk]), {"text": PLAIN})
    response = client.post(reverse("assessments:own-framework-publish", args=[own.pk]), follow=True)
    assert "Another framework is already called “our-charter”." in response.content.decode()
    own.refresh_from_db()
    assert not own.is_published


def test_your_frameworks_lists_them_with_an_empty_state(client, world):
    sign_in(client, world.outside_lead)
    page = client.get(reverse("assessments:own-frameworks")).content.decode()
    assert "There are no frameworks of your own yet." in page
    assert "Add a framework for Hillside" in page

    own = start(client, world, text=PLAIN)
    client.post(reverse("assessments:own-framework-publish", args=[own.pk]))
    page = client.get(reverse("assessments:own-frameworks")).content.decode()
    assert "Our co-production charter" in page and "Published" in page
    assert "Add a framework for the cohort North Vale network" in page
    sign_in(client, world.member)  # the cohort's organisation: reads it, adds none
    page = client.get(reverse("assessments:own-frameworks")).content.decode()
    assert "Our co-production charter" in page
    assert "A lead of an organisation, or the facilitator of a cohort, can add" in page


def test_a_round_runs_on_it_end_to_end(client, world):
    own = start(client, world, text=PLAIN)
    client.post(reverse("assessments:own-framework-publish", args=[own.pk]))
    framework = Framework.objects.get(slug="our-charter")

    sign_in(client, world.lead)
    response = client.post(
        reverse("assessments:round-create", args=[world.org.slug]),
        {"title": "Charter round", "framework": framework.pk},
    )
    assert response.status_code == 302
    round_ = Round.objects.get(title="Charter round")
    rounds_services.round_open(round=round_, by=world.lead)
    for perspective, level in [("lived_experience", 2)] * 3 + [("staff", 4)] * 3:
        factories.answer_all(factories.respondent(round_, perspective), level=level)
    rounds_services.round_close(round=round_, by=world.lead)

    results = client.get(reverse("assessments:results", args=[round_.pk]))
    assert results.status_code == 200
    assert "We listen first" in results.content.decode()
    pdf = client.get(reverse("assessments:report-pdf", args=[round_.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    texts = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "1. We listen first" in texts and "2. We share power" in texts
    assert "Statement 1.2" in texts


def test_a_framework_with_easy_read_previews_in_easy_read(client, world):
    cahn = framework_with_content(Framework.objects.get(slug="cahn", version=1).pk)
    text = framework_file(cahn).replace('slug = "cahn"', 'slug = "our-cahn"', 1)
    own = start(client, world, text=text)
    client.post(reverse("reading-mode"), {"easy_read": "on", "next": "/"})

    page = client.get(reverse("assessments:own-framework-preview", args=[own.pk]))

    text = page.content.decode()
    first = cahn.principles.all()[0]
    assert f"Part 1 of {len(cahn.principles.all())}:" in text
    assert first.easy_read_name in text and first.picture_path in text
    assert first.statements.all()[0].to_easy in text
    assert "You are seeing it in easy read." in text


def test_a_shipped_file_cannot_take_the_slug_of_a_framework_made_on_the_site(
    client, world, tmp_path
):
    own = start(client, world, text=PLAIN)
    client.post(reverse("assessments:own-framework-publish", args=[own.pk]))
    (tmp_path / "ours.toml").write_text(PLAIN.replace("We listen first", "Taken"), "utf-8")

    with pytest.raises(ContentError, match="'our-charter' is a framework made on the site"):
        frameworks_load(directory=tmp_path)
    assert Framework.objects.filter(slug="our-charter").count() == 1
