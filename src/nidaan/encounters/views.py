"""The chart's pages: the consultation screen and the patient's history.

Thin adapters over encounters.forms, encounters.actions and the read-only queries of
encounters.history; every read of a chart page is audited. The side sections (vitals,
diagnoses, allergies) post with htmx and swap only themselves, so a note half typed on
the same screen is never lost to a page reload; without htmx they post and redirect.
"""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from nidaan.accounts.decorators import requires, staff_user
from nidaan.accounts.models import User
from nidaan.audit.models import AuditAction
from nidaan.audit.record import Origin, record
from nidaan.clinics.models import TemperatureUnit
from nidaan.core import versioned
from nidaan.core.permissions import Perm
from nidaan.core.versioned import ReasonRequired, VersionConflict, VersionedRecord
from nidaan.encounters import actions, charts, history, icd10
from nidaan.encounters.forms import (
    AllergyForm,
    ConsultationForm,
    DiagnosisForm,
    VitalsForm,
    complaints_as_text,
)
from nidaan.encounters.history import clinic_favourite_codes
from nidaan.encounters.models import (
    Allergy,
    ConsultationNote,
    Diagnosis,
    DurationUnit,
    Encounter,
    VitalSigns,
)
from nidaan.patients import merging
from nidaan.patients.models import Patient

# The complaints a small OPD hears most; a tap appends a line the doctor completes with
# how long ("fever " → "fever 3 days").
QUICK_COMPLAINTS = [
    gettext_lazy("fever"),
    gettext_lazy("cough"),
    gettext_lazy("cold"),
    gettext_lazy("headache"),
    gettext_lazy("body ache"),
    gettext_lazy("loose motions"),
    gettext_lazy("vomiting"),
    gettext_lazy("abdominal pain"),
    gettext_lazy("burning urination"),
    gettext_lazy("weakness"),
]
QUICK_DURATIONS = [
    (1, DurationUnit.DAYS),
    (2, DurationUnit.DAYS),
    (3, DurationUnit.DAYS),
    (5, DurationUnit.DAYS),
    (7, DurationUnit.DAYS),
    (2, DurationUnit.WEEKS),
]
HISTORY_PAGE_SIZE = 50
_CODE_LIKE = re.compile(r"^[A-Za-z]\d{2}(\.?[0-9A-Za-z]{1,2})?$")


class CorrectionForm(forms.Form):
    """The reason every correction of a chart record carries (and, for a diagnosis,
    whether it stays on the problem list)."""

    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        max_length=300,
        error_messages={"required": gettext_lazy("Write why you are correcting this.")},
    )
    active = forms.BooleanField(
        label=gettext_lazy("Still a problem (keep on the problem list)"), required=False
    )


# ----- helpers -----------------------------------------------------------------------


def _encounter_of(user: User, encounter_id: uuid.UUID) -> Encounter:
    """Another organisation's visit is simply not found."""
    return get_object_or_404(
        Encounter.objects.select_related("patient", "doctor"),
        pk=encounter_id,
        organisation_id=user.organisation_uuid,
    )


def _unit(user: User) -> str:
    organisation = user.organisation
    if organisation is None:
        raise Http404
    return str(organisation.temperature_unit)


def _audit_read(request: HttpRequest, user: User, target: Model, patient_id: Any) -> None:
    record(
        AuditAction.VIEW,
        actor=user,
        target=target,
        patient_id=patient_id,
        origin=Origin.of(request),
    )


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _consultation_url(encounter: Encounter, section: str = "") -> str:
    url = reverse("encounters:consultation", args=[encounter.pk])
    return f"{url}#{section}" if section else url


def _note_initial(note: ConsultationNote) -> dict[str, Any]:
    return {
        "complaints_text": complaints_as_text(note.complaints),
        "history_illness": note.history_illness,
        "history_surgical": note.history_surgical,
        "history_family": note.history_family,
        "history_personal": note.history_personal,
        "examination": note.examination,
        "advice": note.advice,
        "follow_up_date": note.follow_up_date,
        "based_on": note.pk,
    }


def _durations() -> list[str]:
    labels = {
        DurationUnit.DAYS: lambda n: ngettext("%(count)s day", "%(count)s days", n),
        DurationUnit.WEEKS: lambda n: ngettext("%(count)s week", "%(count)s weeks", n),
    }
    return [labels[unit](n) % {"count": n} for n, unit in QUICK_DURATIONS]


def _duration_units() -> dict[str, str]:
    return {str(unit.value): str(unit.label) for unit in DurationUnit}


