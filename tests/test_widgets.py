"""FastSelect writes the same markup as Django's Select, without a template per option."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms

from appeals.forms.review import QueueFilterForm
from appeals.forms.widgets import FastSelect

CHOICES = [("", "All"), ("x<", 'Ex & <b>"quoted"</b>'), ("y", "Why"), (3, "Three")]


class _Canonical(HTMLParser):
    """Tags with their attributes sorted, and text: equal for equivalent markup."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[object] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append((tag, sorted(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.items.append(("/", tag))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.items.append(data)


def _normalise(html: str) -> list[object]:
    parser = _Canonical()
    parser.feed(str(html))
    return parser.items


@pytest.mark.parametrize("value", ["", "x<", "y", "3", "not-a-choice"])
def test_fast_select_renders_what_the_stock_select_renders(value: str) -> None:
    class Stock(forms.Form):
        field = forms.ChoiceField(choices=CHOICES, required=False)

    class Fast(forms.Form):
        field = forms.ChoiceField(choices=CHOICES, required=False, widget=FastSelect)

    stock, fast = Stock({"field": value})["field"], Fast({"field": value})["field"]
    assert _normalise(str(fast)) == _normalise(str(stock))
    assert "<b>" not in str(fast)


def test_fast_select_keeps_grouped_choices_and_extra_attributes() -> None:
    grouped = [("Fruit", [("a", "Apple"), ("b", "Banana")]), ("c", "Carrot")]

    class Stock(forms.Form):
        field = forms.ChoiceField(
            choices=grouped, widget=forms.Select(attrs={"aria-describedby": "hint"})
        )

    class Fast(forms.Form):
        field = forms.ChoiceField(
            choices=grouped, widget=FastSelect(attrs={"aria-describedby": "hint"})
        )

    assert _normalise(str(Fast({"field": "b"})["field"])) == _normalise(
        str(Stock({"field": "b"})["field"])
    )


@pytest.mark.django_db
def test_the_queue_filters_use_it() -> None:
    form = QueueFilterForm()
    assert all(isinstance(field.widget, FastSelect) for field in form.fields.values())
