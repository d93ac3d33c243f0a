"""OPD pages: the reception board, the doctor's queue, the waiting-hall TV, appointments
and doctors' hours. Thin adapters over opd.actions; every write is a POST."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nidaan.accounts.decorators import requires, staff_user
from nidaan.accounts.models import User
from nidaan.audit.record import Origin
from nidaan.core.permissions import Perm, Role
from nidaan.opd import actions
from nidaan.opd.actions import QueueError
from nidaan.opd.forms import (
    BookingForm,
    PriorityForm,
    ScheduleDayForm,
    SlotQueryForm,
    TokenForm,
    doctors_of,
    parse_day,
    staff_name,
)
from nidaan.opd.models import (
    Appointment,
    AppointmentStatus,
    DoctorSchedule,
    Priority,
    QueueEntry,
    QueueStatus,
    Weekday,
)
from nidaan.opd.slots import free_slots
from nidaan.patients.models import Patient
from nidaan.patients.search import search_patients

# How many waiting tokens the hall's TV shows after the one being seen.
DISPLAY_NEXT = 4
OPEN = (QueueStatus.WAITING, QueueStatus.CALLED, QueueStatus.IN_CONSULTATION)
WITH_DOCTOR = (QueueStatus.CALLED, QueueStatus.IN_CONSULTATION)


# --- shared helpers -------------------------------------------------------------------


def patient_name(patient: Patient) -> str:
    if patient.name_differs_in_latin:
        return f"{patient.name} ({patient.name_latin})"
    return patient.name


def _patient_from_query(user: User, value: str | None) -> Patient | None:
    """The patient a link names in `?patient=`; another organisation's is not found."""
    if not value:
        return None
    try:
        patient_id = uuid.UUID(value)
    except ValueError as error:
        raise Http404("no such patient") from error
    return get_object_or_404(
        Patient, pk=patient_id, organisation_id=user.organisation_uuid, entered_in_error=False
    )


def _entry_of(user: User, entry_id: uuid.UUID) -> QueueEntry:
    return get_object_or_404(
        QueueEntry.objects.select_related("patient", "doctor"),
        pk=entry_id,
        organisation_id=user.organisation_uuid,
    )


def _appointment_of(user: User, appointment_id: uuid.UUID) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related("patient", "doctor"),
        pk=appointment_id,
        organisation_id=user.organisation_uuid,
    )


def _doctor_of(user: User, value: str | None) -> User | None:
    try:
        return doctors_of(user.organisation_uuid).get(pk=value) if value else None
    except (User.DoesNotExist, ValueError, TypeError):
        return None


