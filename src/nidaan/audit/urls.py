from __future__ import annotations

from django.urls import path

from nidaan.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log_view, name="log"),
    path("patient/<uuid:patient_id>/", views.patient_access_view, name="patient_access"),
    path("patient/<uuid:patient_id>/export/", views.patient_export_view, name="patient_export"),
]
