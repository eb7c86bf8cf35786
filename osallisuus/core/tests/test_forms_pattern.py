"""The form pattern every form gets from the project's form renderer."""

from __future__ import annotations

from django import forms

from osallisuus.core.tests.shell_html import find, one, text


class _Everything(forms.Form):
    name = forms.CharField(label="Nimi", help_text="Etu- ja sukunimi.")
    languages = forms.MultipleChoiceField(
        label="Kielet", choices=[("fi", "suomi"), ("sv", "svenska")], widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="Hyväksyn ehdot", help_text="Pakollinen.")
    nickname = forms.CharField(label="Lempinimi", required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("name") == "Väärä":
            raise forms.ValidationError("Tämä yhdistelmä ei käy.")
        return data


class _AllRequired(forms.Form):
    email = forms.EmailField(label="Sähköposti")
    password = forms.CharField(label="Salasana", widget=forms.PasswordInput)


def test_form__valid_looking_unbound__has_no_summary_and_explains_the_required_marks():
    html = str(_Everything())

    assert not find(html, "div", id="error-summary")
    assert one(html, "p", class_="form-required-note")
    marks = find(html, "span", class_="hds-text-input__required")
    assert len(marks) == 3  # name, languages, agree; the nickname is optional
    assert "required" in one(html, "input", name="name").attrs
    assert "required" not in one(html, "input", name="nickname").attrs


def test_form__all_fields_required__shows_no_marks_but_keeps_the_required_attribute():
    html = str(_AllRequired())

    assert not find(html, "p", class_="form-required-note")
    assert not find(html, "span", class_="hds-text-input__required")
    assert "required" in one(html, "input", name="email").attrs
    assert "required" in one(html, "input", name="password").attrs


def test_form__every_visible_field__has_a_label_or_a_legend():
    html = str(_Everything())

    for name in ("name", "agree", "nickname"):
        field = one(html, "input", name=name)
        assert one(html, "label", for_=field.get("id"))
    boxes = find(html, "input", name="languages")
    assert len(boxes) == 2
    fieldset = boxes[0].inside("fieldset")
    assert fieldset is not None
    assert all(b.inside("fieldset") is fieldset for b in boxes)
    assert text(next(e for e in find(html, "legend") if e.inside("fieldset") is fieldset).text).startswith("Kielet")
    for box in boxes:
        assert box.inside("label") is not None


def test_form__help_text__is_linked_to_its_field():
    html = str(_Everything())

    assert one(html, "input", name="name").get("aria-describedby") == "id_name_helptext"
    assert one(html, "input", name="agree").get("aria-describedby") == "id_agree_helptext"
    assert one(html, "p", id="id_name_helptext").text == "Etu- ja sukunimi."


def test_form__errors__are_summarised_linked_and_the_values_kept():
    form = _Everything(data={"name": "Väärä", "nickname": "Väiski", "token": ""})
    form.is_valid()
    html = str(form)

    summary = one(html, "div", id="error-summary")
    assert summary.get("role") == "alert"
    assert "autofocus" in summary.attrs
    items = [text(li.text) for li in find(html, "li") if summary in li.parents]
    assert items[0] == "Tämä yhdistelmä ei käy."  # the form's own error first
    links = [a.get("href") for a in find(html, "a") if summary in a.parents]
    assert links == ["#id_languages_0", "#id_agree"]
    assert len(items) == 4  # plus the hidden field's error, which has no field to link to

    assert one(html, "input", name="name").get("value") == "Väärä"
    assert one(html, "input", name="nickname").get("value") == "Väiski"
    agree = one(html, "input", name="agree")
    assert agree.get("aria-invalid") == "true"
    assert agree.get("aria-describedby") == "id_agree_error id_agree_helptext"
    boxes = find(html, "input", name="languages")
    assert boxes[0].inside("fieldset").get("aria-describedby") == "id_languages_error"
    assert all("aria-describedby" not in b.attrs for b in boxes)
    assert "aria-invalid" not in one(html, "input", name="nickname").attrs
