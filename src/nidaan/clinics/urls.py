from __future__ import annotations

from django.urls import path

from nidaan.clinics import views

app_name = "clinics"
urlpatterns = [
    path("setup/", views.setup_view, name="setup"),
    path("staff/", views.staff_view, name="staff"),
    path("clinic/", views.clinic_settings_view, name="settings"),
]
