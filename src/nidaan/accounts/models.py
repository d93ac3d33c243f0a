"""Staff accounts, their API tokens, and failed-login records for throttling."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from nidaan.clinics.models import Facility, Organisation
from nidaan.core.permissions import Role
from nidaan.core.synced import MergePolicy, SyncedModel, SyncedQuerySet


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    HINDI = "hi", "हिन्दी"


class StaffManager(UserManager.from_queryset(SyncedQuerySet)):  # type: ignore[misc]
    pass


class User(SyncedModel, AbstractUser):
    """A member of staff. Synced, so an enrolled node's users can log in offline."""

    merge_policy = MergePolicy.LAST_WRITER_WINS
    local_fields: ClassVar[frozenset[str]] = frozenset({"last_login"})

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    full_name_hi = models.CharField(_("name in Hindi"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    # A doctor's particulars, printed on every prescription (MCI regulations 1.4.1).
    qualification = models.CharField(_("qualification"), max_length=200, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=50, blank=True)
    council = models.CharField(_("medical council"), max_length=200, blank=True)

    objects: ClassVar[StaffManager] = StaffManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name()

    def get_full_name(self) -> str:
        """The name in the language of the page being shown (Hindi when there is one)."""
        if self.full_name_hi and (translation.get_language() or "").startswith("hi"):
            return self.full_name_hi
        return self.full_name or self.username

    @property
    def organisation_uuid(self) -> uuid.UUID:
        """The organisation every query of this user is scoped to (staff always have one)."""
        if self.organisation_id is None:
            raise PermissionDenied(f"{self.username} belongs to no organisation")
        return self.organisation_id

    @property
    def home_facility(self) -> Facility:
        """The branch this member of staff works at, where they register patients."""
        if self.facility is None:
            raise PermissionDenied(f"{self.username} is attached to no branch")
        return self.facility


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; it is node-local."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token of {self.user} ({self.label or 'unnamed'})"


class LoginFailure(models.Model):
    """One failed login, kept for throttling (and, later, for the audit report)."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="loginfail_user_idx"),
            models.Index(fields=["address", "at"], name="loginfail_addr_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} at {self.at}"


class TwoFactorDevice(models.Model):
    """A member of staff's authenticator app (TOTP, RFC 6238). Node-local: it is set up on
    the node the person logs in to, and its secret never leaves it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    # The base32 secret sealed with a key derived from the node's master key (keys/).
    sealed_secret = models.CharField(max_length=200)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last 30-second step a code was accepted for: each code works once.
    last_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"authenticator of {self.user}"


class StaffSession(models.Model):
    """A logged-in browser, so a member of staff can see theirs and end them all."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="browser_sessions")
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()
    address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"session of {self.user} from {self.address}"