def _context(request: HttpRequest, encounter: Encounter, **overrides: Any) -> dict[str, Any]:
    user = staff_user(request)
    unit = _unit(user)
    screen = history.consultation(encounter, unit)
    context: dict[str, Any] = {
        "encounter": encounter,
        "patient": encounter.patient,
        "screen": screen,
        "note_history": {"versions": screen.note_versions},
        "allergies": screen.active_allergies,
        "unit_label": TemperatureUnit(unit).label,
        "units": _duration_units(),
        "is_child": encounter.patient.age < history.CHILD_UNTIL_AGE,
        "vitals_form": VitalsForm(temperature_unit=unit),
        "diagnosis_form": DiagnosisForm(),
        "diagnosis_query": "",
        "diagnosis_results": [],
        "allergy_form": AllergyForm(),
        "note_form": ConsultationForm(initial=_note_initial(screen.note)),
        "quick_complaints": QUICK_COMPLAINTS,
        "quick_durations": _durations(),
        "conflict": None,
        "book_follow_up": False,
    }
    context.update(overrides)
    return context


def _page(
    request: HttpRequest, encounter: Encounter, status: int = 200, **overrides: Any
) -> HttpResponse:
    return render(
        request,
        "encounters/consultation.html",
        _context(request, encounter, **overrides),
        status=status,
    )


def _section(
    request: HttpRequest, encounter: Encounter, name: str, **overrides: Any
) -> HttpResponse:
    """One section of the consultation screen, for htmx to swap in place."""
    context = _context(request, encounter, **overrides)
    context["swap_banner"] = name == "allergies"
    return render(request, f"encounters/_{name}.html", context)


# ----- the consultation screen -------------------------------------------------------


