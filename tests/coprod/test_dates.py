"""A date typed in three boxes: what it reads, and what it says when a box is missing or
the date cannot be."""

import datetime

import pytest
from django import forms

from coprod.dates import DateBoxesField


class Form(forms.Form):
    closes_on = DateBoxesField(noun="Closing date", label="Closing date", required=False)
    starts_on = DateBoxesField(
        noun="Start", label="Start", error_messages={"required": "Enter the day it starts."}
    )


def errors(**typed) -> dict:
    data = {"starts_on_day": "1", "starts_on_month": "9", "starts_on_year": "2026"}
    data.update(typed)
    form = Form(data)
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def test_three_boxes_make_a_date_and_none_is_no_date():
    form = Form(
        {
            "closes_on_day": " 7 ",
            "closes_on_month": "03",
            "closes_on_year": "2027",
            "starts_on_day": "1",
            "starts_on_month": "9",
            "starts_on_year": "2026",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["closes_on"] == datetime.date(2027, 3, 7)
    assert errors() == {}  # the closing date is optional


@pytest.mark.parametrize(
    "typed, message",
    [
        ({"closes_on_month": "3", "closes_on_year": "2027"}, "Closing date must include a day."),
        ({"closes_on_day": "7", "closes_on_year": "2027"}, "Closing date must include a month."),
        ({"closes_on_day": "7", "closes_on_month": "3"}, "Closing date must include a year."),
        ({"closes_on_year": "2027"}, "Closing date must include a day and month."),
        ({"closes_on_month": "3"}, "Closing date must include a day and year."),
        ({"closes_on_day": "7"}, "Closing date must include a month and year."),
        (
            {"closes_on_day": "31", "closes_on_month": "2", "closes_on_year": "2027"},
            "Closing date must be a real date, like 30 6 2026.",
        ),
        (
            {"closes_on_day": "7", "closes_on_month": "13", "closes_on_year": "2027"},
            "Closing date must be a real date, like 30 6 2026.",
        ),
        (
            {"closes_on_day": "7th", "closes_on_month": "3", "closes_on_year": "2027"},
            "Closing date must be a real date, like 30 6 2026.",
        ),
        (
            {"closes_on_day": "7", "closes_on_month": "3", "closes_on_year": "27"},
            "Closing date must have a year with 4 numbers, like 2026.",
        ),
    ],
)
def test_each_mistake_is_named(typed, message):
    assert errors(**typed) == {"closes_on": [message]}


def test_a_required_date_says_what_to_enter():
    assert errors(starts_on_day="", starts_on_month="", starts_on_year="") == {
        "starts_on": ["Enter the day it starts."]
    }


def test_the_boxes_are_labelled_and_keep_what_was_typed():
    form = Form({"closes_on_day": "31", "closes_on_month": "2", "closes_on_year": "2027"})
    html = str(form["closes_on"])
    assert '<label class="form-label" for="id_closes_on_0">Day</label>' in html
    assert '<label class="form-label" for="id_closes_on_1">Month</label>' in html
    assert '<label class="form-label" for="id_closes_on_2">Year</label>' in html
    assert 'name="closes_on_day" value="31" inputmode="numeric"' in html
    assert 'type="date"' not in html
    assert form["closes_on"].use_fieldset  # the label is the fieldset's legend
    # A date the form starts with fills the boxes.
    html = str(Form(initial={"closes_on": datetime.date(2027, 3, 7)})["closes_on"])
    assert 'value="7"' in html and 'value="3"' in html and 'value="2027"' in html
