"""How every form field of the portal is drawn: label, hint, errors tied to the input,
and checkbox groups as a fieldset with a legend (``templates/includes/field.html``).

Templates write ``{{ form.field.as_field_group }}``; the project's own template engine
finds the field template, and Django's widget templates through ``django.forms``.
"""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    field_template_name = "includes/field.html"
