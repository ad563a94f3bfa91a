from django.contrib import admin

from .models import Framework, PracticeStatement, Principle


class PrincipleInline(admin.TabularInline):
    model = Principle
    fields = ["order", "name"]
    extra = 0
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "version", "frozen_at"]
    inlines = [PrincipleInline]

    def has_change_permission(self, request, obj=None):
        # Content is edited in principles/frameworks/*.toml and loaded with load_frameworks.
        return False


@admin.register(PracticeStatement)
class PracticeStatementAdmin(admin.ModelAdmin):
    list_display = ["code", "to_text"]
    list_select_related = ["principle"]
