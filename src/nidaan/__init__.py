"""Nidaan: an offline-first electronic medical record for small Indian clinics."""

__version__ = "0.1.0"
