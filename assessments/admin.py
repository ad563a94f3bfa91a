from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from assessments.accounts.models import User
from assessments.errors import ServiceError
from assessments.library.models import OwnFramework
from assessments.library.services import own_framework_share


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal details", {"fields": ["full_name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = ["groups"]


@admin.register(OwnFramework)
class OwnFrameworkAdmin(admin.ModelAdmin):
    """Frameworks made on the site, to read and to add to the shared library; their owners
    write them on their own pages."""

    list_display = ["__str__", "slug", "organisation", "cohort", "published_at"]
    list_select_related = ["organisation", "cohort"]
    readonly_fields = [
        "organisation",
        "cohort",
        "name",
        "slug",
        "created_by",
        "published_at",
    ]
    exclude = ["text"]
    actions = ["share"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Add to the shared library (every version)")
    def share(self, request, queryset):
        for own in queryset.select_related("organisation", "cohort"):
            try:
                own_framework_share(own=own, by=request.user)
            except ServiceError as exc:
                self.message_user(request, f"{own}: {exc}", messages.ERROR)
            else:
                self.log_change(request, own, "Added to the shared library.")
                self.message_user(request, f"{own} is now in the shared library.")
