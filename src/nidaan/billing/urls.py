from __future__ import annotations

from django.urls import path

from nidaan.billing import views

app_name = "billing"
urlpatterns = [
    path("", views.bills_view, name="bills"),
    path("new/", views.new_bill_view, name="new"),
    path("<uuid:bill_id>/", views.bill_view, name="bill"),
    path("<uuid:bill_id>/pay/", views.pay_view, name="pay"),
    path("<uuid:bill_id>/credit-note/", views.credit_note_view, name="credit_note"),
    path("<uuid:bill_id>/cancel/", views.cancel_view, name="cancel"),
    path("<uuid:bill_id>/pdf/", views.pdf_view, name="pdf"),
    path("day-end/", views.day_end_view, name="day_end"),
    path("returns/", views.returns_view, name="returns"),
]