def _back(request: HttpRequest, default: str) -> str:
    """Where a POST returns to: the page it came from (same site only), or `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _token_message(request: HttpRequest, lead: str, entry: QueueEntry) -> None:
    """A success message with the token number in large type, to read out or write down."""
    detail = _("%(patient)s · %(doctor)s") % {
        "patient": patient_name(entry.patient),
        "doctor": staff_name(entry.doctor),
    }
    messages.success(
        request,
        format_html(
            '{} <strong class="token-big mono">{}</strong> <span>{}</span>',
            lead,
            entry.label,
            detail,
        ),
        extra_tags="token",
    )


def _status_label(status: str) -> str:
    return str(QueueStatus(status).label)


def _find_patients(request: HttpRequest, user: User) -> dict[str, Any]:
    """The "which patient?" step of the token and booking pages."""
    query = request.GET.get("q", "").strip()
    hits = search_patients(user.organisation_uuid, query, facility_id=user.facility_id)
    return {"query": query, "hits": hits}


def _minutes(since: datetime.datetime, until: datetime.datetime) -> int:
    return max(0, int((until - since).total_seconds() // 60))


# --- reception board ------------------------------------------------------------------


@dataclass
class BoardRow:
    entry: QueueEntry
    waited: int  # minutes from the token to being called (or until now, while waiting)


@dataclass
class DoctorQueue:
    doctor: User
    name: str
    with_doctor: list[QueueEntry] = field(default_factory=list)
    waiting: list[QueueEntry] = field(default_factory=list)
    finished: list[QueueEntry] = field(default_factory=list)

    @property
    def entries(self) -> list[QueueEntry]:
        """With the doctor first, then the waiting line in calling order, then the rest."""
        return [*self.with_doctor, *self.waiting, *self.finished]


def _today_queues(user: User, doctors: Iterable[User] | None = None) -> list[DoctorQueue]:
    """Today's tokens at the user's branch, one queue per doctor (doctors without tokens
    are included so that the board shows every doctor who may be given one)."""
    facility = user.home_facility
    entries = QueueEntry.objects.filter(facility=facility, day=timezone.localdate()).select_related(
        "patient", "doctor"
    )
    queues: dict[Any, DoctorQueue] = {}
    for doctor in doctors if doctors is not None else doctors_of(user.organisation_uuid):
        queues[doctor.pk] = DoctorQueue(doctor, staff_name(doctor))
    if doctors is not None:
        entries = entries.filter(doctor__in=list(queues))
    for entry in entries.order_by("token"):
        queue = queues.get(entry.doctor_id)
        if queue is None:  # a doctor since deactivated still has today's tokens
            queue = queues[entry.doctor_id] = DoctorQueue(entry.doctor, staff_name(entry.doctor))
        if entry.status in WITH_DOCTOR:
            queue.with_doctor.append(entry)
        elif entry.status == QueueStatus.WAITING:
            queue.waiting.append(entry)
        else:
            queue.finished.append(entry)
    for queue in queues.values():
        queue.waiting = actions.waiting_order(queue.waiting)
        queue.with_doctor.sort(key=lambda e: e.called_at or e.created_at, reverse=True)
    return list(queues.values())


def _waited(entry: QueueEntry, now: datetime.datetime) -> int:
    until = entry.called_at or entry.finished_at or now
    return _minutes(entry.created_at, until)


@requires(Perm.QUEUE_VIEW)
def board_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    now = timezone.now()
    queues = _today_queues(user)
    rows = {
        queue.doctor.pk: [BoardRow(entry, _waited(entry, now)) for entry in queue.entries]
        for queue in queues
    }
    return render(
        request,
        "opd/board.html",
        {
            "queues": [(queue, rows[queue.doctor.pk]) for queue in queues],
            "today": timezone.localdate(),
            "priorities": Priority.choices,
            "statuses": QueueStatus,
        },
    )


@requires(Perm.QUEUE_MANAGE)
def token_new_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    patient = _patient_from_query(user, request.GET.get("patient"))
    if patient is None:
        context = _find_patients(request, user)
        template = "opd/_patient_choices.html" if request.htmx else "opd/token_new.html"  # type: ignore[attr-defined]
        return render(request, template, {**context, "choose_url": reverse("opd:token_new")})
    form = TokenForm(request.POST or None, organisation_id=user.organisation_uuid)
    if request.method == "POST" and form.is_valid():
        doctor = form.cleaned_data["doctor"]
        try:
            entry = actions.issue_token(
                acting_user=user,
                patient=patient,
                doctor=doctor,
                facility=user.home_facility,
                priority=form.cleaned_data["priority"],
                origin=Origin.of(request),
            )
        except QueueError:
            form.add_error(None, _already_queued_message(user, patient, doctor))
        else:
            _token_message(request, _("Token given:"), entry)
            return redirect("opd:board")
    return render(
        request,
        "opd/token_new.html",
        {"patient": patient, "form": form, "choose_url": reverse("opd:token_new")},
    )


def _already_queued_message(user: User, patient: Patient, doctor: User) -> str:
    already = QueueEntry.objects.filter(
        facility=user.home_facility,
        doctor=doctor,
        patient=patient,
        day=timezone.localdate(),
        status__in=OPEN,
    ).first()
    if already is None:
        return _("%(doctor)s cannot be given tokens: choose another doctor.") % {
            "doctor": staff_name(doctor)
        }
    return _(
        "%(patient)s already has token %(token)s for %(doctor)s today (%(status)s). "
        "Give a new token only after that one is done."
    ) % {
        "patient": patient_name(patient),
        "token": already.label,
        "doctor": staff_name(doctor),
        "status": already.get_status_display(),
    }


@requires(Perm.QUEUE_MANAGE)
@require_POST
def priority_view(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    entry = _entry_of(user, entry_id)
    form = PriorityForm(request.POST)
    if form.is_valid():
        actions.set_priority(
            entry, form.cleaned_data["priority"], acting_user=user, origin=Origin.of(request)
        )
        messages.success(
            request,
            _("Token %(token)s: priority is now %(priority)s.")
            % {"token": entry.label, "priority": entry.get_priority_display()},
        )
    else:
        messages.error(request, _("Choose a priority from the list."))
    return redirect(_back(request, reverse("opd:board")))


# The front desk may take a token off the line or put it back; "done" is the doctor's.
DESK_STATUSES = (QueueStatus.LEFT, QueueStatus.NO_SHOW, QueueStatus.WAITING)


@requires(Perm.QUEUE_MANAGE)
@require_POST
def status_view(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    entry = _entry_of(user, entry_id)
    status = request.POST.get("status", "")
    if status not in DESK_STATUSES:
        messages.error(request, _("That change of status is not offered here."))
    else:
        _change_status(request, user, entry, status)
    return redirect(_back(request, reverse("opd:board")))


def _change_status(request: HttpRequest, user: User, entry: QueueEntry, status: str) -> None:
    before = entry.status
    try:
        actions.set_queue_status(entry, status, acting_user=user, origin=Origin.of(request))
    except QueueError:
        messages.error(
            request,
            _("Token %(token)s is “%(now)s”, so it cannot be marked “%(new)s”.")
            % {"token": entry.label, "now": _status_label(before), "new": _status_label(status)},
        )
    else:
        messages.success(
            request,
            _("Token %(token)s marked “%(new)s”.")
            % {"token": entry.label, "new": _status_label(status)},
        )


# --- the doctor's queue ---------------------------------------------------------------


@dataclass
class NowSeeing:
    entry: QueueEntry
    visit_url: str  # the open visit, once the consultation has started


def _queue_doctor(request: HttpRequest, user: User) -> tuple[User | None, list[User]]:
    """A doctor sees their own queue; an admin picks a doctor's queue to look at."""
    if user.role == Role.DOCTOR:
        return user, []
    doctors = list(doctors_of(user.organisation_uuid))
    chosen = _doctor_of(user, request.GET.get("doctor"))
    if chosen is None and len(doctors) == 1:
        chosen = doctors[0]
    return chosen, doctors


