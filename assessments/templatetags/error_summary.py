"""The error summary every page shows above its content when a form on it was sent back
with errors (GOV.UK's pattern): "There is a problem", then each error as a link to the
field it is about. base.html finds the forms itself, so no page has to remember to."""

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class SummaryError:
    message: str
    anchor: str  # the id of the control to put the cursor in; "" when there is none


def _control_id(bound: forms.BoundField, part: int = 0) -> str:
    """The id of the control a link to ``bound`` should reach: the input itself, or for
    radios, checkboxes and date boxes the first one (``part``: which box of a date)."""
    widget = bound.field.widget
    id_ = widget.attrs.get("id") or bound.auto_id
    if not id_:
        return ""
    if isinstance(widget, forms.MultiWidget):
        return f"{id_}_{part}"
    return widget.id_for_label(id_) or f"{id_}_0"


def _first_control(form: forms.BaseForm) -> str:
    for bound in form.visible_fields():
        return _control_id(bound)
    return ""


def summary_errors(form: forms.BaseForm) -> list[SummaryError]:
    """Each error of ``form`` in the order of its fields, those about no one field (and
    hidden fields') first, linked to the form's first field."""
    data = form.errors.as_data()
    first = _first_control(form)
    found = [SummaryError(str(message), first) for message in form.non_field_errors()]
    for bound in form.hidden_fields():
        found += [SummaryError(str(message), first) for message in bound.errors]
    for bound in form.visible_fields():
        for error in data.get(bound.name, []):
            part = error.params.get("part", 0) if isinstance(error.params, dict) else 0
            found += [SummaryError(str(message), _control_id(bound, part)) for message in error]
    return found


@register.simple_tag(takes_context=True)
def forms_in_error(context) -> list[forms.BaseForm]:
    """The forms the view gave the page that were sent back with errors, in the order it
    gave them (a form it named twice counts once). A form with no field to see is left
    out: nobody filled it in (allauth binds its security-key form beside the code's)."""
    seen: dict[int, forms.BaseForm] = {}
    for value in context.flatten().values():
        if (
            isinstance(value, forms.BaseForm)
            and value.is_bound
            and value.errors
            and value.visible_fields()
        ):
            seen.setdefault(id(value), value)
    return list(seen.values())


@register.inclusion_tag("_error_summary.html")
def error_summary(error_forms: list[forms.BaseForm]) -> dict:
    errors = [error for form in error_forms for error in summary_errors(form)]
    return {"summary_errors": errors}
