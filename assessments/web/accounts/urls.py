"""Sign-up, organisations and their people, the activity log and data rights."""

from django.urls import path

from assessments.web.accounts.views import data_rights, organisations

urlpatterns = [
    # Accounts and organisations
    path("orgs/", organisations.organisation_list, name="organisations"),
    path("orgs/new/", organisations.organisation_create, name="organisation-create"),
    path("orgs/<slug:org>/", organisations.organisation_detail, name="organisation"),
    path("orgs/<slug:org>/people/", organisations.people, name="people"),
    path(
        "orgs/<slug:org>/two-step/",
        organisations.organisation_two_step,
        name="organisation-two-step",
    ),
    path(
        "orgs/<slug:org>/keeping/",
        organisations.organisation_keeping_period,
        name="organisation-keeping-period",
    ),
    path(
        "orgs/<slug:org>/emails/",
        organisations.organisation_email_languages,
        name="organisation-email-languages",
    ),
    path(
        "orgs/<slug:org>/people/<int:membership>/",
        organisations.membership_edit,
        name="membership-edit",
    ),
    path(
        "orgs/<slug:org>/invitations/<int:invite>/resend/",
        organisations.colleague_invite_resend,
        name="colleague-invite-resend",
    ),
    path(
        "orgs/<slug:org>/invitations/<int:invite>/cancel/",
        organisations.colleague_invite_cancel,
        name="colleague-invite-cancel",
    ),
    path("join/<str:token>/", organisations.join, name="join"),
    # Activity log, data rights
    path(
        "orgs/<slug:org>/activity/",
        data_rights.organisation_activity,
        name="organisation-activity",
    ),
    path("orgs/<slug:org>/data/", data_rights.organisation_data, name="organisation-data"),
    path(
        "orgs/<slug:org>/data/export/",
        data_rights.organisation_export,
        name="organisation-export",
    ),
    path("orgs/<slug:org>/delete/", data_rights.organisation_delete, name="organisation-delete"),
    path("account/", data_rights.account, name="account"),
    path("account/delete/", data_rights.account_delete, name="account-delete"),
]
