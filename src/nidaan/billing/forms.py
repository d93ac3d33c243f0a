"""Forms of the billing pages; the JSON API validates through the same ones."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nidaan.billing.gstin import validate_gstin
from nidaan.billing.models import CatalogueEntry, PaymentMode
from nidaan.clinics.states import State

MONEY_FIELD: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}
TAKEN_MODES = [(m.value, m.label) for m in PaymentMode if m != PaymentMode.ADVANCE]


class RecipientForm(forms.Form):
    """Who the bill is made out to, beyond the patient: a registered buyer's GSTIN."""

    payer_gstin = forms.CharField(label=_("Buyer's GSTIN"), required=False, max_length=20)
    payer_name = forms.CharField(label=_("Buyer's name"), required=False, max_length=200)
    payer_address = forms.CharField(label=_("Buyer's address"), required=False, max_length=400)
    place_of_supply = forms.ChoiceField(
        label=_("Place of supply"), required=False, choices=[("", "—"), *State.choices]
    )

    def clean_payer_gstin(self) -> str:
        value: str = self.cleaned_data.get("payer_gstin", "")
        if not value.strip():
            return ""
        try:
            return validate_gstin(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class LineForm(forms.Form):
    entry = forms.ModelChoiceField(
        label=_("Item or service"), queryset=CatalogueEntry.objects.none()
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        min_value=Decimal("0.001"),
        max_digits=12,
        decimal_places=3,
        initial=1,
    )
    discount = forms.DecimalField(
        label=_("Discount"), min_value=Decimal(0), required=False, **MONEY_FIELD
    )

    def __init__(self, *args: Any, organisation_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entries = CatalogueEntry.objects.filter(organisation_id=organisation_id, active=True)
        self.fields["entry"].queryset = entries.order_by("kind", "name")  # type: ignore[attr-defined]


class PaymentForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Paid by"),
        choices=TAKEN_MODES + [(PaymentMode.ADVANCE.value, PaymentMode.ADVANCE.label)],
    )
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), **MONEY_FIELD)
    reference = forms.CharField(label=_("Reference (UPI or card)"), required=False, max_length=100)


class CreditNoteForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    refund_mode = forms.ChoiceField(
        label=_("Pay back now by"), required=False, choices=[("", "—"), *TAKEN_MODES]
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CashCountForm(forms.Form):
    counted = forms.DecimalField(label=_("Cash counted"), min_value=Decimal(0), **MONEY_FIELD)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
