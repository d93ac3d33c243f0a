from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from nidaan.accounts.decorators import public
from nidaan.api.api import api
from nidaan.patients.views import home_view
from nidaan.prescriptions.urls import verify_urlpatterns


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", home_view, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("nidaan.accounts.urls")),
    path("", include("nidaan.clinics.urls")),
    path("patients/", include("nidaan.patients.urls")),
    path("opd/", include("nidaan.opd.urls")),
    path("visits/", include("nidaan.encounters.urls")),
    path("documents/", include("nidaan.documents.urls")),
    path("rx/", include("nidaan.prescriptions.urls")),
    path("v/", include((verify_urlpatterns, "verify"))),
    path("billing/", include("nidaan.billing.urls")),
    path("audit/", include("nidaan.audit.urls")),
    path("privacy/", include("nidaan.privacy.urls")),
    path("api/v1/", api.urls),
    path("sync/", include("nidaan.sync.urls")),
]
