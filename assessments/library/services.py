"""Every write to the frameworks made on the site: starting one, writing its draft,
publishing it as a new framework version, and adding it to the shared library.

Publishing checks the draft with the same check as ``manage.py check_framework`` and loads
it with the same code as ``load_frameworks`` (``principles.services.framework_load``): a
changed file makes a new version once the last one is frozen, and rounds keep theirs.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.accounts.models import AuditKind, Organisation, Role, User
from assessments.accounts.services import audit_record, require_lead
from assessments.cohorts.models import Cohort, CohortMember
from assessments.errors import ServiceError
from principles.content_files import FrameworkData, parse_framework_upload
from principles.models import Framework
from principles.services import framework_load

from .models import OwnFramework

logger = logging.getLogger(__name__)

# The largest file taken (the longest shipped framework is about 60 kB).
MAX_FILE_BYTES = 512 * 1024
FILE_NAME = "framework.toml"


def may_manage(user: User, own: OwnFramework) -> bool:
    """A lead of the owning organisation, or the facilitator of the owning cohort."""
    if not user.is_authenticated:
        return False
    if own.cohort is not None:
        return own.cohort.facilitator_id == user.pk
    return user.memberships.filter(organisation=own.organisation, role=Role.LEAD).exists()


def _require_manager(user: User, own: OwnFramework) -> None:
    if not may_manage(user, own):
        raise ServiceError(_("Only the lead or the facilitator who owns it can change it."))


def own_framework_start(
    *,
    by: User,
    organisation: Organisation | None = None,
    cohort: Cohort | None = None,
    text: str = "",
) -> OwnFramework:
    """A new draft for an organisation (by one of its leads) or a cohort (by its
    facilitator)."""
    if (organisation is None) == (cohort is None):
        raise ServiceError("A framework belongs to one organisation or one cohort.")
    if organisation is not None:
        require_lead(user=by, organisation=organisation)
    elif cohort is not None and cohort.facilitator_id != by.pk:
        raise ServiceError(_("Only the cohort's facilitator can add a framework to it."))
    return OwnFramework.objects.create(
        organisation=organisation, cohort=cohort, text=text, created_by=by
    )


def own_framework_write(*, own: OwnFramework, by: User, text: str) -> OwnFramework:
    """Keep the draft as written, whether or not it passes the check."""
    _require_manager(by, own)
    if len(text.encode()) > MAX_FILE_BYTES:
        raise ServiceError(
            _("The file is larger than %(kb)s kB. A framework file is far smaller.")
            % {"kb": MAX_FILE_BYTES // 1024}
        )
    own.text = text
    own.save(update_fields=["text", "updated_at"])
    return own


def own_framework_check(*, own: OwnFramework) -> FrameworkData:
    """The draft, checked: its framework, or ContentError naming each problem's line."""
    return parse_framework_upload(FILE_NAME, own.text)


def _slug_taken(own: OwnFramework, slug: str) -> bool:
    if OwnFramework.objects.filter(slug=slug).exclude(pk=own.pk).exists():
        return True
    return own.slug != slug and Framework.objects.filter(slug=slug).exists()


def _audited_organisations(own: OwnFramework) -> list[int]:
    if own.organisation_id is not None:
        return [own.organisation_id]
    return list(
        CohortMember.objects.filter(cohort=own.cohort).values_list("organisation_id", flat=True)
    )


def own_framework_publish(*, own: OwnFramework, by: User) -> Framework:
    """Publish the draft: a new framework, or a new version of this one where its wording
    changed (the version is edited in place while no round has opened on it). Refused if
    the draft does not pass the check, or names a slug another framework has."""
    _require_manager(by, own)
    data = own_framework_check(own=own)
    if own.slug and data.slug != own.slug:
        raise ServiceError(
            _(
                "This framework is published as “%(slug)s”, and its slug cannot change. "
                'Put slug = "%(slug)s" back, or add a new framework for a new slug.'
            )
            % {"slug": own.slug}
        )
    with transaction.atomic():
        if _slug_taken(own, data.slug):
            raise ServiceError(
                _(
                    "Another framework is already called “%(slug)s”. Give yours a slug of "
                    'its own, such as "%(slug)s-2".'
                )
                % {"slug": data.slug}
            )
        outcome = framework_load(data=data, shared=False)
        framework = Framework.objects.filter(slug=data.slug).latest("version")
        own.slug, own.name = data.slug, data.name
        own.published_at = own.published_at or timezone.now()
        own.save(update_fields=["slug", "name", "published_at", "updated_at"])
        if outcome in ("created", "updated"):
            for organisation_id in _audited_organisations(own):
                audit_record(
                    organisation=organisation_id,
                    kind=AuditKind.FRAMEWORK_PUBLISHED,
                    what="framework_published_cohort" if own.cohort_id else "framework_published",
                    details={
                        "name": data.name,
                        "version": framework.version,
                        **({"cohort": own.cohort.name} if own.cohort else {}),
                    },
                    actor=by,
                )
    return framework


def own_framework_share(*, own: OwnFramework, by: User) -> None:
    """Add a published framework, every version, to the shared library: a site
    administrator's decision."""
    if not (by.is_authenticated and by.is_staff):
        raise ServiceError(_("Only a site administrator can add a framework to the library."))
    if not own.slug:
        raise ServiceError(_("Publish the framework before sharing it."))
    with transaction.atomic():
        changed = Framework.objects.filter(slug=own.slug, shared=False).update(shared=True)
        if changed:
            for organisation_id in _audited_organisations(own):
                audit_record(
                    organisation=organisation_id,
                    kind=AuditKind.FRAMEWORK_SHARED,
                    what="framework_shared",
                    details={"name": own.name},
                    actor=by,
                )
    logger.info("Framework %s added to the shared library by user %s", own.slug, by.pk)
