"""Until a clinic is set up, every page leads to the first-run set-up."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from nidaan.clinics.models import Organisation

_ALWAYS_OPEN = ("/setup/", "/static/", "/api/", "/healthz", "/sync/v1/")


class FirstRunSetupMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._set_up = False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._set_up:
            # Once a clinic exists it never goes away, so the check stops after success.
            self._set_up = Organisation.objects.exists()
            if not self._set_up and not request.path.startswith(_ALWAYS_OPEN):
                return redirect("clinics:setup")
        return self.get_response(request)