@requires(Perm.CLINICAL_VIEW)
@require_GET
def consultation_view(request: HttpRequest, encounter_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    encounter = _encounter_of(user, encounter_id)
    _audit_read(request, user, encounter, encounter.patient_id)
    return _page(request, encounter)


@requires(Perm.CONSULTATION_WRITE)
@require_POST
def start_visit_view(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    """A walk-in seen without a token: open a visit for the doctor at their branch."""
    user = staff_user(request)
    patient = get_object_or_404(Patient, pk=patient_id, organisation_id=user.organisation_uuid)
    encounter = actions.start_encounter(
        acting_user=user, patient=patient, facility=user.home_facility, origin=Origin.of(request)
    )
    return redirect("encounters:consultation", encounter_id=encounter.pk)


@requires(Perm.VITALS_RECORD)
@require_POST
def record_vitals_view(request: HttpRequest, encounter_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    encounter = _encounter_of(user, encounter_id)
    form = VitalsForm(request.POST, temperature_unit=_unit(user))
    if form.is_valid():
        actions.record_vitals(
            encounter, form.vital_values(), acting_user=user, origin=Origin.of(request)
        )
        if _is_htmx(request):
            return _section(request, encounter, "vitals", saved=True)
        messages.success(request, _("Vitals saved."))
        return redirect(_consultation_url(encounter, "vitals"))
    if _is_htmx(request):
        return _section(request, encounter, "vitals", vitals_form=form)
    return _page(request, encounter, vitals_form=form)


def _diagnosis_data(post: Any) -> tuple[dict[str, str], str]:
    """What the diagnosis box sent: a code picked from the results, or what was typed
    (a code typed in full counts as that code; anything else is free text)."""
    query = (post.get("q") or "").strip()
    code = (post.get("icd10_code") or "").strip()
    text = (post.get("text") or "").strip()
    if not code and not text and query:
        if _CODE_LIKE.match(query):
            code = query
        else:
            text = query
    return {"icd10_code": code, "text": text, "certainty": post.get("certainty", "")}, query


@requires(Perm.CONSULTATION_WRITE)
@require_POST
def add_diagnosis_view(request: HttpRequest, encounter_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    encounter = _encounter_of(user, encounter_id)
    data, query = _diagnosis_data(request.POST)
    form = DiagnosisForm(data)
    if form.is_valid():
        values = {k: form.cleaned_data[k] for k in ("icd10_code", "text", "certainty")}
        actions.add_diagnosis(encounter, values, acting_user=user, origin=Origin.of(request))
        if _is_htmx(request):
            return _section(request, encounter, "diagnoses", saved=True)
        messages.success(request, _("Diagnosis added."))
        return redirect(_consultation_url(encounter, "diagnoses"))
    context: dict[str, Any] = {
        "diagnosis_form": form,
        "diagnosis_query": query,
        "diagnosis_results": icd10.search(query) if len(query) >= 2 else [],
    }
    if _is_htmx(request):
        return _section(request, encounter, "diagnoses", **context)
    return _page(request, encounter, **context)


@requires(Perm.CLINICAL_VIEW)
@require_GET
def icd10_search_view(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type of the diagnosis box: WHO ICD-10 codes, plus "as written"."""
    query = request.GET.get("q", "").strip()
    user = staff_user(request)
    results = (
        icd10.search(query, favourites=clinic_favourite_codes(user.organisation_uuid))
        if len(query) >= 2
        else []
    )
    return render(request, "encounters/_icd10_results.html", {"query": query, "results": results})


@requires(Perm.ALLERGY_RECORD)
@require_POST
def record_allergy_view(request: HttpRequest, encounter_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    encounter = _encounter_of(user, encounter_id)
    form = AllergyForm(request.POST)
    if form.is_valid():
        actions.record_allergy(
            encounter.patient, dict(form.cleaned_data), acting_user=user, origin=Origin.of(request)
        )
        if _is_htmx(request):
            return _section(request, encounter, "allergies", saved=True)
        messages.success(request, _("Allergy recorded."))
        return redirect(_consultation_url(encounter, "allergies"))
    if _is_htmx(request):
        return _section(request, encounter, "allergies", allergy_form=form)
    return _page(request, encounter, allergy_form=form)


def _book_follow_up(request: HttpRequest, encounter: Encounter, day: datetime.date) -> None:
    """Book the follow-up in the first free slot of the visit's doctor on `day`."""
    from nidaan.opd.actions import QueueError, book_appointment
    from nidaan.opd.models import Appointment, AppointmentStatus
    from nidaan.opd.slots import all_slots, free_slots

    user = staff_user(request)
    booked = Appointment.objects.filter(
        follow_up_of=encounter.pk, status=AppointmentStatus.BOOKED
    ).first()
    if booked is not None:
        messages.info(
            request,
            _("The follow-up is already booked for %(when)s.")
            % {"when": timezone.localtime(booked.starts_at).strftime("%d-%m-%Y %H:%M")},
        )
        return
    doctor = encounter.doctor
    facility = encounter.facility
    if not all_slots(doctor, facility, day):
        messages.warning(
            request,
            _(
                "%(doctor)s has no working hours on %(day)s, so no appointment was booked: "
                "set the hours in the schedule, or book at reception."
            )
            % {"doctor": doctor.get_full_name(), "day": day.strftime("%d-%m-%Y")},
        )
        return
    slots = free_slots(doctor=doctor, facility=facility, day=day)
    if not slots:
        messages.warning(
            request,
            _("%(doctor)s has no free slot left on %(day)s; book another day at reception.")
            % {"doctor": doctor.get_full_name(), "day": day.strftime("%d-%m-%Y")},
        )
        return
    try:
        appointment = book_appointment(
            acting_user=user,
            patient=encounter.patient,
            doctor=doctor,
            facility=facility,
            starts_at=slots[0],
            follow_up_of=encounter.pk,
            origin=Origin.of(request),
        )
    except QueueError:
        messages.warning(request, _("That slot was just taken; book the follow-up at reception."))
        return
    messages.success(
        request,
        _("Follow-up booked for %(when)s.")
        % {"when": timezone.localtime(appointment.starts_at).strftime("%d-%m-%Y %H:%M")},
    )


def _unchanged(note: ConsultationNote, values: dict[str, Any]) -> bool:
    return all(getattr(note, name) == value for name, value in values.items())


def _note_conflict(request: HttpRequest, encounter: Encounter, book: bool) -> HttpResponse:
    """Someone saved the note since this form was opened: show theirs, keep this doctor's
    text in the form (now based on the newer version, so saving again is a deliberate
    choice made with the other version in view). Nothing is stored."""
    latest = history.consultation(encounter, _unit(staff_user(request))).note
    data = request.POST.copy()
    data["based_on"] = str(latest.pk)
    return _page(
        request,
        encounter,
        status=409,
        note_form=ConsultationForm(data),
        conflict=latest,
        book_follow_up=book,
    )


@requires(Perm.CONSULTATION_WRITE)
@require_POST
def save_note_view(request: HttpRequest, encounter_id: uuid.UUID) -> HttpResponse:
    """Save draft / Complete. The form names the version it was based on, so a second
    doctor's stale save is refused and shown, never written over the first."""
    user = staff_user(request)
    encounter = _encounter_of(user, encounter_id)
    form = ConsultationForm(request.POST)
    complete = "complete" in request.POST
    book = bool(request.POST.get("book_follow_up"))
    if not form.is_valid():
        return _page(request, encounter, note_form=form, book_follow_up=book)
    note = (
        ConsultationNote.objects.filter(pk=form.cleaned_data["based_on"], encounter=encounter)
        .select_related("patient")
        .first()
    )
    if note is None:
        raise Http404
    if note.is_entered_in_error:
        messages.error(request, _("This note was marked entered in error; it is not changed."))
        return redirect(_consultation_url(encounter, "note"))
    if not versioned.is_current(note):
        return _note_conflict(request, encounter, book)
    values = form.note_values()
    if _unchanged(note, values) and (note.complete or not complete):
        messages.info(request, _("Nothing was changed."))
        return redirect(_consultation_url(encounter, "note"))
    try:
        saved = actions.save_consultation(
            note,
            values,
            acting_user=user,
            complete=complete,
            reason=form.cleaned_data["reason"],
            origin=Origin.of(request),
        )
    except VersionConflict:
        return _note_conflict(request, encounter, book)
    except ReasonRequired:
        form.add_error("reason", _("The consultation was completed: write why you change it."))
        return _page(request, encounter, note_form=form, book_follow_up=book)
    if saved.complete and not note.complete:
        messages.success(request, _("Consultation completed."))
    elif note.complete:
        messages.success(request, _("Correction saved."))
    else:
        messages.success(request, _("Draft saved."))
    if book and saved.follow_up_date:
        _book_follow_up(request, encounter, saved.follow_up_date)
    return redirect(_consultation_url(encounter, "note"))


# ----- corrections: amend or entered in error -----------------------------------------


def _changed(previous: VersionedRecord, values: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for name, value in values.items():
        old = getattr(previous, name)
        if isinstance(old, Decimal) and value is not None:
            if Decimal(value) != old:
                changes[name] = value
        elif old != value:
            changes[name] = value
    return changes


def _content_form(kind: str, record_: Any, unit: str, data: Any = None) -> forms.Form | None:
    if kind == "vitals":
        reading = history.VitalsReading(record_, unit)
        initial = {name: getattr(record_, name) for name in VitalSigns.content_fields}
        initial["temperature"] = reading.temperature
        return VitalsForm(data, temperature_unit=unit, initial=initial)
    if kind == "diagnoses":
        return DiagnosisForm(
            data,
            initial={
                "icd10_code": record_.icd10_code,
                "text": record_.text,
                "certainty": record_.certainty,
            },
        )
    if kind == "allergies":
        return AllergyForm(
            data, initial={name: getattr(record_, name) for name in AllergyForm.base_fields}
        )
    return None


def _content_values(kind: str, form: forms.Form, reason_form: CorrectionForm) -> dict[str, Any]:
    if isinstance(form, VitalsForm):
        return form.vital_values()
    values = {name: form.cleaned_data[name] for name in form.fields}
    if kind == "diagnoses":
        values["active"] = reason_form.cleaned_data["active"]
    return values


_MODELS: dict[str, type[VersionedRecord]] = {
    "vitals": VitalSigns,
    "diagnoses": Diagnosis,
    "allergies": Allergy,
    "note": ConsultationNote,
}


def _apply_correction(
    request: HttpRequest,
    previous: Any,
    kind: str,
    content_form: forms.Form | None,
    reason_form: CorrectionForm,
) -> tuple[bool, str]:
    """Store the correction the form asks for: (saved, what stopped it if anything)."""
    user = staff_user(request)
    in_error = "entered_in_error" in request.POST
    if previous.is_entered_in_error:
        return False, _("This was already marked entered in error; it is not changed.")
    if kind == "note" and not previous.complete:
        return False, _(
            "A draft is changed by saving it again; only a completed note is corrected."
        )
    content_ok = in_error or content_form is None or content_form.is_valid()
    if not (reason_form.is_valid() and content_ok):
        return False, ""
    reason = reason_form.cleaned_data["reason"]
    try:
        if in_error:
            actions.mark_entered_in_error(
                previous, acting_user=user, reason=reason, origin=Origin.of(request)
            )
            return True, ""
        if content_form is None:
            return False, _("Only “entered in error” applies here.")
        changes = _changed(previous, _content_values(kind, content_form, reason_form))
        if not changes:
            return False, _("Nothing was changed: change a value, or mark it entered in error.")
        actions.amend(previous, changes, acting_user=user, reason=reason, origin=Origin.of(request))
    except VersionConflict as conflict:
        newer = conflict.current
        return False, _(
            "%(who)s already corrected this at %(when)s; nothing of yours was saved. "
            "Close this and look at their version first."
        ) % {
            "who": newer.recorded_by.get_full_name(),
            "when": timezone.localtime(newer.recorded_at).strftime("%d-%m-%Y %H:%M"),
        }
    return True, ""


def _correct(
    request: HttpRequest, encounter_id: uuid.UUID, record_id: uuid.UUID, kind: str
) -> HttpResponse:
    user = staff_user(request)
    encounter = _encounter_of(user, encounter_id)
    scope = {"patient": encounter.patient} if kind == "allergies" else {"encounter": encounter}
    model: Any = _MODELS[kind]
    previous: Any = get_object_or_404(
        model.objects.select_related("patient", "recorded_by"), pk=record_id, **scope
    )
    post = request.POST if request.method == "POST" else None
    unit = _unit(user)
    content_form = _content_form(kind, previous, unit, post)
    reason_form = CorrectionForm(post, initial={"active": getattr(previous, "active", True)})
    problem = ""
    if post is None:
        _audit_read(request, user, previous, encounter.patient_id)
    else:
        saved, problem = _apply_correction(request, previous, kind, content_form, reason_form)
        if saved:
            if _is_htmx(request) and kind != "note":
                response = _section(request, encounter, kind)
                return reswap(retarget(response, f"#{kind}"), "outerHTML")
            messages.success(request, _("Correction saved."))
            return redirect(_consultation_url(encounter, kind))
    context = {
        "encounter": encounter,
        "patient": encounter.patient,
        "kind": kind,
        "previous": previous,
        "reading": history.VitalsReading(previous, unit) if kind == "vitals" else None,
        "content_form": content_form,
        "reason_form": reason_form,
        "problem": problem,
        "is_child": encounter.patient.age < history.CHILD_UNTIL_AGE,
        "action": reverse(f"encounters:correct_{kind}", args=[encounter.pk, previous.pk]),
    }
    if _is_htmx(request):
        return render(request, "encounters/_correct.html", context)
    context["allergies"] = history.active_allergies(history.patient_allergies(encounter.patient))
    return render(request, "encounters/correct.html", context)


@requires(Perm.VITALS_RECORD)
@require_http_methods(["GET", "POST"])
def correct_vitals_view(
    request: HttpRequest, encounter_id: uuid.UUID, record_id: uuid.UUID
) -> HttpResponse:
    return _correct(request, encounter_id, record_id, "vitals")


@requires(Perm.CONSULTATION_WRITE)
@require_http_methods(["GET", "POST"])
def correct_diagnosis_view(
    request: HttpRequest, encounter_id: uuid.UUID, record_id: uuid.UUID
) -> HttpResponse:
    return _correct(request, encounter_id, record_id, "diagnoses")


@requires(Perm.ALLERGY_RECORD)
@require_http_methods(["GET", "POST"])
def correct_allergy_view(
    request: HttpRequest, encounter_id: uuid.UUID, record_id: uuid.UUID
) -> HttpResponse:
    return _correct(request, encounter_id, record_id, "allergies")


@requires(Perm.CONSULTATION_WRITE)
@require_http_methods(["GET", "POST"])
def correct_note_view(
    request: HttpRequest, encounter_id: uuid.UUID, record_id: uuid.UUID
) -> HttpResponse:
    """Entered in error for the whole note (a changed note is saved from its own form)."""
    return _correct(request, encounter_id, record_id, "note")


# ----- the patient's history -----------------------------------------------------------


@requires(Perm.CLINICAL_VIEW)
@require_GET
def history_view(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    patient = get_object_or_404(Patient, pk=patient_id, organisation_id=user.organisation_uuid)
    shown, group = merging.resolve(patient)
    if shown.pk != patient.pk:
        return redirect("encounters:history", patient_id=shown.pk)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else None
    with_diagnosis = request.GET.get("with") == "diagnosis"
    chart = history.patient_history(
        patient, _unit(user), year=year, with_diagnosis=with_diagnosis, group=group
    )
    _audit_read(request, user, patient, patient.pk)
    page = Paginator(chart.visits, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "encounters/history.html",
        {
            "patient": patient,
            "history": chart,
            "allergies": chart.active_allergies,
            "charts": charts.history_charts(chart.readings, is_child=chart.is_child),
            "units": _duration_units(),
            "high": _("high"),
            "low": _("low"),
            "page": page,
            "year": year,
            "with_diagnosis": with_diagnosis,
            "filter_query": query.urlencode(),
        },
    )
