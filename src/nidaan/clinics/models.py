"""The clinic itself: an organisation and its facilities (branches)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from nidaan.clinics.states import State
from nidaan.core.synced import MergePolicy, SyncedModel


class TemperatureUnit(models.TextChoices):
    FAHRENHEIT = "F", "°F"
    CELSIUS = "C", "°C"


class Organisation(SyncedModel):
    """The legal entity: one clinic, nursing home or chain. Everything is scoped by it."""

    merge_policy = MergePolicy.LAST_WRITER_WINS
    org_field = "id"

    name = models.CharField(_("clinic name (English)"), max_length=200)
    name_hi = models.CharField(_("clinic name (Hindi)"), max_length=200, blank=True)
    gstin = models.CharField(_("GSTIN"), max_length=15, blank=True)
    temperature_unit = models.CharField(
        _("temperature unit"),
        max_length=1,
        choices=TemperatureUnit.choices,
        default=TemperatureUnit.FAHRENHEIT,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def org_scope(self) -> Any:
        return self.pk


class Facility(SyncedModel):
    """A branch: where patients are seen, with its own address and phone."""

    merge_policy = MergePolicy.LAST_WRITER_WINS

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="facilities"
    )
    name = models.CharField(_("branch name (English)"), max_length=200)
    name_hi = models.CharField(_("branch name (Hindi)"), max_length=200, blank=True)
    address_line = models.CharField(_("address"), max_length=300)
    city = models.CharField(_("town or city"), max_length=100)
    district = models.CharField(_("district"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=2, choices=State.choices)
    pin = models.CharField(_("PIN code"), max_length=6)
    phone = models.CharField(_("phone"), max_length=20)
    timings = models.CharField(_("OPD timings"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.name
