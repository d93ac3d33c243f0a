from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nidaan.accounts.actions import create_staff_user
from nidaan.accounts.decorators import public, requires, staff_user
from nidaan.accounts.models import User
from nidaan.audit.record import Origin
from nidaan.clinics.actions import clinic_form_values, set_up_clinic, update_clinic
from nidaan.clinics.forms import ClinicForm, SetupAdminForm, StaffForm
from nidaan.clinics.models import Organisation
from nidaan.core.permissions import Perm


@public
def setup_view(request: HttpRequest) -> HttpResponse:
    """First run: the clinic's details and its first admin, on one page."""
    if Organisation.objects.exists():
        raise Http404("this node already has a clinic")
    clinic_form = ClinicForm(request.POST or None, prefix="clinic")
    admin_form = SetupAdminForm(request.POST or None, prefix="admin")
    if request.method == "POST" and clinic_form.is_valid() and admin_form.is_valid():
        _org, _facility, user = set_up_clinic(
            clinic=clinic_form.cleaned_data,
            admin=admin_form.cleaned_data,
            origin=Origin.of(request),
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("The clinic is set up. Add your doctors and staff next."))
        return redirect("clinics:staff")
    return render(
        request, "clinics/setup.html", {"clinic_form": clinic_form, "admin_form": admin_form}
    )


@requires(Perm.STAFF_MANAGE)
def staff_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = create_staff_user(
            acting_user=user,
            facility=user.home_facility,
            origin=Origin.of(request),
            **form.cleaned_data,
        )
        messages.success(request, _("%(name)s can now log in.") % {"name": added.full_name})
        return redirect("clinics:staff")
    staff = User.objects.filter(organisation_id=user.organisation_id).order_by("full_name")
    return render(request, "clinics/staff.html", {"form": form, "staff": staff})


@requires(Perm.CLINIC_MANAGE)
def clinic_settings_view(request: HttpRequest) -> HttpResponse:
    """The clinic's name, GSTIN and this branch's address, as printed on every page."""
    user = staff_user(request)
    facility = user.home_facility
    form = ClinicForm(request.POST or None, initial=clinic_form_values(facility))
    if request.method == "POST" and form.is_valid():
        changed = update_clinic(
            facility, form.cleaned_data, acting_user=user, origin=Origin.of(request)
        )
        messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
        return redirect("clinics:settings")
    return render(request, "clinics/settings.html", {"form": form})
