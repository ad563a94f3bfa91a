"""A date typed in three boxes, Day, Month and Year (GOV.UK's date input), and the field
that reads it and says what is wrong in words a person can act on.

A browser's date picker is hard to use with a keyboard or a screen reader, and each browser
draws a different one; three labelled boxes of numbers work the same everywhere."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import get_default_renderer
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

BOXES = (("day", _("Day")), ("month", _("Month")), ("year", _("Year")))

# Which boxes are empty (by index) -> the message that names them.
MISSING = {
    (0,): "missing_day",
    (1,): "missing_month",
    (2,): "missing_year",
    (0, 1): "missing_day_month",
    (0, 2): "missing_day_year",
    (1, 2): "missing_month_year",
}


class DateBoxes(forms.MultiWidget):
    """Three labelled boxes in a row; each box's id ends ``_0``, ``_1``, ``_2`` and its
    name ``_day``, ``_month``, ``_year``. The field's own label is the fieldset's legend."""

    def __init__(self, attrs=None):
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            name: forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": f"date-input-{name}",
                    "maxlength": "4" if name == "year" else "2",
                    "size": "4" if name == "year" else "2",
                }
            )
            for name, _label in BOXES
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def render(self, name, value, attrs=None, renderer=None):
        renderer = renderer or get_default_renderer()
        subwidgets = self.get_context(name, value, attrs)["widget"]["subwidgets"]
        return format_html(
            '<div class="date-input">{}</div>',
            format_html_join(
                "",
                '<div class="date-input-item"><label class="form-label" for="{}">{}</label>{}'
                "</div>",
                (
                    (
                        sub["attrs"]["id"],
                        label,
                        mark_safe(renderer.render(sub["template_name"], {"widget": sub})),  # noqa: S308 (Django's widget template),
                    )
                    for sub, (_name, label) in zip(subwidgets, BOXES, strict=True)
                ),
            ),
        )


class DateBoxesField(forms.MultiValueField):
    """A date from three boxes. ``noun`` names the date in messages, as a sentence starts:
    "Closing date must include a month"."""

    widget = DateBoxes
    default_error_messages = {
        "required": _("Enter a date."),
        "missing_day": _("%(noun)s must include a day."),
        "missing_month": _("%(noun)s must include a month."),
        "missing_year": _("%(noun)s must include a year."),
        "missing_day_month": _("%(noun)s must include a day and month."),
        "missing_day_year": _("%(noun)s must include a day and year."),
        "missing_month_year": _("%(noun)s must include a month and year."),
        "year_digits": _("%(noun)s must have a year with 4 numbers, like 2026."),
        "invalid": _("%(noun)s must be a real date, like 30 6 2026."),
    }

    def __init__(self, *, noun, **kwargs):
        self.noun = noun
        boxes = tuple(forms.CharField(required=False) for _box in BOXES)
        super().__init__(boxes, require_all_fields=False, **kwargs)

    def _error(self, key: str, part: int = 0) -> ValidationError:
        # ``part``: the box to put the cursor in, for the error summary's link.
        return ValidationError(
            self.error_messages[key], code=key, params={"noun": self.noun, "part": part}
        )

    def clean(self, value):
        if self.disabled and not isinstance(value, list | tuple):
            value = DateBoxes().decompress(value)
        typed = [
            str(v).strip() if v is not None else "" for v in (list(value or []) + [""] * 3)[:3]
        ]
        if not any(typed):
            if self.required:
                raise self._error("required")
            return None
        missing = tuple(i for i, box in enumerate(typed) if not box)
        if missing:
            raise self._error(MISSING[missing], missing[0])
        for i, box in enumerate(typed):
            if not box.isdigit():
                raise self._error("invalid", i)
        day, month, year = typed
        if len(year) != 4:
            raise self._error("year_digits", 2)
        try:
            date = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise self._error("invalid", 1 if not 1 <= int(month) <= 12 else 0) from None
        self.validate(date)
        self.run_validators(date)
        return date

    def compress(self, data_list):  # clean() above builds the date itself
        raise NotImplementedError

    def has_changed(self, initial, data):
        try:
            return self.clean(data) != initial
        except ValidationError:
            return True
