"""Prescription pages: the section of the consultation screen where the doctor writes
and issues, the printout (PDF and browser print view), and the public verification page.

Thin adapters over prescriptions.forms, .actions and .records. The section posts with
htmx and swaps only itself, so the consultation note typed beside it is never lost.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nidaan.accounts.decorators import public, requires, staff_user
from nidaan.accounts.models import User
from nidaan.audit.printouts import record_print
from nidaan.audit.record import Origin
from nidaan.core.permissions import Perm, user_has
from nidaan.core.versioned import AlreadyEnteredInError, ReasonRequired, VersionConflict
from nidaan.encounters.models import Encounter
from nidaan.prescriptions import actions, formulary, records, signing, verification
from nidaan.prescriptions.forms import (
    MIN_ROWS,
    ClinicDrugForm,
    PrescriptionForm,
    draft_from,
    drug_option,
    is_blank,
    overrides_from_post,
    rows_from_post,
)
from nidaan.prescriptions.formulary import FORMS
from nidaan.prescriptions.instructions import FREQUENCY_CHOICES
from nidaan.prescriptions.lines import RxLine, formulary_for
from nidaan.prescriptions.models import ClinicDrug, Prescription, RxTemplate
from nidaan.prescriptions.printout import render as render_pdf
from nidaan.prescriptions.rx_templates import TEMPLATES
from nidaan.prescriptions.safety import CHILD_UNTIL_AGE, dose_help
from nidaan.printing import LANGUAGES, page_size


def _food_choices() -> list[tuple[str, str]]:
    return [
        ("", "—"),
        ("after", _("after food")),
        ("before", _("before food")),
        ("with", _("with food")),
        ("empty", _("empty stomach")),
    ]


def _unit_choices() -> list[tuple[str, str]]:
    return [("days", _("days")), ("weeks", _("weeks")), ("months", _("months"))]


def _encounter_of(user: User, encounter_id: uuid.UUID) -> Encounter:
    return get_object_or_404(
        Encounter.objects.select_related("patient", "doctor"),
        pk=encounter_id,
        organisation_id=user.organisation_uuid,
    )


def _prescription_of(user: User, prescription_id: uuid.UUID) -> Prescription:
    return get_object_or_404(
        Prescription.objects.select_related("patient", "encounter", "doctor"),
        pk=prescription_id,
        organisation_id=user.organisation_uuid,
    )


def _templates(user: User) -> dict[str, tuple[Any, list[dict[str, str]]]]:
    """The built-in templates, then the clinic's own (newest first)."""
    own = RxTemplate.objects.filter(organisation_id=user.organisation_uuid, active=True).order_by(
        "-id"
    )
    return {**TEMPLATES, **{f"clinic-{t.pk}": (t.name, list(t.lines)) for t in own}}


def _blank_row() -> dict[str, str]:
    return {"duration_unit": "days"}


def _rows_of(rx: Prescription) -> list[dict[str, str]]:
    drugs = formulary_for(rx.organisation_id)
    rows = []
    for data in rx.lines:
        line = RxLine.from_json(data)
        drug = drugs.get(line.drug_code)
        rows.append(
            {
                "drug": drug_option(drug) if drug else line.generic,
                "dose": f"{line.dose.normalize():f}",
                "frequency": line.frequency,
                "food": line.food,
                "duration": str(line.duration or ""),
                "duration_unit": line.duration_unit,
                "note": line.note,
                "quantity": f"{line.quantity.normalize():f}" if line.quantity is not None else "",
                "instructions_en": line.instructions_en,
                "instructions_hi": line.instructions_hi,
                "auto_en": line.instructions_en,
                "auto_hi": line.instructions_hi,
            }
        )
    return rows


