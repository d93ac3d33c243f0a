"""Billing pages: today's bills, a new bill, the bill with its payments, UPI QR, printouts,
credit note and cancel; the day-end; the month's returns. Thin adapters over
billing.actions; every write is a POST."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nidaan.accounts.decorators import requires, staff_user
from nidaan.accounts.models import User
from nidaan.audit.record import Origin
from nidaan.billing import actions, queries, reports
from nidaan.billing.actions import BillingError, LineRequest, Recipient
from nidaan.billing.forms import (
    AdvanceForm,
    CancelForm,
    CashCountForm,
    CatalogueEntryForm,
    CreditNoteForm,
    EntryPriceForm,
    GstProfileForm,
    LineForm,
    PaymentForm,
    RecipientForm,
    TaxRateForm,
)
from nidaan.billing.models import CORRECTIONS, Bill, CatalogueEntry, PaymentMode, TaxRate
from nidaan.billing.money import rupees
from nidaan.billing.pdf import SIZES, pdf_response
from nidaan.billing.presenting import bill_json
from nidaan.billing.upi import qr_svg
from nidaan.core.permissions import Perm, user_has
from nidaan.patients.models import Patient
from nidaan.patients.search import search_patients
from nidaan.printing import LANGUAGES

LineFormSet = formset_factory(LineForm, extra=6, max_num=30)


def _bill_of(user: User, bill_id: uuid.UUID) -> Bill:
    return get_object_or_404(
        Bill.objects.select_related("original", "organisation", "facility", "patient"),
        pk=bill_id,
        organisation_id=user.organisation_uuid,
    )


def _patient_from_query(user: User, value: str | None) -> Patient | None:
    if not value:
        return None
    try:
        patient_id = uuid.UUID(value)
    except ValueError as error:
        raise Http404("no such patient") from error
    return get_object_or_404(
        Patient, pk=patient_id, organisation_id=user.organisation_uuid, entered_in_error=False
    )


def _day(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError as error:
        raise Http404("no such day") from error


@requires(Perm.BILL_ISSUE)
def bills_view(request: HttpRequest) -> HttpResponse:
    """The day's documents at this branch, newest first."""
    user = staff_user(request)
    day = _day(request.GET.get("day"))
    bills = (
        Bill.objects.filter(facility=user.home_facility, issued_on=day)
        .select_related("cancellation", "patient", "original")
        .order_by("-issued_at")
    )
    rows = [
        {
            "bill": bill,
            "cancelled": queries.is_cancelled(bill),
            "balance": None if bill.is_correction else queries.balance(bill),
        }
        for bill in bills
    ]
    return render(request, "billing/bills.html", {"rows": rows, "day": day})


@requires(Perm.BILL_ISSUE)
def new_bill_view(request: HttpRequest) -> HttpResponse:
    """Choose the patient (or none, for a counter sale), then the lines."""
    user = staff_user(request)
    choose_url = reverse("billing:new")
    patient = _patient_from_query(user, request.GET.get("patient"))
    if patient is None and "walk_in" not in request.GET:
        query = request.GET.get("q", "").strip()
        hits = search_patients(user.organisation_uuid, query, facility_id=user.facility_id)
        context = {"query": query, "hits": hits, "choose_url": choose_url}
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "opd/_patient_choices.html", context)
        return render(request, "billing/new.html", context)
    data = request.POST if request.method == "POST" else None
    recipient_form = RecipientForm(data)
    lines = LineFormSet(data, form_kwargs={"organisation_id": user.organisation_uuid})
    if data is not None and recipient_form.is_valid() and lines.is_valid():
        requests = [
            LineRequest(
                entry=form.cleaned_data["entry"],
                quantity=form.cleaned_data["quantity"],
                discount=form.cleaned_data.get("discount") or Decimal(0),
            )
            for form in lines.forms
            if form.cleaned_data.get("entry")
        ]
        cleaned = recipient_form.cleaned_data
        try:
            bill = actions.issue_bill(
                acting_user=user,
                facility=user.home_facility,
                patient=patient,
                lines=requests,
                recipient=Recipient(
                    gstin=cleaned["payer_gstin"],
                    name=cleaned["payer_name"],
                    address=cleaned["payer_address"],
                ),
                place_of_supply=cleaned["place_of_supply"],
                origin=Origin.of(request),
            )
        except BillingError as error:
            if error.field in recipient_form.fields:
                recipient_form.add_error(error.field, str(error))
            else:
                recipient_form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(type)s %(number)s issued.")
                % {
                    "type": bill.get_doc_type_display(),
                    "number": bill.number,
                },
            )
            return redirect("billing:bill", bill_id=bill.pk)
    return render(
        request,
        "billing/new.html",
        {
            "patient": patient,
            "form": recipient_form,
            "lines": lines,
            "choose_url": choose_url,
            "walk_in": patient is None,
            "dues": queries.patient_dues(patient.pk) if patient else None,
            "advance": queries.advance_balance(patient.pk) if patient else None,
        },
    )


