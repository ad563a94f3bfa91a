"""A round's pages: running it, answering (signed in or by link), results and actions."""

from django.urls import path

from assessments.web.rounds.views import (
    actions,
    answering,
    door,
    evidence,
    go,
    group,
    links,
    moving,
    positions,
    privacy,
    read_through,
    results,
    rounds,
    trends,
)

urlpatterns = [
    # Rounds, run by a lead
    path("orgs/<slug:org>/rounds/new/", rounds.round_create, name="round-create"),
    path("orgs/<slug:org>/trends/", trends.organisation_trends, name="trends"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round-edit"),
    path("rounds/<int:pk>/status/", rounds.round_status, name="round-status"),
    path("rounds/<int:pk>/reminders/", rounds.round_reminders, name="round-reminders"),
    # Answer links, made by a lead
    path("rounds/<int:pk>/links/", links.invite_list, name="invites"),
    path("rounds/<int:pk>/links/new/<slug:batch>/", links.invite_new, name="invites-new"),
    path(
        "rounds/<int:pk>/links/new/<slug:batch>/hide/",
        links.invite_new_hide,
        name="invites-new-hide",
    ),
    path(
        "rounds/<int:pk>/links/new/<slug:batch>/links.csv",
        links.invite_new_csv,
        name="invites-new-csv",
    ),
    path(
        "rounds/<int:pk>/links/new/<slug:batch>/print/",
        links.invite_print,
        name="invites-print",
    ),
    path("rounds/<int:pk>/links/<int:invite>/send/", links.invite_send, name="invite-send"),
    path("rounds/<int:pk>/links/<int:invite>/fresh/", links.invite_fresh, name="invite-fresh"),
    path("rounds/<int:pk>/links/<int:invite>/revoke/", links.invite_revoke, name="invite-revoke"),
    # Answering: members signed in, everyone else by their personal link
    path("rounds/<int:pk>/answer/", door.member_start, name="member-start"),
    path("rounds/<int:pk>/answer/<int:page>/", answering.member_page, name="member-page"),
    path("rounds/<int:pk>/answer/save/", answering.member_autosave, name="member-autosave"),
    path("rounds/<int:pk>/answer/done/", answering.member_done, name="member-done"),
    path("rounds/<int:pk>/answer/group/", group.member_group, name="member-group"),
    path("go/", go.go, name="go"),
    path("go/easy/", go.go_easy, name="go-easy"),
    path("r/<str:token>/", door.invite_start, name="invite-start"),
    path("r/<str:token>/<int:page>/", answering.invite_page, name="invite-page"),
    path("r/<str:token>/save/", answering.invite_autosave, name="invite-autosave"),
    path("r/<str:token>/done/", answering.invite_done, name="invite-done"),
    path("r/<str:token>/privacy/", privacy.invite_privacy, name="invite-privacy"),
    path("r/<str:token>/group/", group.invite_group, name="invite-group"),
    path("r/<str:token>/move/", moving.invite_move, name="invite-move"),
    path("r/<str:token>/move/here/", moving.invite_move_here, name="invite-move-here"),
    # Results, agreed positions and actions
    path("rounds/<int:pk>/results/", results.results, name="results"),
    path(
        "rounds/<int:pk>/results/through/<slug:slug>/",
        read_through.results_through,
        name="results-through",
    ),
    path("rounds/<int:pk>/export/<slug:kind>.csv", results.export_csv, name="export-csv"),
    path("rounds/<int:pk>/report.pdf", results.report_pdf, name="report-pdf"),
    path("rounds/<int:pk>/actions.pdf", results.action_plan_pdf, name="action-plan-pdf"),
    path(
        "rounds/<int:pk>/positions/<int:statement>/",
        positions.agreed_position,
        name="agreed-position",
    ),
    path(
        "rounds/<int:pk>/positions/principle-<int:number>/",
        positions.agreed_positions,
        name="agreed-positions",
    ),
    path(
        "rounds/<int:pk>/positions/<int:statement>/evidence/new/",
        evidence.evidence_add,
        name="evidence-add",
    ),
    path(
        "rounds/<int:pk>/evidence/<int:evidence>/edit/",
        evidence.evidence_edit,
        name="evidence-edit",
    ),
    path(
        "rounds/<int:pk>/evidence/<int:evidence>/remove/",
        evidence.evidence_remove,
        name="evidence-remove",
    ),
    path(
        "rounds/<int:pk>/evidence/<int:evidence>/document/",
        evidence.evidence_document,
        name="evidence-document",
    ),
    path("rounds/<int:pk>/actions/", actions.action_list, name="actions"),
    path("rounds/<int:pk>/actions/new/", actions.action_create, name="action-create"),
    path("actions/<int:action>/edit/", actions.action_edit, name="action-edit"),
    path("actions/<int:action>/delete/", actions.action_delete, name="action-delete"),
    path("actions/<int:action>/progress/", actions.action_progress, name="action-progress"),
    path("rounds/<int:pk>/review/<int:action>/", actions.action_review, name="action-review"),
]
