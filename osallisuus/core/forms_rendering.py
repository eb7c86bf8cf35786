"""The form pattern: HDS markup, errors linked to fields, an error summary announced on load.

Every form in the project renders through this renderer (settings.FORM_RENDERER), so a
module's form gets, with no extra work:

* a label for every field, and radio and checkbox groups in a ``<fieldset>`` with a ``<legend>``;
* ``aria-invalid`` on a field with an error and ``aria-describedby`` pointing at its error
  and hint (on the ``<fieldset>`` for groups);
* an error summary at the top that links to each field with an error; it gets the focus on
  load (``autofocus``, and ``static/js/app.js`` after an htmx swap) so a screen reader announces it;
* the submitted values kept after an error (Django's bound forms);
* the error summary names the field of each error ("Sähköposti: Tämä kenttä vaaditaan");
* selects styled like the other inputs, their empty choice reading "Valitse…" instead of
  Django's "---------" (``templates/django/forms/widgets/select_option.html``);
* required marks explained: when a form has both required and optional fields, the required
  ones are marked with an asterisk and a note above the fields says what it means. The
  ``required`` attribute tells screen readers in every case (the forms use ``novalidate``, so the
  browser's own bubbles do not replace our messages).
"""

from __future__ import annotations

from typing import Any

from django.forms import BoundField
from django.forms.renderers import TemplatesSetting


def has_mixed_requirements(form: Any) -> bool:
    """True when some visible fields are required and some are not (then the marks are shown)."""
    flags = {bool(field.field.required) for field in form.visible_fields()}
    return flags == {True, False}


class AccessibleBoundField(BoundField):
    @property
    def aria_describedby(self) -> str | None:
        """The ids of the error and the hint, error first (Django's order is hint first).

        Django puts this on the input; a group (``use_fieldset``) gets it on its ``<fieldset>``.
        """
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.errors:
                ids.append(f"{self.auto_id}_error")
            if self.help_text:
                ids.append(f"{self.auto_id}_helptext")
        return " ".join(ids)

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors:
            attrs["aria-invalid"] = "true"
        input_type = getattr(widget, "input_type", None)
        if input_type == "checkbox" and not getattr(widget, "allow_multiple_selected", False):
            css = "hds-checkbox__input"
        elif input_type in {"radio", "checkbox"}:
            css = ""
        elif input_type == "select":
            css = "hds-text-input__input form-select"
        else:
            css = "hds-text-input__input"
        if css:
            attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
        return attrs

    @property
    def error_anchor_id(self) -> str:
        """The id the error summary links to: the field itself, or the first option of a group."""
        if self.use_fieldset and self.auto_id:
            return f"{self.auto_id}_0"
        return self.id_for_label or self.auto_id or ""

    @property
    def show_required_mark(self) -> bool:
        return bool(self.field.required) and has_mixed_requirements(self.form)


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = AccessibleBoundField

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == self.form_template_name and "form" in context:
            context = {**context, "marks_required": has_mixed_requirements(context["form"])}
        return super().render(template_name, context, request=request)
