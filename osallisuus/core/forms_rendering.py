"""The form pattern: HDS markup, errors linked to fields, an error summary announced on load.

Every form in the project renders through this renderer (settings.FORM_RENDERER), so a
module's form gets labels, hints, ``aria-describedby`` pointing at its error and hint,
``aria-invalid`` and the submitted values kept, with no extra work.
"""

from __future__ import annotations

from typing import Any

from django.forms import BoundField
from django.forms.renderers import TemplatesSetting


class AccessibleBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        described = []
        if self.errors:
            described.append(f"{self.auto_id}_error")
            attrs["aria-invalid"] = "true"
        if self.help_text:
            described.append(f"{self.auto_id}_helptext")
        if described and not self.use_fieldset:
            attrs["aria-describedby"] = " ".join(described)
        input_type = getattr(widget, "input_type", None)
        if input_type == "checkbox" and not getattr(widget, "allow_multiple_selected", False):
            css = "hds-checkbox__input"
        elif input_type in {"radio", "checkbox"}:
            css = ""
        else:
            css = "hds-text-input__input"
        if css:
            attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
        return attrs


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = AccessibleBoundField
