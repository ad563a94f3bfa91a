"""Framework content in the admin, to look at only.

Content is written in principles/frameworks/*.toml and loaded with ``load_frameworks``,
which versions it: a framework some round has used is frozen, and new wording makes a new
version. Editing a statement or a principle here would change the words every earlier round
was answered against, and skip the version (and the results stamp that pages kept in
memory follow), so the admin shows content and changes none of it.
"""

from django.contrib import admin

from .models import Framework, PracticeStatement, Principle


class ReadOnly:
    """Admin for content that is loaded from files: viewable, never added, changed or
    deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PrincipleInline(ReadOnly, admin.TabularInline):
    model = Principle
    fields = ["order", "name"]
    extra = 0
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "slug", "version", "frozen_at"]
    inlines = [PrincipleInline]


@admin.register(PracticeStatement)
class PracticeStatementAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["code", "to_text"]
    list_select_related = ["principle"]
