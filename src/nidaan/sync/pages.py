"""Admin pages: this node's sync status, and on the hub the clinic's nodes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from nidaan.accounts.decorators import requires, staff_user
from nidaan.core.models import ChangeLogEntry
from nidaan.core.permissions import Perm
from nidaan.sync import actions, status
from nidaan.sync.forms import EnrolmentCodeForm
from nidaan.sync.models import EnrolledNode


@requires(Perm.SYNC_MANAGE)
def status_page(request: HttpRequest) -> HttpResponse:
    """On a node: the link to the hub, what is waiting, what is held back."""
    user = staff_user(request)
    if settings.NIDAAN_ROLE == "hub":
        return redirect("sync:nodes")
    return render(
        request,
        "sync/status.html",
        {
            "status": status.node_status(),
            "held_back": status.held_back(user.organisation_uuid)[:100],
        },
    )


@requires(Perm.SYNC_MANAGE)
def nodes_page(request: HttpRequest) -> HttpResponse:
    """On the hub: the clinic's nodes, enrolment codes, revocation and held-back changes."""
    user = staff_user(request)
    org_id = user.organisation_uuid
    form = EnrolmentCodeForm(request.POST or None, organisation_id=org_id)
    code = None
    if request.method == "POST":
        if "revoke" in request.POST:
            enrolled = get_object_or_404(
                EnrolledNode, pk=request.POST["revoke"], organisation_id=org_id
            )
            actions.revoke_node(enrolled=enrolled, acting_user=user)
            messages.success(request, _("The node can no longer sync."))
            return redirect("sync:nodes")
        if "release" in request.POST:
            entry = get_object_or_404(ChangeLogEntry, pk=request.POST["release"], org_id=org_id)
            actions.release_quarantined(entry=entry, acting_user=user)
            messages.success(request, _("The change was applied."))
            return redirect("sync:nodes")
        if form.is_valid():
            code = actions.create_enrolment_code(
                facility=form.cleaned_data["facility"], acting_user=user
            )
    return render(
        request,
        "sync/nodes.html",
        {
            "is_hub": settings.NIDAAN_ROLE == "hub",
            "nodes": status.enrolled_nodes(org_id),
            "form": form,
            "code": code,
            "held_back": status.held_back(org_id)[:100],
        },
    )
