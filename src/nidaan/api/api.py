"""The JSON API at /api/v1/ (OpenAPI document at /api/v1/openapi.json)."""

from __future__ import annotations

from ninja import NinjaAPI

from nidaan import __version__
from nidaan.api import errors
from nidaan.api.auth import BearerToken
from nidaan.api.billing import router as billing_router
from nidaan.api.documents import router as documents_router
from nidaan.api.encounters import router as encounters_router
from nidaan.api.patients import router as patients_router
from nidaan.api.prescriptions import router as prescriptions_router
from nidaan.api.queue import router as queue_router
from nidaan.api.records import router as records_router

api = NinjaAPI(
    title="Nidaan API",
    version=__version__,
    description="Patients of the token's organisation. Authenticate with "
    "`Authorization: Bearer <token>` (`nidaan token create USERNAME`).",
    auth=BearerToken(),
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/", patients_router)
api.add_router("/", documents_router)
api.add_router("/", encounters_router)
api.add_router("/", queue_router)
api.add_router("/", prescriptions_router)
api.add_router("/", billing_router)
api.add_router("/", records_router)
