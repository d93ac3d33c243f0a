from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureRequestForm(forms.Form):
    note = forms.CharField(
        label=_("What the patient asked (their words, and how they asked)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class EmergencyAccessForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you need this patient's record now"),
        widget=forms.Textarea(attrs={"rows": 2}),
        min_length=10,
        max_length=500,
    )


class BreachForm(forms.Form):
    became_aware_at = forms.DateTimeField(
        label=_("When the clinic became aware"), input_formats=["%d-%m-%Y %H:%M"]
    )
    what_happened = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    window_start = forms.DateTimeField(
        label=_("Records touched from"), input_formats=["%d-%m-%Y %H:%M"]
    )
    window_end = forms.DateTimeField(
        label=_("Records touched until"), input_formats=["%d-%m-%Y %H:%M"]
    )
    suspect_username = forms.CharField(
        label=_("Account used (if known)"), max_length=150, required=False
    )
    likely_consequences = forms.CharField(
        label=_("Likely consequences for patients"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    mitigation = forms.CharField(
        label=_("What the clinic has done, and what patients can do"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    contact = forms.CharField(label=_("Contact for questions"), max_length=300)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", _("The end is before the start."))
        return data
