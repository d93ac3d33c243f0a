"""Registry pages: thin adapters over forms, actions and read-only queries."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from nidaan.accounts.decorators import requires, staff_user
from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import Origin, record
from nidaan.core.permissions import Perm
from nidaan.patients import actions, merging
from nidaan.patients.duplicates import duplicate_pairs, likely_duplicates
from nidaan.patients.forms import MergeForm, PatientForm, UnmergeForm, form_data_of
from nidaan.patients.history import patient_history
from nidaan.patients.identifiers import normalise_mobile
from nidaan.patients.models import Patient, PatientMerge
from nidaan.patients.search import search_patients


def _patient_of(user: User, patient_id: uuid.UUID) -> Patient:
    """Another organisation's patient is simply not found."""
    return get_object_or_404(Patient, pk=patient_id, organisation_id=user.organisation_uuid)


@requires(Perm.PATIENT_SEARCH)
def home_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    recent = Patient.objects.filter(
        organisation_id=user.organisation_uuid, entered_in_error=False
    ).order_by("-created_at")[:10]
    return render(request, "patients/home.html", {"recent": recent})


@requires(Perm.PATIENT_SEARCH)
def search_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    query = request.GET.get("q", "").strip()
    hits = search_patients(user.organisation_uuid, query, facility_id=user.facility_id)
    template = "patients/_results.html" if request.htmx else "patients/search.html"  # type: ignore[attr-defined]
    return render(request, template, {"query": query, "hits": hits})


@requires(Perm.PATIENT_REGISTER)
def register_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    form = PatientForm(request.POST or None, initial={"name": request.GET.get("name", "")})
    if request.method == "POST" and form.is_valid():
        patient = actions.register_patient(
            acting_user=user,
            facility=user.home_facility,
            demographics=form.demographics(),
            origin=Origin.of(request),
        )
        messages.success(
            request,
            _("Registered %(name)s, UHID %(uhid)s.") % {"name": patient.name, "uhid": patient.uhid},
        )
        return redirect("patients:detail", patient_id=patient.pk)
    return render(request, "patients/register.html", {"form": form})


@requires(Perm.PATIENT_REGISTER)
def duplicates_view(request: HttpRequest) -> HttpResponse:
    """Live warning on the registration form: is this patient already registered?"""
    user = staff_user(request)
    try:
        mobile = normalise_mobile(request.GET.get("mobile", ""))
    except Exception:  # noqa: BLE001 - an incomplete number is not yet worth a warning
        mobile = ""
    found = likely_duplicates(
        user.organisation_uuid, name=request.GET.get("name", ""), mobile=mobile
    )
    return render(request, "patients/_duplicates.html", {"duplicates": found})


@requires(Perm.PATIENT_VIEW)
def detail_view(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    patient = _patient_of(user, patient_id)
    shown = merging.representative(patient)
    if shown.pk != patient.pk:
        messages.info(
            request,
            _("%(uhid)s was merged into this record.") % {"uhid": patient.uhid},
        )
        return redirect("patients:detail", patient_id=shown.pk)
    record(
        AuditAction.VIEW,
        actor=user,
        target=patient,
        patient_id=patient.pk,
        origin=Origin.of(request),
    )
    return render(
        request,
        "patients/detail.html",
        {
            "patient": patient,
            "history": patient_history(patient),
            "merged": merging.merged_into(patient),
        },
    )


@requires(Perm.PATIENT_EDIT)
def edit_view(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    patient = _patient_of(user, patient_id)
    if patient.is_erased:
        messages.error(request, _("This registration was erased at the patient's request."))
        return redirect("patients:detail", patient_id=patient.pk)
    form = PatientForm(request.POST or None, initial=form_data_of(patient))
    if request.method == "POST" and form.is_valid():
        changed = actions.update_patient(
            patient, acting_user=user, demographics=form.demographics(), origin=Origin.of(request)
        )
        if changed:
            messages.success(request, _("Saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("patients:detail", patient_id=patient.pk)
    return render(request, "patients/edit.html", {"form": form, "patient": patient})


@requires(Perm.PATIENT_MERGE)
def duplicate_list_view(request: HttpRequest) -> HttpResponse:
    """Pairs that look like one patient registered twice, for the admin to review."""
    user = staff_user(request)
    return render(
        request,
        "patients/duplicate_list.html",
        {"pairs": duplicate_pairs(user.organisation_uuid)},
    )


@requires(Perm.PATIENT_MERGE)
def merge_view(request: HttpRequest, patient_id: uuid.UUID, other_id: uuid.UUID) -> HttpResponse:
    """Two records side by side; merge one into the other, with the reason."""
    user = staff_user(request)
    first, second = _patient_of(user, patient_id), _patient_of(user, other_id)
    form = MergeForm(request.POST or None, choices=(first, second))
    if request.method == "POST" and form.is_valid():
        survivor = first if form.cleaned_data["keep"] == str(first.pk) else second
        merged = second if survivor is first else first
        try:
            actions.merge_patients(
                survivor=survivor,
                merged=merged,
                reason=form.cleaned_data["reason"],
                acting_user=user,
                origin=Origin.of(request),
            )
        except actions.MergeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("%(merged)s is now part of %(kept)s.")
                % {"merged": merged.uhid, "kept": survivor.uhid},
            )
            return redirect("patients:detail", patient_id=survivor.pk)
    for patient in (first, second):
        record(
            AuditAction.VIEW,
            actor=user,
            target=patient,
            patient_id=patient.pk,
            origin=Origin.of(request),
        )
    return render(
        request,
        "patients/merge.html",
        {"first": first, "second": second, "form": form, "rows": _side_by_side(first, second)},
    )


def _side_by_side(first: Patient, second: Patient) -> list[tuple[str, str, str, bool]]:
    rows = []
    for name in (
        "name",
        "name_latin",
        "sex",
        "date_of_birth",
        "mobile",
        "guardian_name",
        "address_line",
        "locality",
        "district",
        "pin",
        "abha_number",
        "uhid",
    ):
        label = getattr(Patient._meta.get_field(name), "verbose_name", name)
        a = str(getattr(first, name) or "—")
        b = str(getattr(second, name) or "—")
        rows.append((str(label), a, b, a != b))
    return rows


@requires(Perm.PATIENT_MERGE)
def unmerge_view(request: HttpRequest, merge_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    merge = get_object_or_404(PatientMerge, pk=merge_id, organisation_id=user.organisation_uuid)
    form = UnmergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.unmerge_patients(
                merge,
                reason=form.cleaned_data["reason"],
                acting_user=user,
                origin=Origin.of(request),
            )
        except actions.MergeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The records are separate again."))
            return redirect("patients:detail", patient_id=merge.merged_id)
    return render(request, "patients/unmerge.html", {"merge": merge, "form": form})