def _padded(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    kept = [row for row in rows if not is_blank(row)]
    return kept + [_blank_row() for _ in range(max(1, MIN_ROWS - len(kept)))]


def section_context(request: HttpRequest, encounter: Encounter) -> dict[str, Any]:
    """The section's context as the consultation screen first shows it."""
    return _context(request, encounter)


def _context(
    request: HttpRequest,
    encounter: Encounter,
    *,
    form: PrescriptionForm | None = None,
    rows: list[dict[str, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    user = staff_user(request)
    patient = encounter.patient
    drugs = formulary_for(encounter.organisation_id)
    favourites = [drugs[c] for c in records.favourite_codes(user.pk) if c in drugs]
    others = [d for d in drugs.values() if d not in favourites]
    weight = actions.last_weight(patient)
    if form is None:
        form = PrescriptionForm(initial={"weight_kg": weight} if weight else None)
    row_list = _padded(rows if rows is not None else [])
    is_child = patient.age < CHILD_UNTIL_AGE
    help_lines = []
    if is_child and weight:
        for row in row_list:
            code = row.get("drug", "").rpartition("[")[2].rstrip("]")
            drug = drugs.get(code)
            hint = dose_help(drug, weight) if drug else None
            if drug and hint:
                help_lines.append({"drug": drug.generic.upper(), **hint})
    context: dict[str, Any] = {
        "encounter": encounter,
        "patient": patient,
        "rx_form": form,
        "rows": list(enumerate(row_list)),
        "row_errors": {},
        "rx_errors": [],
        "warnings": [],
        "overrides": {},
        "issued": records.for_encounter(encounter),
        "templates": [(key, label) for key, (label, _rows) in _templates(user).items()],
        "drug_options": [drug_option(d) for d in favourites + others],
        "favourite_count": len(favourites),
        "frequencies": FREQUENCY_CHOICES,
        "food_choices": _food_choices(),
        "unit_choices": _unit_choices(),
        "forms": FORMS,
        "is_child": is_child,
        "last_weight": weight,
        "dose_help": help_lines,
        "revising": None,
        "reason": "",
        "languages": LANGUAGES,
    }
    context.update(extra)
    return context


def _section(
    request: HttpRequest, encounter: Encounter, status: int = 200, **kw: Any
) -> HttpResponse:
    """The section alone for htmx (always 200: htmx swaps no 4xx answer, and the
    section shows its own errors), or the page around it without JavaScript."""
    if getattr(request, "htmx", False):
        return render(request, "prescriptions/_section.html", _context(request, encounter, **kw))
    return render(
        request, "prescriptions/write.html", _context(request, encounter, **kw), status=status
    )


@requires(Perm.PRESCRIPTION_VIEW)
@require_GET
def section_view(request: HttpRequest, encounter_id: uuid.UUID) -> HttpResponse:
    """The prescription section on its own (the consultation screen includes it)."""
    user = staff_user(request)
    encounter = _encounter_of(user, encounter_id)
    return _section(request, encounter)


@requires(Perm.PRESCRIPTION_WRITE)
@require_GET
def revise_view(request: HttpRequest, prescription_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    rx = _prescription_of(user, prescription_id)
    form = PrescriptionForm(
        initial={
            "investigations": rx.investigations,
            "advice": rx.advice,
            "diet": rx.diet,
            "follow_up_date": rx.follow_up_date,
            "language": rx.language,
            "teleconsultation": rx.teleconsultation,
            "weight_kg": rx.weight_kg,
        }
    )
    return _section(request, rx.encounter, form=form, rows=_rows_of(rx), revising=rx)


@requires(Perm.PRESCRIPTION_WRITE)
@require_POST
def write_view(request: HttpRequest, encounter_id: uuid.UUID) -> HttpResponse:
    """Apply a template, add a line, check, or issue (which button was pressed)."""
    user = staff_user(request)
    encounter = _encounter_of(user, encounter_id)
    rows = [row for row in rows_from_post(request.POST) if not is_blank(row)]
    form = PrescriptionForm(request.POST)
    overrides = overrides_from_post(request.POST)
    revising = None
    if request.POST.get("revises"):
        revising = _prescription_of(user, uuid.UUID(request.POST["revises"]))
    reason = request.POST.get("reason", "").strip()
    common: dict[str, Any] = {
        "form": form,
        "overrides": overrides,
        "revising": revising,
        "reason": reason,
    }

    template_key = request.POST.get("template", "")
    templates = _templates(user)
    if "apply_template" in request.POST and template_key in templates:
        drugs = formulary_for(encounter.organisation_id)
        for line in templates[template_key][1]:
            drug = drugs.get(line["drug_code"])
            rows.append(
                {
                    **_blank_row(),
                    **{k: v for k, v in line.items() if k not in ("drug_code", "note_hi")},
                    "drug": drug_option(drug) if drug else line["drug_code"],
                }
            )
        return _section(request, encounter, rows=rows, **common)
    if "add_line" in request.POST:
        return _section(request, encounter, rows=[*rows, _blank_row()], **common)

    if not form.is_valid():
        return _section(request, encounter, status=400, rows=rows, **common)
    draft = draft_from(form, rows, overrides)
    try:
        checked = actions.check_draft(encounter, draft)
    except actions.PrescriptionInvalid as exc:
        return _section(request, encounter, status=400, rows=rows, **_errors(exc.errors), **common)
    for row, rx_line in zip(rows, checked.lines, strict=True):
        auto = rx_line.schedule_text
        row.update(
            instructions_en=rx_line.instructions_en,
            instructions_hi=rx_line.instructions_hi,
            auto_en=auto.english(rx_line.note),
            auto_hi=auto.hindi(rx_line.note_hi or rx_line.note),
            quantity=row.get("quantity")
            or (f"{rx_line.quantity.normalize():f}" if rx_line.quantity is not None else ""),
        )
    if "save_template" in request.POST:
        try:
            saved = actions.save_template(
                request.POST.get("template_name", ""),
                checked.lines,
                acting_user=user,
                origin=Origin.of(request),
            )
        except actions.PrescriptionInvalid as exc:
            return _section(
                request, encounter, status=400, rows=rows, **_errors(exc.errors), **common
            )
        return _section(
            request,
            encounter,
            rows=rows,
            warnings=checked.warnings,
            checked=True,
            template_saved=saved,
            **common,
        )
    if "issue" not in request.POST:
        return _section(
            request, encounter, rows=rows, warnings=checked.warnings, checked=True, **common
        )
    try:
        if revising is not None:
            rx = actions.revise_prescription(
                revising, draft, acting_user=user, reason=reason, origin=Origin.of(request)
            )
        else:
            rx = actions.issue_prescription(
                encounter, draft, acting_user=user, origin=Origin.of(request)
            )
    except actions.SafetyWarnings as exc:
        return _section(
            request,
            encounter,
            status=409,
            rows=rows,
            warnings=checked.warnings,
            unanswered={w.key for w in exc.warnings},
            checked=True,
            **common,
        )
    except ReasonRequired:
        return _section(
            request,
            encounter,
            status=400,
            rows=rows,
            warnings=checked.warnings,
            checked=True,
            rx_errors=[_("Write why you are changing the issued prescription.")],
            **common,
        )
    except (VersionConflict, AlreadyEnteredInError):
        return _section(
            request,
            encounter,
            status=409,
            rows=rows,
            checked=True,
            rx_errors=[
                _(
                    "This prescription was changed or cancelled meanwhile; "
                    "see the newest version above."
                )
            ],
            **common,
        )
    if draft.follow_up_date and request.POST.get("book_follow_up"):
        _book_follow_up(request, encounter, draft.follow_up_date)
    if not getattr(request, "htmx", False):
        messages.success(request, _("Prescription issued."))
        return redirect(reverse("encounters:consultation", args=[encounter.pk]) + "#prescription")
    return _section(request, encounter, just_issued=rx)


def _errors(errors: dict[str, list[str]]) -> dict[str, Any]:
    row_errors: dict[int, dict[str, list[str]]] = {}
    general: list[str] = []
    for key, msgs in errors.items():
        parts = key.split(".")
        if parts[0] == "lines" and len(parts) == 3:
            field = {"generic": "drug", "drug_code": "drug", "form": "drug"}.get(parts[2], parts[2])
            row_errors.setdefault(int(parts[1]), {}).setdefault(field, []).extend(msgs)
        else:
            general.extend(msgs)
    return {"row_errors": row_errors, "rx_errors": general}


def _book_follow_up(request: HttpRequest, encounter: Encounter, day: datetime.date) -> None:
    """Book the follow-up in the first free slot of the visit's doctor on `day`."""
    from nidaan.opd.actions import QueueError, book_appointment
    from nidaan.opd.models import Appointment, AppointmentStatus
    from nidaan.opd.slots import free_slots

    user = staff_user(request)
    if Appointment.objects.filter(
        follow_up_of=encounter.pk, status=AppointmentStatus.BOOKED
    ).exists():
        return
    slots = free_slots(doctor=encounter.doctor, facility=encounter.facility, day=day)
    if not slots:
        messages.warning(
            request,
            _("No free slot of the doctor on %(day)s: book the follow-up at reception.")
            % {"day": day.strftime("%d-%m-%Y")},
        )
        return
    try:
        appointment = book_appointment(
            acting_user=user,
            patient=encounter.patient,
            doctor=encounter.doctor,
            facility=encounter.facility,
            starts_at=slots[0],
            follow_up_of=encounter.pk,
            origin=Origin.of(request),
        )
    except QueueError:
        return
    messages.success(
        request,
        _("Follow-up booked for %(when)s.")
        % {"when": timezone.localtime(appointment.starts_at).strftime("%d-%m-%Y %H:%M")},
    )


@requires(Perm.PRESCRIPTION_WRITE)
@require_POST
def cancel_view(request: HttpRequest, prescription_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    rx = _prescription_of(user, prescription_id)
    reason = request.POST.get("reason", "").strip()
    try:
        actions.cancel_prescription(rx, acting_user=user, reason=reason, origin=Origin.of(request))
    except ReasonRequired:
        messages.error(request, _("Write why you are cancelling the prescription."))
    except (VersionConflict, AlreadyEnteredInError):
        messages.error(request, _("This prescription was changed or cancelled meanwhile."))
    else:
        messages.success(request, _("Prescription cancelled."))
    return redirect(reverse("encounters:consultation", args=[rx.encounter_id]) + "#prescription")


def _print_options(request: HttpRequest, rx: Prescription) -> tuple[Any, Any]:
    language = request.GET.get("lang") or rx.language
    if language not in LANGUAGES:
        raise Http404("lang is hi, en or both")
    try:
        size = page_size(request.GET.get("size") or "A5")
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    if size.name not in ("A4", "A5"):
        raise Http404("size is A4 or A5")
    return language, size


def prescription_pdf(
    request: HttpRequest, rx: Prescription, language: Any, size: Any
) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    pdf = render_pdf(records.printout_for(rx, base), language, size)
    if not rx.is_entered_in_error:
        pdf = signing.sign(pdf, rx.doctor_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="rx-{rx.short_code}-{language}-{size.name}.pdf"'
    )
    return response


def _audit_print(
    request: HttpRequest, user: User, rx: Prescription, *, format: str, language: str, size: str
) -> None:
    record_print(
        rx,
        actor=user,
        patient_id=rx.patient_id,
        origin=Origin.of(request),
        printed="prescription",
        number=rx.short_code,
        version=rx.version_number,
        format=format,
        language=language,
        size=size,
    )


@requires(Perm.PRESCRIPTION_VIEW)
@require_GET
def pdf_view(request: HttpRequest, prescription_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    rx = _prescription_of(user, prescription_id)
    language, size = _print_options(request, rx)
    response = prescription_pdf(request, rx, language, size)
    _audit_print(request, user, rx, format="pdf", language=language, size=size.name)
    return response


@requires(Perm.PRESCRIPTION_VIEW)
@require_GET
def print_view(request: HttpRequest, prescription_id: uuid.UUID) -> HttpResponse:
    """The same content as the PDF, as a page the browser prints (Ctrl+P)."""
    user = staff_user(request)
    rx = _prescription_of(user, prescription_id)
    language, size = _print_options(request, rx)
    printout = records.printout_for(rx, request.build_absolute_uri("/").rstrip("/"))
    _audit_print(request, user, rx, format="browser", language=language, size=size.name)
    return render(
        request,
        "prescriptions/print.html",
        {
            "p": printout,
            "rx": rx,
            "language": language,
            "size": size.name,
            "show_en": language in ("en", "both"),
            "show_hi": language in ("hi", "both"),
        },
    )


@public
@require_http_methods(["GET", "HEAD", "POST"])
def verify_view(request: HttpRequest, code: str) -> HttpResponse:
    """For a chemist: clinic, doctor, date and medicines, nothing else about the patient.
    A PDF uploaded here is checked like `nidaan rx verify` does (signature, integrity)."""
    result = records.verify(code)
    file_report: list[str] | None = None
    if request.method == "POST":
        upload = request.FILES.get("pdf")
        if upload is not None and upload.size is not None and upload.size <= MAX_PDF_BYTES:
            file_report = verification.report_lines(verification.check_file(upload.read()))
        else:
            file_report = [_("Choose the prescription's PDF file (at most 2 MB).")]
    return render(
        request,
        "prescriptions/verify.html",
        {"result": result, "code": code.upper(), "file_report": file_report},
        status=200 if result else 404,
    )


MAX_PDF_BYTES = 2 * 1024 * 1024


@requires(Perm.PRESCRIPTION_WRITE)
@require_http_methods(["GET", "POST"])
def certificate_view(request: HttpRequest) -> HttpResponse:
    """The doctor's signing certificate: upload a .p12/.pfx with its password."""
    user = staff_user(request)
    error = ""
    if request.method == "POST":
        if "remove" in request.POST:
            signing.remove_certificate(acting_user=user, origin=Origin.of(request))
            messages.success(request, _("Signing certificate removed: PDFs are not signed."))
            return redirect("prescriptions:certificate")
        upload = request.FILES.get("pkcs12")
        if upload is None or (upload.size or 0) > 64 * 1024:
            error = _("Choose the certificate file (.p12 or .pfx).")
        else:
            try:
                signing.store_certificate(
                    upload.read(),
                    request.POST.get("password", ""),
                    acting_user=user,
                    origin=Origin.of(request),
                )
            except signing.CertificateError as exc:
                error = _("This certificate cannot be used: %(why)s.") % {"why": str(exc)}
            else:
                messages.success(request, _("Signing certificate saved: your PDFs are signed."))
                return redirect("prescriptions:certificate")
    return render(
        request,
        "prescriptions/certificate.html",
        {"certificate": signing.active_certificate(user.pk), "error": error},
        status=400 if error else 200,
    )


@requires(Perm.PRESCRIPTION_VIEW)
@require_http_methods(["GET", "POST"])
def formulary_view(request: HttpRequest) -> HttpResponse:
    """The formulary: the starter list and the clinic's own medicines; doctors and the
    admin add medicines here."""
    user = staff_user(request)
    can_add = user_has(user, Perm.FORMULARY_MANAGE)
    form = ClinicDrugForm(request.POST or None)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied(Perm.FORMULARY_MANAGE.value)
        if form.is_valid():
            values = dict(form.cleaned_data)
            values["classes"] = ", ".join(
                c.strip().lower() for c in values["classes"].split(",") if c.strip()
            )
            row = actions.add_clinic_drug(values, acting_user=user, origin=Origin.of(request))
            messages.success(
                request, _("%(drug)s added as %(code)s.") % {"drug": str(row), "code": row.code}
            )
            return redirect("prescriptions:formulary")
    own = ClinicDrug.objects.filter(organisation_id=user.organisation_uuid, active=True).order_by(
        "generic"
    )
    return render(
        request,
        "prescriptions/formulary.html",
        {
            "starter": formulary.STARTER,
            "own": [row.as_formulary() for row in own],
            "form": form,
            "can_add": can_add,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@requires(Perm.PRESCRIPTION_VIEW)
@require_GET
def today_view(request: HttpRequest) -> HttpResponse:
    """Today's prescriptions of the clinic, newest first: what the pharmacy dispenses."""
    user = staff_user(request)
    day = timezone.localdate()
    if request.GET.get("day"):
        try:
            day = datetime.date.fromisoformat(request.GET["day"])
        except ValueError as exc:
            raise Http404("day is YYYY-MM-DD") from exc
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    rows = (
        Prescription.objects.filter(
            organisation_id=user.organisation_uuid,
            recorded_at__gte=start,
            recorded_at__lt=start + datetime.timedelta(days=1),
        )
        .current()
        .select_related("patient", "doctor")
        .order_by("-recorded_at")[:300]
    )
    return render(request, "prescriptions/today.html", {"rows": rows, "day": day})
