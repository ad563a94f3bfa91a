"""A framework's levels (``principles.scopes``) in the reader's language and reading."""

from django import template

from principles.scopes import Scope, framework_scopes

register = template.Library()


@register.filter
def framework_levels(framework) -> list[Scope]:
    """The framework version's levels, in order; none for most frameworks."""
    return framework_scopes(framework)


@register.filter
def level_names(framework, easy_read: bool = False) -> str:
    """The levels' names in a list, as "The individual, The service, The organisation" (or
    their easy-read names)."""
    return ", ".join(scope.label(easy_read) for scope in framework_scopes(framework))


@register.filter
def level_label(scope: Scope, easy_read: bool) -> str:
    return scope.label(easy_read)
