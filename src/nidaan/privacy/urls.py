from __future__ import annotations

from django.urls import path

from nidaan.privacy import views

app_name = "privacy"
urlpatterns = [
    path("patient/<uuid:patient_id>/records/fhir/", views.records_fhir_view, name="records_fhir"),
    path("patient/<uuid:patient_id>/records/pdf/", views.records_pdf_view, name="records_pdf"),
    path("patient/<uuid:patient_id>/erasure/", views.erasure_view, name="erasure"),
    path("patient/<uuid:patient_id>/emergency/", views.emergency_view, name="emergency"),
    path("incidents/", views.incidents_view, name="incidents"),
    path("incidents/<uuid:incident_id>/", views.incident_view, name="incident"),
]
