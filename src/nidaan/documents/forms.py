"""The upload form, used by the upload page and the API alike."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nidaan.documents import filetypes
from nidaan.documents.models import DocumentKind
from nidaan.documents.uploads import check_upload
from nidaan.encounters.models import Encounter
from nidaan.patients.models import Patient

_NO_FILE = _("Choose the report's file, or take a photo of it.")


class DocumentUploadForm(forms.Form):
    # Two inputs: one opens the file chooser, the other the phone's or tablet's camera.
    # Emptiness is checked by check_upload, so its message is the one people see.
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG)"),
        required=False,
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": filetypes.ACCEPT}),
    )
    photo = forms.FileField(
        label=_("Or take a photo"),
        required=False,
        allow_empty_file=True,
        widget=forms.FileInput(
            attrs={"accept": f"{filetypes.JPEG},{filetypes.PNG}", "capture": "environment"}
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=DocumentKind.choices,
        initial=DocumentKind.LAB_REPORT,
        required=False,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("For example: CBC, chest X-ray, thyroid profile"),
    )
    encounter = forms.ModelChoiceField(
        queryset=Encounter.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("That visit is not one of this patient's visits.")},
    )

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        encounter_field = cast("forms.ModelChoiceField[Encounter]", self.fields["encounter"])
        encounter_field.queryset = Encounter.objects.filter(patient=patient)

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or DocumentKind.LAB_REPORT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [f for f in (cleaned.get("file"), cleaned.get("photo")) if f is not None]
        if len(chosen) > 1:
            self.add_error("file", _("Choose either a file or a photo, not both."))
        elif not chosen:
            self.add_error("file", _NO_FILE)
        else:
            upload = chosen[0]
            try:
                cleaned["content_type"] = check_upload(upload)
            except ValidationError as refusal:
                self.add_error("file", refusal)
            else:
                cleaned["upload"] = upload
        return cleaned


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this document wrong?"),
        max_length=300,
        help_text=_("For example: another patient's report, or uploaded twice"),
        error_messages={"required": _("Write why, so the history shows it.")},
    )
