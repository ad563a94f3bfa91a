"""A cohort's pages for its facilitator, and an organisation's view of its cohorts."""

from django.urls import path

from assessments.web.cohorts.views import cohorts, dashboard, membership, movement

urlpatterns = [
    # Cohorts: run by a facilitator, joined by organisations
    path("cohorts/", cohorts.cohort_list, name="cohorts"),
    path("cohorts/new/", cohorts.cohort_create, name="cohort-create"),
    path("cohorts/<int:pk>/", dashboard.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/edit/", cohorts.cohort_edit, name="cohort-edit"),
    path("cohorts/<int:pk>/movement/", movement.cohort_movement_page, name="cohort-movement"),
    path(
        "cohorts/<int:pk>/organisations/",
        cohorts.cohort_organisations,
        name="cohort-organisations",
    ),
    path(
        "cohorts/<int:pk>/invitations/<int:invitation>/resend/",
        cohorts.cohort_invitation_resend,
        name="cohort-invitation-resend",
    ),
    path(
        "cohorts/<int:pk>/invitations/<int:invitation>/cancel/",
        cohorts.cohort_invitation_cancel,
        name="cohort-invitation-cancel",
    ),
    path("cohorts/<int:pk>/remind/", cohorts.cohort_remind, name="cohort-remind"),
    path("cohorts/<int:pk>/heat-map.csv", dashboard.cohort_export_csv, name="cohort-csv"),
    path("cohorts/<int:pk>/summary.pdf", dashboard.cohort_report_pdf, name="cohort-pdf"),
    path("cohort-invitations/<int:pk>/", membership.cohort_invitation, name="cohort-invitation"),
    path(
        "cohort-invitations/<int:pk>/<str:token>/",
        membership.cohort_invitation,
        name="cohort-invitation-link",
    ),
    path(
        "orgs/<slug:org>/cohort-invitations/<int:pk>/",
        membership.organisation_invitation_answer,
        name="organisation-cohort-invitation",
    ),
    path(
        "orgs/<slug:org>/cohorts/<int:pk>/",
        membership.organisation_cohort,
        name="organisation-cohort",
    ),
    path(
        "orgs/<slug:org>/cohorts/<int:pk>/name/",
        membership.organisation_cohort_name,
        name="organisation-cohort-name",
    ),
    path(
        "orgs/<slug:org>/cohorts/<int:pk>/leave/",
        membership.organisation_cohort_leave,
        name="organisation-cohort-leave",
    ),
]
