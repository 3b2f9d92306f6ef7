"""Form widgets for the busiest pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    """A ``<select>`` written out in Python.

    Django's own Select renders one template per option; on the queue and
    statistics pages (about fifty options in their filters) that cost more than
    the rest of the page together (measured with ``make bench``). The markup is
    the same: ``name``, ``id`` and the other attributes, one ``<option>`` per
    choice, ``selected`` on the chosen ones, every value and label escaped.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        selected = {str(v) for v in self.format_value(value)}
        parts: list[str] = [
            format_html('<select name="{}"{}>', name, flatatt(self.build_attrs(self.attrs, attrs)))
        ]
        chosen = False

        def option(option_value: Any, label: Any) -> str:
            nonlocal chosen
            text = "" if option_value is None else str(option_value)
            # Like Select: only the first matching option is selected.
            is_chosen = not chosen and text in selected
            chosen = chosen or is_chosen
            return format_html(
                '<option value="{}"{}>{}</option>', text, " selected" if is_chosen else "", label
            )

        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(option(v, sub_label) for v, sub_label in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 (every part is escaped above)