def _doctor_context(request: HttpRequest, user: User) -> dict[str, Any]:
    doctor, doctors = _queue_doctor(request, user)
    queue = _today_queues(user, [doctor])[0] if doctor is not None else None
    now = timezone.now()
    return {
        "doctor": doctor,
        "doctors": doctors,
        "queue": queue,
        "with_doctor": [
            NowSeeing(e, consultation_url(e.encounter_id) if e.encounter_id else "")
            for e in queue.with_doctor
        ]
        if queue
        else [],
        "waiting": [BoardRow(e, _waited(e, now)) for e in queue.waiting] if queue else [],
        "is_own_queue": doctor is not None and doctor.pk == user.pk,
        "done_count": sum(1 for e in queue.finished if e.status == QueueStatus.DONE)
        if queue
        else 0,
    }


@requires(Perm.QUEUE_CALL)
def doctor_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    return render(request, "opd/doctor.html", _doctor_context(request, user))


@requires(Perm.QUEUE_CALL)
def doctor_waiting_view(request: HttpRequest) -> HttpResponse:
    """The waiting list alone, polled by the doctor's page so new tokens appear."""
    user = staff_user(request)
    return render(request, "opd/_doctor_waiting.html", _doctor_context(request, user))


def _only_own_queue(request: HttpRequest, user: User) -> bool:
    if user.role == Role.DOCTOR:
        return True
    messages.error(request, _("Only the doctor calls patients from their queue."))
    return False


@requires(Perm.QUEUE_CALL)
@require_POST
def call_next_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if _only_own_queue(request, user):
        entry = actions.call_next(
            doctor=user, facility=user.home_facility, origin=Origin.of(request)
        )
        if entry is None:
            messages.info(request, _("Nobody is waiting."))
        else:
            _token_message(request, _("Called:"), entry)
    return redirect("opd:doctor")


def consultation_url(encounter_id: uuid.UUID) -> str:
    """The visit page (built in the encounters app); its path is fixed by the URL plan."""
    try:
        return reverse("encounters:consultation", args=[encounter_id])
    except NoReverseMatch:
        return f"/visits/{encounter_id}/"


