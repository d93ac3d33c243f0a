from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nidaan.clinics.models import Facility


class EnrolmentCodeForm(forms.Form):
    facility = forms.ModelChoiceField(queryset=Facility.objects.none(), label=_("Branch"))

    def __init__(self, *args: Any, organisation_id: uuid.UUID, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["facility"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = Facility.objects.filter(organisation_id=organisation_id).order_by("name")
