"""Shapes of the JSON API. Values are validated by the same forms the pages use."""

from __future__ import annotations

import datetime
import uuid

from ninja import Schema
from pydantic import ConfigDict


class PatientIn(Schema):
    """Fields of a patient write. On PATCH, only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    sex: str | None = None
    age: int | None = None
    date_of_birth: str | None = None
    mobile: str | None = None
    guardian_name: str | None = None
    guardian_relation: str | None = None
    address_line: str | None = None
    locality: str | None = None
    district: str | None = None
    state: str | None = None
    pin: str | None = None
    abha_number: str | None = None
    abha_address: str | None = None


class PatientOut(Schema):
    id: uuid.UUID
    uhid: str
    name: str
    name_latin: str
    sex: str
    age: int
    date_of_birth: datetime.date
    date_of_birth_estimated: bool
    mobile: str
    guardian_name: str
    guardian_relation: str
    address_line: str
    locality: str
    district: str
    state: str
    pin: str
    abha_number: str
    abha_address: str
    created_at: datetime.datetime


class PatientHit(Schema):
    id: uuid.UUID
    uhid: str
    name: str
    name_latin: str
    sex: str
    age: int
    mobile: str
    guardian_name: str
    locality: str
    matched: str


class Errors(Schema):
    errors: dict[str, list[str]]


class Message(Schema):
    detail: str
