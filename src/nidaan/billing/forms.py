"""Forms of the billing pages; the JSON API validates through the same ones."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from nidaan.billing.gstin import validate_gstin
from nidaan.billing.models import CatalogueEntry, EntryKind, GstProfile, PaymentMode, Taxability
from nidaan.billing.money import rupees
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


class EntryChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Catalogue entries as the counter reads them: name (Hindi on Hindi pages), SAC/HSN
    and price in Indian grouping."""

    def label_from_instance(self, obj: Any) -> str:
        hindi = (translation.get_language() or "").startswith("hi")
        name = obj.name_hi if hindi and obj.name_hi else obj.name
        return f"{name} · {obj.code} · {rupees(obj.price)}"


class LineForm(forms.Form):
    entry = EntryChoiceField(label=_("Item or service"), queryset=CatalogueEntry.objects.none())
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


_VPA = re.compile(r"^[A-Za-z0-9.\-_]{2,256}@[A-Za-z]{2,64}$")
_SAC = re.compile(r"^99\d{4}$")
_HSN = re.compile(r"^\d{4}(\d{2}){0,2}$")


class GstProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = GstProfile
        fields = [
            "registered",
            "gstin",
            "legal_name",
            "trade_name",
            "state",
            "composition",
            "upi_vpa",
            "upi_payee_name",
            "round_off",
        ]

    def clean_gstin(self) -> str:
        value: str = self.cleaned_data.get("gstin", "")
        if not self.data.get("registered") or not value.strip():
            return value.strip()
        try:
            return validate_gstin(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_upi_vpa(self) -> str:
        value: str = self.cleaned_data.get("upi_vpa", "").strip()
        if value and not _VPA.match(value):
            raise forms.ValidationError(_("A UPI ID looks like name@bank."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("registered"):
            if not data.get("gstin"):
                self.add_error("gstin", _("A registered clinic prints its GSTIN on every bill."))
            elif data.get("state") and data["gstin"][:2] != data["state"]:
                self.add_error("gstin", _("The GSTIN's state code is not the clinic's state."))
            if not data.get("legal_name"):
                self.add_error("legal_name", _("Enter the legal name as registered."))
        return data


class CatalogueEntryForm(forms.ModelForm):  # type: ignore[type-arg]
    """A new catalogue entry; a taxable one with its GST rate and the date it applies from."""

    rate = forms.DecimalField(
        label=_("GST rate (%)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(40),
        max_digits=5,
        decimal_places=2,
    )
    effective_from = forms.DateField(label=_("effective from"), required=False)

    class Meta:
        model = CatalogueEntry
        fields = [
            "kind",
            "name",
            "name_hi",
            "code",
            "unit",
            "taxability",
            "price",
            "price_includes_tax",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("code", "")
        if data.get("kind") == EntryKind.ITEM:
            if code and not _HSN.match(code):
                self.add_error("code", _("An HSN code has 4, 6 or 8 digits."))
        elif code and not _SAC.match(code):
            self.add_error("code", _("A SAC for services has 6 digits starting with 99."))
        if data.get("taxability") == Taxability.TAXABLE:
            if data.get("rate") is None:
                self.add_error("rate", _("Enter the GST rate of a taxable entry."))
            if data.get("effective_from") is None:
                self.add_error("effective_from", _("Enter the date the rate applies from."))
        return data


class TaxRateForm(forms.Form):
    rate = forms.DecimalField(
        label=_("GST rate (%)"),
        min_value=Decimal(0),
        max_value=Decimal(40),
        max_digits=5,
        decimal_places=2,
    )
    effective_from = forms.DateField(label=_("effective from"))


class EntryPriceForm(forms.Form):
    price = forms.DecimalField(label=_("price"), min_value=Decimal(0), **MONEY_FIELD)
    active = forms.BooleanField(label=_("in use"), required=False)


class AdvanceForm(forms.Form):
    """Money taken in advance, or an advance paid back."""

    mode = forms.ChoiceField(label=_("Paid by"), choices=TAKEN_MODES)
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), **MONEY_FIELD)
    reference = forms.CharField(label=_("Reference (UPI or card)"), required=False, max_length=100)
