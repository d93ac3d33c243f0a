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
    path("<uuid:bill_id>/refund/", views.refund_view, name="refund"),
    path("<uuid:bill_id>/pdf/", views.pdf_view, name="pdf"),
    path("day-end/", views.day_end_view, name="day_end"),
    path("returns/", views.returns_view, name="returns"),
    path("catalogue/", views.catalogue_view, name="catalogue"),
    path("catalogue/<uuid:item_id>/rate/", views.entry_rate_view, name="entry_rate"),
    path("catalogue/<uuid:item_id>/change/", views.entry_change_view, name="entry_change"),
    path("gst/", views.gst_profile_view, name="gst_profile"),
    path("patients/<uuid:patient_id>/", views.account_view, name="account"),
]
