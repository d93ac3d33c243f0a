"""Billing data: the catalogue and its GST rates, the clinic's GST profile, issued
documents with their lines, cancellations, payments and cash counts.

Every row is synced. Issued documents, their lines, rates, cancellations and payments
are append-only: a document is never changed after issue; a mistake is corrected by a
credit note, a cancellation is its own row and the number stays used. The catalogue
and the GST profile are settings and merge per field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nidaan.clinics.models import Facility, Organisation
from nidaan.clinics.states import State
from nidaan.core.synced import MergePolicy, SyncedModel
from nidaan.patients.models import Patient

# Union territories without a legislature levy UTGST instead of SGST (UTGST Act 2017 s.2).
UTGST_STATES = frozenset({"04", "26", "31", "35", "38", "97"})


class EntryKind(models.TextChoices):
    SERVICE = "service", _("Service")
    ITEM = "item", _("Item")
    PACKAGE = "package", _("Package")


class Taxability(models.TextChoices):
    TAXABLE = "taxable", _("Taxable")
    # Health care by a clinical establishment (Notification 12/2017-CT(R) S.No. 74).
    EXEMPT = "exempt", _("Exempt")
    NIL = "nil", _("Nil rated")


class GstProfile(SyncedModel):
    """The clinic's GST standing: registered (with GSTIN) or not, composition or not."""

    merge_policy = MergePolicy.LAST_WRITER_WINS

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="gst_profile"
    )
    registered = models.BooleanField(_("registered for GST"), default=False)
    gstin = models.CharField(_("GSTIN"), max_length=15, blank=True)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=2, choices=State.choices)
    composition = models.BooleanField(_("composition scheme"), default=False)
    upi_vpa = models.CharField(_("UPI ID (VPA)"), max_length=100, blank=True)
    upi_payee_name = models.CharField(_("UPI payee name"), max_length=100, blank=True)
    round_off = models.BooleanField(_("round bills to the rupee"), default=True)

    def __str__(self) -> str:
        return f"{self.legal_name or self.organisation_id} ({self.gstin or 'unregistered'})"

    @property
    def org_scope(self) -> Any:
        return self.organisation_id

    @property
    def charges_tax(self) -> bool:
        """Registered and not under composition: the only kind that collects GST."""
        return self.registered and not self.composition


class CatalogueEntry(SyncedModel):
    """A service (with SAC), an item (with HSN and unit) or a package the clinic bills."""

    merge_policy = MergePolicy.LAST_WRITER_WINS

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    name = models.CharField(_("name (English)"), max_length=200)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)
    code = models.CharField(_("SAC / HSN"), max_length=8)
    # GST unit quantity code (UQC): NOS, STR (strip), BTL, ML...; services use NA.
    unit = models.CharField(_("unit"), max_length=8, default="NOS")
    taxability = models.CharField(_("GST status"), max_length=10, choices=Taxability.choices)
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2)
    price_includes_tax = models.BooleanField(_("price includes GST"), default=False)
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "kind", "name"], name="bill_cat_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_service(self) -> bool:
        return self.kind != EntryKind.ITEM


class TaxRate(SyncedModel):
    """The GST rate of a catalogue entry from a date on; the bill's date picks the rate."""

    merge_policy = MergePolicy.APPEND_ONLY

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(CatalogueEntry, on_delete=models.PROTECT, related_name="rates")
    rate = models.DecimalField(_("GST rate (%)"), max_digits=5, decimal_places=2)
    effective_from = models.DateField(_("effective from"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["entry", "effective_from"], name="bill_rate_idx")]

    def __str__(self) -> str:
        return f"{self.rate}% from {self.effective_from}"


