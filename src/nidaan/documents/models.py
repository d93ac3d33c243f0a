"""Lab reports and images attached to a patient or a visit.

A document is a clinical record, so it is append-only (core.versioned): withdrawing a
wrong upload is a new version with status entered-in-error and a reason, and the
original stays in the history. The file itself is not in the database: `sha256` names
it in the blob store (documents.storage), which syncs separately (design.md §3).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nidaan.clinics.models import Organisation
from nidaan.core.versioned import VersionedRecord
from nidaan.documents import filetypes
from nidaan.documents.uploads import size_label
from nidaan.encounters.models import Encounter
from nidaan.patients.models import Patient


class DocumentKind(models.TextChoices):
    LAB_REPORT = "lab-report", _("Lab report")
    IMAGING = "imaging", _("X-ray, scan or ECG")
    OUTSIDE_PRESCRIPTION = "outside-prescription", _("Prescription from outside")
    OTHER = "other", _("Other")


class Document(VersionedRecord):
    content_fields = (
        "title",
        "kind",
        "original_filename",
        "content_type",
        "size",
        "sha256",
    )

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    encounter = models.ForeignKey(
        Encounter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("visit"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind of document"),
        max_length=24,
        choices=DocumentKind.choices,
        default=DocumentKind.LAB_REPORT,
    )
    original_filename = models.CharField(_("file name"), max_length=255)
    # Decided from the content's first bytes, never from the name or the browser.
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    sha256 = models.CharField(max_length=64, db_index=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["patient", "-recorded_at"], name="document_patient_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.original_filename

    @property
    def display_title(self) -> str:
        """The title given, or the kind of document when none was."""
        return self.title or str(self.get_kind_display())

    @property
    def size_label(self) -> str:
        return size_label(self.size)

    @property
    def is_image(self) -> bool:
        return self.content_type in (filetypes.JPEG, filetypes.PNG)

    @property
    def is_pdf(self) -> bool:
        return self.content_type == filetypes.PDF

    @property
    def served_filename(self) -> str:
        return filetypes.filename_for(self.original_filename, self.content_type)