def _bill_page(request: HttpRequest, user: User, bill: Bill, **forms: Any) -> HttpResponse:
    document = bill_json(bill)
    payment_form = forms.get("payment_form") or PaymentForm(
        initial={"amount": document["balance"], "mode": PaymentMode.CASH}
    )
    context = {
        "bill": bill,
        "doc": document,
        "qr": qr_svg(document["upi"]) if document["upi"] else "",
        "payment_form": payment_form,
        "credit_form": forms.get("credit_form") or CreditNoteForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(prefix="cancel"),
        "can_correct": user_has(user, Perm.BILL_CORRECT),
        "payments": list(bill.payments.select_related("received_by").order_by("received_at")),
        "corrections": list(
            Bill.objects.filter(original=bill, doc_type__in=CORRECTIONS).order_by("issued_at")
        ),
        "sizes": list(SIZES),
        "composition_wording": actions.COMPOSITION_WORDING,
        "advance": queries.advance_balance(bill.patient_id) if bill.patient_id else None,
        "refund_form": AdvanceForm(
            prefix="refund", initial={"amount": -Decimal(document["balance"] or 0), "mode": "cash"}
        ),
    }
    return render(request, "billing/bill.html", context)


@requires(Perm.BILL_ISSUE)
def bill_view(request: HttpRequest, bill_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    return _bill_page(request, user, _bill_of(user, bill_id))


@requires(Perm.BILL_ISSUE)
@require_POST
def pay_view(request: HttpRequest, bill_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    bill = _bill_of(user, bill_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            payment = actions.record_payment(
                bill,
                mode=form.cleaned_data["mode"],
                amount=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"],
                acting_user=user,
                origin=Origin.of(request),
            )
        except BillingError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(
                request,
                _("Payment of ₹%(amount)s by %(mode)s recorded.")
                % {
                    "amount": payment.amount,
                    "mode": payment.get_mode_display(),
                },
            )
            return redirect("billing:bill", bill_id=bill.pk)
    return _bill_page(request, user, bill, payment_form=form)


@requires(Perm.BILL_CORRECT)
@require_POST
def credit_note_view(request: HttpRequest, bill_id: uuid.UUID) -> HttpResponse:
    """A credit note for what is left of the bill (refunding what was overpaid, if asked)."""
    user = staff_user(request)
    bill = _bill_of(user, bill_id)
    form = CreditNoteForm(request.POST)
    if form.is_valid():
        try:
            note = actions.issue_credit_note(
                bill,
                acting_user=user,
                reason=form.cleaned_data["reason"],
                refund_mode=form.cleaned_data["refund_mode"],
                origin=Origin.of(request),
            )
        except BillingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(type)s %(number)s issued.")
                % {
                    "type": note.get_doc_type_display(),
                    "number": note.number,
                },
            )
            return redirect("billing:bill", bill_id=note.pk)
    return _bill_page(request, user, bill, credit_form=form)


@requires(Perm.BILL_CORRECT)
@require_POST
def refund_view(request: HttpRequest, bill_id: uuid.UUID) -> HttpResponse:
    """Pay back what was overpaid on a bill after its credit note."""
    user = staff_user(request)
    bill = _bill_of(user, bill_id)
    form = AdvanceForm(request.POST, prefix="refund")
    note = queries.latest_correction(bill)
    if form.is_valid() and note is not None:
        try:
            actions.refund(note, acting_user=user, origin=Origin.of(request), **form.cleaned_data)
        except BillingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(amount)s paid back.")
                % {
                    "amount": rupees(form.cleaned_data["amount"]),
                },
            )
    else:
        messages.error(request, _("Enter how much is paid back and how."))
    return redirect("billing:bill", bill_id=bill.pk)


@requires(Perm.BILL_CORRECT)
@require_POST
def cancel_view(request: HttpRequest, bill_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    bill = _bill_of(user, bill_id)
    form = CancelForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            actions.cancel_document(
                bill,
                acting_user=user,
                reason=form.cleaned_data["reason"],
                origin=Origin.of(request),
            )
        except BillingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(number)s cancelled; the number stays used.")
                % {
                    "number": bill.number,
                },
            )
            return redirect("billing:bill", bill_id=bill.pk)
    return _bill_page(request, user, bill, cancel_form=form)


@requires(Perm.BILL_ISSUE)
def pdf_view(request: HttpRequest, bill_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    bill = _bill_of(user, bill_id)
    size = request.GET.get("size", "A4")
    lang = request.GET.get("lang", "both")
    if size not in SIZES or lang not in LANGUAGES:
        raise Http404("no such printout")
    return pdf_response(bill, size, lang, acting_user=user, origin=Origin.of(request))


@requires(Perm.BILLING_REPORTS)
def day_end_view(request: HttpRequest) -> HttpResponse:
    """The day's money by mode and by user, each user's cash against their count."""
    user = staff_user(request)
    day = _day(request.GET.get("day") or request.POST.get("day"))
    form = CashCountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cashier = get_object_or_404(
            User, pk=request.POST.get("cashier"), organisation_id=user.organisation_uuid
        )
        actions.record_cash_count(
            acting_user=user,
            facility=user.home_facility,
            cashier=cashier,
            day=day,
            counted=form.cleaned_data["counted"],
            note=form.cleaned_data["note"],
            origin=Origin.of(request),
        )
        messages.success(request, _("Cash count recorded."))
        return redirect(f"{reverse('billing:day_end')}?day={day.isoformat()}")
    report = reports.day_end(user.home_facility, day)
    return render(
        request,
        "billing/day_end.html",
        {
            "report": report,
            "day": day,
            "form": form,
            "modes": PaymentMode.choices,
        },
    )


@requires(Perm.BILLING_REPORTS)
def returns_view(request: HttpRequest) -> HttpResponse:
    """The month's GSTR-1 (JSON for the portal, CSV for the accountant) and Form 3C."""
    user = staff_user(request)
    today = timezone.localdate()
    period = request.GET.get("period") or f"{today:%m%Y}"
    try:
        first, last = reports.parse_period(period)
    except ValueError as error:
        raise Http404("no such period") from error
    kind = request.GET.get("download", "")
    organisation = user.home_facility.organisation
    if kind == "json":
        import json

        from django.core.serializers.json import DjangoJSONEncoder

        try:
            return_json = reports.gstr1(organisation, period)
        except reports.NoGstr1 as error:
            raise Http404(str(error)) from error
        body = json.dumps(return_json, indent=2, cls=DjangoJSONEncoder)
        return _download(body, "application/json", f"GSTR1-{period}.json")
    if kind == "csv":
        return _download(reports.gstr1_csv(organisation, period), "text/csv", f"sales-{period}.csv")
    case_register = reports.form_3c(user.home_facility, first, last)
    gstr1_json: dict[str, Any] | None = None
    no_gstr1 = ""
    try:
        gstr1_json = reports.gstr1(organisation, period)
    except reports.NoGstr1 as error:
        no_gstr1 = str(error)
    if kind == "form3c":
        return _download(reports.form_3c_csv(case_register), "text/csv", f"form-3C-{period}.csv")
    return render(
        request,
        "billing/returns.html",
        {
            "period": period,
            "first": first,
            "last": last,
            "gstr1": gstr1_json,
            "no_gstr1": no_gstr1,
            "case_register": case_register,
        },
    )


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- settings: the catalogue and the clinic's GST profile -----------------------------


def _catalogue_page(request: HttpRequest, user: User, form: CatalogueEntryForm) -> HttpResponse:
    today = timezone.localdate()
    entries = CatalogueEntry.objects.filter(organisation_id=user.organisation_uuid).order_by(
        "-active", "kind", "name"
    )
    rates: dict[Any, list[TaxRate]] = {}
    for rate in TaxRate.objects.filter(organisation_id=user.organisation_uuid).order_by(
        "effective_from"
    ):
        rates.setdefault(rate.entry_id, []).append(rate)
    rows = [
        {"entry": entry, "rates": rates.get(entry.pk, []), "today": queries.rate_on(entry, today)}
        for entry in entries
    ]
    return render(request, "billing/catalogue.html", {"rows": rows, "form": form})


@requires(Perm.CATALOGUE_MANAGE)
def catalogue_view(request: HttpRequest) -> HttpResponse:
    """Services, items and packages with SAC/HSN and their GST rates over time."""
    user = staff_user(request)
    form = CatalogueEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rate, effective_from = data.pop("rate"), data.pop("effective_from")
        rates = [(rate, effective_from)] if rate is not None and effective_from else []
        try:
            entry = actions.add_catalogue_entry(
                user.home_facility.organisation, data, rates=rates, acting_user=user
            )
        except BillingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s added to the catalogue.") % {"name": entry.name})
            return redirect("billing:catalogue")
    return _catalogue_page(request, user, form)


def _entry_of(user: User, entry_id: uuid.UUID) -> CatalogueEntry:
    return get_object_or_404(CatalogueEntry, pk=entry_id, organisation_id=user.organisation_uuid)


@requires(Perm.CATALOGUE_MANAGE)
@require_POST
def entry_rate_view(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    """A new GST rate from a date on (as on 22 Sep 2025); earlier bills keep theirs."""
    user = staff_user(request)
    entry = _entry_of(user, item_id)
    form = TaxRateForm(request.POST)
    if form.is_valid():
        actions.add_tax_rate(
            entry, form.cleaned_data["rate"], form.cleaned_data["effective_from"], acting_user=user
        )
        messages.success(request, _("New GST rate of %(name)s recorded.") % {"name": entry.name})
    else:
        messages.error(request, _("Enter the rate and the date it applies from."))
    return redirect("billing:catalogue")


@requires(Perm.CATALOGUE_MANAGE)
@require_POST
def entry_change_view(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    entry = _entry_of(user, item_id)
    form = EntryPriceForm(request.POST)
    if form.is_valid():
        actions.change_catalogue_entry(entry, form.cleaned_data, acting_user=user)
        messages.success(request, _("%(name)s saved.") % {"name": entry.name})
    else:
        messages.error(request, _("Enter a price of zero or more."))
    return redirect("billing:catalogue")


@requires(Perm.CLINIC_MANAGE)
def gst_profile_view(request: HttpRequest) -> HttpResponse:
    """Registered (GSTIN, names, state) or not; composition; UPI ID; rounding."""
    user = staff_user(request)
    organisation = user.home_facility.organisation
    profile = queries.gst_profile(organisation)
    form = GstProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in GstProfileForm.Meta.fields}
        try:
            actions.set_gst_profile(organisation, values, acting_user=user)
        except BillingError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("GST settings saved."))
            return redirect("billing:gst_profile")
    return render(request, "billing/gst_profile.html", {"form": form})


# --- a patient's account: dues, advance, bills ----------------------------------------


@requires(Perm.BILL_ISSUE)
def account_view(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    """What the patient owes on each bill, their advance, and taking or returning one."""
    user = staff_user(request)
    patient = get_object_or_404(
        Patient, pk=patient_id, organisation_id=user.organisation_uuid, entered_in_error=False
    )
    advance_form = AdvanceForm(
        request.POST if request.POST.get("kind") == "advance" else None, prefix="advance"
    )
    refund_form = AdvanceForm(
        request.POST if request.POST.get("kind") == "refund" else None, prefix="refund"
    )
    if request.method == "POST":
        form = advance_form if request.POST.get("kind") == "advance" else refund_form
        if form.is_valid():
            values = form.cleaned_data
            try:
                if form is advance_form:
                    actions.record_advance(
                        patient,
                        facility=user.home_facility,
                        acting_user=user,
                        origin=Origin.of(request),
                        **values,
                    )
                    done = _("Advance of %(amount)s taken.")
                else:
                    actions.refund(
                        None,
                        patient=patient,
                        facility=user.home_facility,
                        acting_user=user,
                        origin=Origin.of(request),
                        **values,
                    )
                    done = _("%(amount)s of the advance paid back.")
            except BillingError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, done % {"amount": rupees(values["amount"])})
                return redirect("billing:account", patient_id=patient.pk)
    rows = [
        {
            "bill": bill,
            "cancelled": queries.is_cancelled(bill),
            "balance": None if bill.is_correction else queries.balance(bill),
        }
        for bill in queries.patient_bills(patient.pk)
    ]
    return render(
        request,
        "billing/account.html",
        {
            "patient": patient,
            "rows": rows,
            "dues": queries.patient_dues(patient.pk),
            "advance": queries.advance_balance(patient.pk),
            "advance_form": advance_form,
            "refund_form": refund_form,
            "choose_url": reverse("billing:new"),
        },
    )