class DocumentType(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    BILL_OF_SUPPLY = "bill_of_supply", _("Bill of supply")
    TAX_INVOICE = "tax_invoice", _("Tax invoice")
    INVOICE_CUM_BILL = "invoice_cum_bill", _("Invoice-cum-bill of supply")
    CREDIT_NOTE = "credit_note", _("Credit note")
    REFUND = "refund", _("Refund")


CORRECTIONS = (DocumentType.CREDIT_NOTE, DocumentType.REFUND)


class Bill(SyncedModel):
    """An issued document. Never changed: totals and the supplier's particulars are
    copied in at issue so the document reads the same forever."""

    merge_policy = MergePolicy.APPEND_ONLY

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    node_id = models.UUIDField()
    doc_type = models.CharField(max_length=20, choices=DocumentType.choices)
    # The number is `series` + zero-padded `serial`; the series names node, kind and year.
    series = models.CharField(max_length=14)
    serial = models.PositiveIntegerField()
    number = models.CharField(max_length=16)
    financial_year = models.CharField(max_length=7)  # "2025-26"
    issued_on = models.DateField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_address = models.CharField(max_length=400, blank=True)
    recipient_state = models.CharField(max_length=2, blank=True)
    recipient_gstin = models.CharField(max_length=15, blank=True)
    place_of_supply = models.CharField(max_length=2)
    supplier_name = models.CharField(max_length=200)
    supplier_trade_name = models.CharField(max_length=200, blank=True)
    supplier_address = models.CharField(max_length=400)
    supplier_state = models.CharField(max_length=2)
    supplier_gstin = models.CharField(max_length=15, blank=True)
    composition = models.BooleanField(default=False)
    reverse_charge = models.BooleanField(default=False)
    # A credit note or refund names the document it corrects (Rule 53(1A)(g)).
    original = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    reason = models.CharField(max_length=300, blank=True)
    gross = models.DecimalField(max_digits=14, decimal_places=2)
    discount = models.DecimalField(max_digits=14, decimal_places=2)
    taxable_value = models.DecimalField(max_digits=14, decimal_places=2)
    exempt_value = models.DecimalField(max_digits=14, decimal_places=2)
    nil_value = models.DecimalField(max_digits=14, decimal_places=2)
    cgst = models.DecimalField(max_digits=14, decimal_places=2)
    sgst = models.DecimalField(max_digits=14, decimal_places=2)
    igst = models.DecimalField(max_digits=14, decimal_places=2)
    round_off = models.DecimalField(max_digits=14, decimal_places=2)
    total = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "series", "serial"], name="bill_series_serial_uniq"
            ),
            models.UniqueConstraint(
                fields=["organisation", "financial_year", "number"], name="bill_number_uniq"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "issued_on"], name="bill_day_idx"),
            models.Index(fields=["patient", "issued_on"], name="bill_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number}"

    @property
    def inter_state(self) -> bool:
        return self.place_of_supply != self.supplier_state

    @property
    def sgst_label(self) -> str:
        return "UTGST" if self.supplier_state in UTGST_STATES else "SGST"

    @property
    def is_correction(self) -> bool:
        return self.doc_type in CORRECTIONS

    @property
    def b2b(self) -> bool:
        return bool(self.recipient_gstin)


class BillLine(SyncedModel):
    merge_policy = MergePolicy.APPEND_ONLY

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField()
    entry = models.ForeignKey(
        CatalogueEntry, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # On a credit note: the line of the original it credits.
    original_line = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="credits", null=True, blank=True
    )
    description = models.CharField(max_length=200)
    description_hi = models.CharField(max_length=200, blank=True)
    code = models.CharField(max_length=8)
    is_service = models.BooleanField()
    unit = models.CharField(max_length=8)
    quantity = models.DecimalField(max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(max_digits=14, decimal_places=2)
    price_includes_tax = models.BooleanField()
    taxability = models.CharField(max_length=10, choices=Taxability.choices)
    rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    gross = models.DecimalField(max_digits=14, decimal_places=2)
    discount = models.DecimalField(max_digits=14, decimal_places=2)
    # Value of supply after discount: the taxable value of a taxed line (Rule 46(k)).
    value = models.DecimalField(max_digits=14, decimal_places=2)
    cgst = models.DecimalField(max_digits=14, decimal_places=2)
    sgst = models.DecimalField(max_digits=14, decimal_places=2)
    igst = models.DecimalField(max_digits=14, decimal_places=2)
    total = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.description} × {self.quantity}"

    @property
    def tax(self) -> Decimal:
        return self.cgst + self.sgst + self.igst


class BillCancellation(SyncedModel):
    """A cancelled document keeps its number; GSTR-1 Table 13 counts it as cancelled."""

    merge_policy = MergePolicy.APPEND_ONLY

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    bill = models.OneToOneField(Bill, on_delete=models.PROTECT, related_name="cancellation")
    reason = models.CharField(max_length=300)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"cancellation of {self.bill_id}"


class PaymentMode(models.TextChoices):
    CASH = "cash", _("Cash")
    UPI = "upi", _("UPI")
    CARD = "card", _("Card")
    OTHER = "other", _("Other")
    # Paid out of the patient's advance deposit: no money changes hands today.
    ADVANCE = "advance", _("From advance")


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    ADVANCE = "advance", _("Advance deposit")
    REFUND = "refund", _("Refund")


class Payment(SyncedModel):
    """Money received (a payment against a bill, an advance) or paid back (a refund)."""

    merge_policy = MergePolicy.APPEND_ONLY

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # A payment names the bill it pays; a refund the credit note it pays out; an
    # advance deposit (or its refund) names none.
    bill = models.ForeignKey(
        Bill, on_delete=models.PROTECT, related_name="payments", null=True, blank=True
    )
    kind = models.CharField(max_length=10, choices=PaymentKind.choices)
    mode = models.CharField(max_length=10, choices=PaymentMode.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    reference = models.CharField(max_length=100, blank=True)
    day = models.DateField()
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "day"], name="pay_day_idx"),
            models.Index(fields=["patient", "day"], name="pay_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.mode} {self.amount}"

    @property
    def signed_amount(self) -> Decimal:
        """Into the drawer positive, out of it negative."""
        return -self.amount if self.kind == PaymentKind.REFUND else self.amount


class CashCount(SyncedModel):
    """A user's day-end count of their cash drawer against what the day's entries expect."""

    merge_policy = MergePolicy.APPEND_ONLY

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField()
    expected = models.DecimalField(max_digits=14, decimal_places=2)
    counted = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"cash count {self.day} {self.counted}"

    @property
    def difference(self) -> Decimal:
        return self.counted - self.expected
