from __future__ import annotations

from django.urls import URLPattern, path

from nidaan.prescriptions import views

app_name = "prescriptions"
urlpatterns: list[URLPattern] = [
    path("", views.today_view, name="today"),
    path("formulary/", views.formulary_view, name="formulary"),
    path("certificate/", views.certificate_view, name="certificate"),
    path("visit/<uuid:encounter_id>/", views.section_view, name="section"),
    path("visit/<uuid:encounter_id>/write/", views.write_view, name="write"),
    path("<uuid:prescription_id>/pdf/", views.pdf_view, name="pdf"),
    path("<uuid:prescription_id>/print/", views.print_view, name="print"),
    path("<uuid:prescription_id>/revise/", views.revise_view, name="revise"),
    path("<uuid:prescription_id>/cancel/", views.cancel_view, name="cancel"),
]

# The verification page a printed QR code opens: /v/<short code>.
verify_urlpatterns: list[URLPattern] = [
    path("<str:code>", views.verify_view, name="verify"),
]
