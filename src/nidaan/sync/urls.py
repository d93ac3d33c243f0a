from django.urls import path

from nidaan.sync import pages, views

app_name = "sync"

urlpatterns = [
    path("v1/enrol", views.enrol_view, name="enrol"),
    path("v1/push", views.push_view, name="push"),
    path("v1/pull", views.pull_view, name="pull"),
    path("v1/snapshot", views.snapshot_view, name="snapshot"),
    path("v1/blobs/<str:sha256>", views.blob_view, name="blob"),
    path("v1/audit", views.audit_view, name="audit"),
    path("v1/checksums", views.checksums_view, name="checksums"),
    path("v1/buckets/<int:bucket>", views.bucket_view, name="bucket"),
    path("", pages.status_page, name="status"),
    path("nodes/", pages.nodes_page, name="nodes"),
]
