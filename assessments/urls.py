from django.urls import path

from .views import answering, cohorts, data_rights, organisations, results, rounds

app_name = "assessments"

urlpatterns = [
    # Accounts and organisations
    path("signup/", organisations.signup, name="signup"),
    path("orgs/", organisations.organisation_list, name="organisations"),
    path("orgs/new/", organisations.organisation_create, name="organisation-create"),
    path("orgs/<slug:org>/", organisations.organisation_detail, name="organisation"),
    path("orgs/<slug:org>/people/", organisations.people, name="people"),
    path(
        "orgs/<slug:org>/people/<int:membership>/",
        organisations.membership_edit,
        name="membership-edit",
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
    # Rounds, run by a lead
    path("orgs/<slug:org>/rounds/new/", rounds.round_create, name="round-create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round-edit"),
    path("rounds/<int:pk>/status/", rounds.round_status, name="round-status"),
    path("rounds/<int:pk>/links/", rounds.invite_list, name="invites"),
    path("rounds/<int:pk>/links/print/", rounds.invite_print, name="invites-print"),
    path("rounds/<int:pk>/links/<int:invite>/send/", rounds.invite_send, name="invite-send"),
    path("rounds/<int:pk>/links/<int:invite>/revoke/", rounds.invite_revoke, name="invite-revoke"),
    # Answering: members signed in, everyone else by their personal link
    path("rounds/<int:pk>/answer/", answering.member_start, name="member-start"),
    path("rounds/<int:pk>/answer/<int:page>/", answering.member_page, name="member-page"),
    path("rounds/<int:pk>/answer/save/", answering.member_autosave, name="member-autosave"),
    path("rounds/<int:pk>/answer/done/", answering.member_done, name="member-done"),
    path("r/<str:token>/", answering.invite_start, name="invite-start"),
    path("r/<str:token>/<int:page>/", answering.invite_page, name="invite-page"),
    path("r/<str:token>/save/", answering.invite_autosave, name="invite-autosave"),
    path("r/<str:token>/done/", answering.invite_done, name="invite-done"),
    # Results, agreed positions and actions
    path("rounds/<int:pk>/results/", results.results, name="results"),
    path("rounds/<int:pk>/export/<slug:kind>.csv", results.export_csv, name="export-csv"),
    path("rounds/<int:pk>/report.pdf", results.report_pdf, name="report-pdf"),
    path("rounds/<int:pk>/actions.pdf", results.action_plan_pdf, name="action-plan-pdf"),
    path(
        "rounds/<int:pk>/positions/<int:statement>/",
        results.agreed_position,
        name="agreed-position",
    ),
    path("rounds/<int:pk>/actions/", results.action_list, name="actions"),
    path("rounds/<int:pk>/actions/new/", results.action_create, name="action-create"),
    path("actions/<int:action>/edit/", results.action_edit, name="action-edit"),
    path("rounds/<int:pk>/review/<int:action>/", results.action_review, name="action-review"),
    # Cohorts: run by a facilitator, joined by organisations
    path("cohorts/", cohorts.cohort_list, name="cohorts"),
    path("cohorts/new/", cohorts.cohort_create, name="cohort-create"),
    path("cohorts/<int:pk>/", cohorts.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/edit/", cohorts.cohort_edit, name="cohort-edit"),
    path(
        "cohorts/<int:pk>/organisations/",
        cohorts.cohort_organisations,
        name="cohort-organisations",
    ),
    path(
        "cohorts/<int:pk>/invitations/<int:invitation>/cancel/",
        cohorts.cohort_invitation_cancel,
        name="cohort-invitation-cancel",
    ),
    path("cohorts/<int:pk>/heat-map.csv", cohorts.cohort_export_csv, name="cohort-csv"),
    path("cohorts/<int:pk>/summary.pdf", cohorts.cohort_report_pdf, name="cohort-pdf"),
    path("cohort-invitations/<int:pk>/", cohorts.cohort_invitation, name="cohort-invitation"),
    path(
        "orgs/<slug:org>/cohort-invitations/<int:pk>/",
        cohorts.organisation_invitation_answer,
        name="organisation-cohort-invitation",
    ),
    path(
        "orgs/<slug:org>/cohorts/<int:pk>/", cohorts.organisation_cohort, name="organisation-cohort"
    ),
    path(
        "orgs/<slug:org>/cohorts/<int:pk>/name/",
        cohorts.organisation_cohort_name,
        name="organisation-cohort-name",
    ),
    path(
        "orgs/<slug:org>/cohorts/<int:pk>/leave/",
        cohorts.organisation_cohort_leave,
        name="organisation-cohort-leave",
    ),
]