@requires(Perm.QUEUE_CALL)
@require_POST
def start_view(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    entry = _entry_of(user, entry_id)
    if not _only_own_queue(request, user):
        return redirect("opd:doctor")
    try:
        encounter = actions.start_consultation(entry, acting_user=user, origin=Origin.of(request))
    except QueueError:
        messages.error(
            request,
            _(
                "Token %(token)s is “%(now)s”: a visit is started only for a waiting "
                "or called token."
            )
            % {"token": entry.label, "now": entry.get_status_display()},
        )
        return redirect("opd:doctor")
    return redirect(consultation_url(encounter.pk))


@requires(Perm.QUEUE_CALL)
@require_POST
def done_view(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    entry = _entry_of(user, entry_id)
    if _only_own_queue(request, user):
        _change_status(request, user, entry, QueueStatus.DONE)
    return redirect("opd:doctor")


# --- the waiting hall's TV ------------------------------------------------------------


@dataclass
class DisplayColumn:
    doctor: User
    now: list[str]
    next: list[str]


def _display_columns(user: User) -> list[DisplayColumn]:
    """Token numbers only: the hall's screen never shows a patient's name."""
    columns = []
    for queue in _today_queues(user):
        if not queue.with_doctor and not queue.waiting:
            continue
        columns.append(
            DisplayColumn(
                queue.doctor,
                now=[entry.label for entry in queue.with_doctor],
                next=[entry.label for entry in queue.waiting[:DISPLAY_NEXT]],
            )
        )
    return columns


@requires(Perm.QUEUE_VIEW)
def display_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    return render(request, "opd/display.html", {"columns": _display_columns(user)})


@requires(Perm.QUEUE_VIEW)
def display_board_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    return render(request, "opd/_display_board.html", {"columns": _display_columns(user)})


# --- appointments ---------------------------------------------------------------------


@dataclass
class DoctorDay:
    doctor: User
    name: str
    appointments: list[Appointment]


@requires(Perm.APPOINTMENT_BOOK)
def appointments_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    today = timezone.localdate()
    day = parse_day(request.GET.get("day")) or today
    doctors = list(doctors_of(user.organisation_uuid))
    chosen = _doctor_of(user, request.GET.get("doctor"))
    shown = [chosen] if chosen is not None else doctors
    start = datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())
    booked = (
        Appointment.objects.filter(
            facility=user.home_facility,
            doctor__in=[d.pk for d in shown],
            starts_at__gte=start,
            starts_at__lt=start + datetime.timedelta(days=1),
        )
        .select_related("patient", "doctor")
        .order_by("starts_at")
    )
    by_doctor: dict[Any, list[Appointment]] = {d.pk: [] for d in shown}
    for appointment in booked:
        by_doctor[appointment.doctor_id].append(appointment)
    return render(
        request,
        "opd/appointments.html",
        {
            "day": day,
            "is_today": day == today,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "doctors": doctors,
            "chosen": chosen,
            "days": [DoctorDay(d, staff_name(d), by_doctor[d.pk]) for d in shown],
            "statuses": AppointmentStatus,
        },
    )


def _appointments_url(day: datetime.date, doctor: User | None = None) -> str:
    url = f"{reverse('opd:appointments')}?day={day:%Y-%m-%d}"
    return f"{url}&doctor={doctor.pk}" if doctor is not None else url


@requires(Perm.APPOINTMENT_BOOK)
def book_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    patient = _patient_from_query(user, request.GET.get("patient"))
    if patient is None:
        context = _find_patients(request, user)
        template = "opd/_patient_choices.html" if request.htmx else "opd/book.html"  # type: ignore[attr-defined]
        return render(request, template, {**context, "choose_url": reverse("opd:book")})
    organisation = user.organisation_uuid
    source = request.POST if request.method == "POST" else request.GET
    query = SlotQueryForm(
        source if "day" in source else None,
        organisation_id=organisation,
        initial={"day": timezone.localdate()},
    )
    doctor = _doctor_of(user, source.get("doctor"))
    if doctor is None and query.fields["doctor"].initial:  # the clinic's only doctor
        doctor = _doctor_of(user, str(query.fields["doctor"].initial))
    day = parse_day(source.get("day")) or timezone.localdate()
    slots = (
        free_slots(doctor=doctor, facility=user.home_facility, day=day)
        if doctor and day >= timezone.localdate()
        else []
    )
    booking = BookingForm(
        request.POST if request.method == "POST" else None,
        organisation_id=organisation,
        slots=slots,
        initial={"doctor": doctor.pk if doctor else None, "day": day},
    )
    if request.method == "POST" and booking.is_valid():
        chosen_doctor: User = booking.cleaned_data["doctor"]
        try:
            appointment = actions.book_appointment(
                acting_user=user,
                patient=patient,
                doctor=chosen_doctor,
                facility=user.home_facility,
                starts_at=booking.cleaned_data["slot"],
                note=booking.cleaned_data["note"],
                origin=Origin.of(request),
            )
        except QueueError:
            booking.add_error("slot", _("That time is no longer free: choose another."))
        else:
            when = timezone.localtime(appointment.starts_at)
            messages.success(
                request,
                _("Appointment booked: %(patient)s with %(doctor)s on %(day)s at %(time)s.")
                % {
                    "patient": patient_name(patient),
                    "doctor": staff_name(chosen_doctor),
                    "day": f"{when:%d-%m-%Y}",
                    "time": f"{when:%H:%M}",
                },
            )
            return redirect(_appointments_url(when.date(), chosen_doctor))
    context = {
        "patient": patient,
        "choose_url": reverse("opd:book"),
        "query_form": query,
        "form": booking,
        "doctor": doctor,
        "doctor_name": staff_name(doctor) if doctor else "",
        "day": day,
        "has_hours": doctor is not None
        and DoctorSchedule.objects.filter(
            doctor=doctor, facility=user.home_facility, weekday=day.weekday(), active=True
        ).exists(),
    }
    return render(request, "opd/book.html", context)


@requires(Perm.APPOINTMENT_BOOK)
@require_POST
def check_in_view(request: HttpRequest, appointment_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    appointment = _appointment_of(user, appointment_id)
    back = _appointments_url(timezone.localtime(appointment.starts_at).date())
    try:
        entry = actions.check_in(appointment, acting_user=user, origin=Origin.of(request))
    except QueueError:
        messages.error(request, _check_in_refusal(user, appointment))
    else:
        _token_message(request, _("Checked in, token:"), entry)
    return redirect(_back(request, back))


def _check_in_refusal(user: User, appointment: Appointment) -> str:
    if appointment.status != AppointmentStatus.BOOKED:
        return _("This appointment is already “%(status)s”.") % {
            "status": appointment.get_status_display()
        }
    day = timezone.localtime(appointment.starts_at).date()
    if day != timezone.localdate():
        return _("This appointment is for %(day)s: check the patient in on that day.") % {
            "day": f"{day:%d-%m-%Y}"
        }
    return _already_queued_message(user, appointment.patient, appointment.doctor)


@requires(Perm.APPOINTMENT_BOOK)
@require_POST
def appointment_status_view(request: HttpRequest, appointment_id: uuid.UUID) -> HttpResponse:
    user = staff_user(request)
    appointment = _appointment_of(user, appointment_id)
    back = _back(request, _appointments_url(timezone.localtime(appointment.starts_at).date()))
    status = request.POST.get("status", "")
    if status not in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW):
        messages.error(request, _("That change of status is not offered here."))
        return redirect(back)
    before = appointment.get_status_display()
    try:
        actions.set_appointment_status(
            appointment, status, acting_user=user, origin=Origin.of(request)
        )
    except QueueError:
        messages.error(request, _("This appointment is already “%(status)s”.") % {"status": before})
    else:
        messages.success(
            request,
            _("Appointment of %(patient)s marked “%(status)s”.")
            % {
                "patient": patient_name(appointment.patient),
                "status": AppointmentStatus(status).label,
            },
        )
    return redirect(back)


# --- doctors' hours -------------------------------------------------------------------


@requires(Perm.SCHEDULE_MANAGE)
def schedule_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    facility = user.home_facility
    doctors = list(doctors_of(user.organisation_uuid))
    doctor = _doctor_of(user, request.GET.get("doctor")) or (doctors[0] if doctors else None)
    if doctor is None:
        return render(request, "opd/schedule.html", {"doctors": doctors, "doctor": None})
    existing = {
        s.weekday: s for s in DoctorSchedule.objects.filter(doctor=doctor, facility=facility)
    }
    day_forms = []
    for weekday in Weekday:
        saved = existing.get(weekday.value)
        initial = (
            {
                "works": saved.active,
                "starts": saved.starts,
                "ends": saved.ends,
                "break_starts": saved.break_starts,
                "break_ends": saved.break_ends,
                "slot_minutes": saved.slot_minutes,
            }
            if saved
            else {"slot_minutes": 10}
        )
        form = ScheduleDayForm(request.POST or None, prefix=f"day{weekday.value}", initial=initial)
        day_forms.append((weekday, form))
    if request.method == "POST" and all(form.is_valid() for _day, form in day_forms):
        for weekday, form in day_forms:
            if form.cleaned_data["works"]:
                values = form.schedule_values()
            elif weekday.value in existing:
                values = {"active": False}
            else:
                continue
            actions.save_schedule(
                acting_user=user,
                doctor=doctor,
                facility=facility,
                weekday=weekday.value,
                values=values,
                origin=Origin.of(request),
            )
        messages.success(
            request, _("OPD hours of %(doctor)s saved.") % {"doctor": staff_name(doctor)}
        )
        return redirect(f"{reverse('opd:schedule')}?doctor={doctor.pk}")
    return render(
        request,
        "opd/schedule.html",
        {
            "doctors": doctors,
            "doctor": doctor,
            "doctor_name": staff_name(doctor),
            "forms": day_forms,
        },
    )
