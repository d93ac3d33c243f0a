"""Each spelling equivalence of docs/search.md, with real patients, through the API."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from nidaan.core.permissions import Role
from tests.factories import ClinicWorld


class SearchApi:
    def __init__(self, world: ClinicWorld) -> None:
        self.world = world
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {world.token(Role.RECEPTIONIST)}"}

    def register(self, **values: object) -> str:
        body = {"sex": "F", "age": 30, **values}
        response = self.client.post(
            "/api/v1/patients",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )
        assert response.status_code == 201, response.content
        patient_id: str = response.json()["id"]
        return patient_id

    def find(self, query: str) -> list[str]:
        response = self.client.get("/api/v1/patients", {"q": query}, headers=self.headers)
        assert response.status_code == 200, response.content
        return [hit["id"] for hit in response.json()]


@pytest.fixture
def api(world: ClinicWorld) -> SearchApi:
    return SearchApi(world)


# (registered as, typed in the search box)
EQUIVALENT = [
    ("सुनीता देवी", "sunita"),  # Latin for Devanagari
    ("Sunita Devi", "सुनीता"),  # Devanagari for Latin
    ("Sunita Devi", "sun"),  # prefix
    ("Sunita Devi", "devi sunita"),  # word order
    ("Sunita Devi", "sun dev"),  # partial words
    ("Sunita Devi", "Sunitaa"),  # vowel length aa/a
    ("Sanjeev Kumar", "sanjiv"),  # ee/i
    ("Pooja Yadav", "puja"),  # oo/u
    ("Shrivastav Amit", "srivastava"),  # sh/s and final schwa
    ("Vinod Verma", "winod werma"),  # v/w
    ("Phoolmati Devi", "fulmati"),  # ph/f
    ("Zaheer Khan", "jahir"),  # z/j
    ("Lakshmi Devi", "laxmi"),  # ksh/x
    ("Ramesha Prasad", "ramesh"),  # final schwa
    ("Mukesh Kumar", "mukkesh"),  # doubled letters
    ("ज़ैनब ख़ातून", "जैनब खातून"),  # nukta
    ("चाँद बीबी", "चांद"),  # chandrabindu / anusvara
    ("रमेश सिंह", "ramesh singh"),  # anusvara before h
    ("Smt. Sunita Devi", "sunita devi"),  # honorific ignored in the register
    ("Sunita Devi", "smt sunita"),  # honorific ignored in the query
    ("Mohd Arif", "mohammad arif"),  # Mohd/Md/Mohammad matched
    ("मोहम्मद आरिफ़", "md arif"),
    ("Shri Ram Prasad", "ram prasad"),
    ("Kumari Neha", "neha"),
    ("Bhagwati Devi", "भगवती"),  # medial schwa: one letter apart
    ("Rajendra Prasad", "rajendar"),  # one typo (swap)
    ("Sunita Devi", "sunitta"),  # one typo (insertion)
    ("Priyanka Gupta", "priyamka"),  # one typo (change)
    ("Srivastava", "srivstava"),  # one typo (deletion)
]


@pytest.mark.parametrize(("registered", "typed"), EQUIVALENT)
def test_a_spelling_variant_finds_the_patient(api: SearchApi, registered: str, typed: str) -> None:
    patient = api.register(name=registered)
    api.register(name="Someone Else")
    assert api.find(typed) == [patient]


NOT_EQUIVALENT = [
    ("Anil Yadav", "amil"),  # typos are not corrected in words under five letters
    ("Sunita Devi", "sumitra"),  # two edits away
]


@pytest.mark.parametrize(("registered", "typed"), NOT_EQUIVALENT)
def test_a_different_name_is_not_found(api: SearchApi, registered: str, typed: str) -> None:
    patient = api.register(name=registered)
    api.register(name="Rakesh Sharma")
    assert patient not in api.find(typed)


@pytest.mark.parametrize(
    ("meant", "neighbour", "typed"),
    [
        # Rajesh and Rakesh are one letter apart: both real names. "rakesh" finds the
        # Rakeshes first; a Rajesh (perhaps mistyped) only after them.
        ("Rakesh Kumar", "Rajesh Kumar", "rakesh kumar"),
        ("Sunita Kumari", "Sunil Yadav", "sunita"),
    ],
)
def test_a_registered_name_comes_before_its_one_letter_neighbours(
    api: SearchApi, meant: str, neighbour: str, typed: str
) -> None:
    neighbour_id = api.register(name=neighbour)
    meant_id = api.register(name=meant)
    assert api.find(typed) == [meant_id, neighbour_id]


def test_typos_are_not_fetched_when_the_name_itself_fills_the_page(api: SearchApi) -> None:
    neighbour = api.register(name="Sunil Yadav")
    for i in range(20):
        api.register(name=f"Sunita {chr(ord('a') + i)}devi")
    found = api.find("sunita")
    assert len(found) == 20
    assert neighbour not in found


def test_half_typed_vowels_still_find_the_name(api: SearchApi) -> None:
    suneeta = api.register(name="Suneeta Rao")  # key "sunit"
    assert api.find("sune") == [suneeta]


def test_identifiers_in_every_form(api: SearchApi, world: ClinicWorld) -> None:
    patient = api.register(
        name="Sunita Devi",
        mobile="9876543210",
        abha_number="91628545755116",
        abha_address="sunita.devi@abdm",
    )
    api.register(name="Other", mobile="9812340000")
    uhid = api.client.get(f"/api/v1/patients/{patient}", headers=api.headers).json()["uhid"]
    for typed in (
        "9876543210",
        "+91 98765 43210",
        "098765-43210",
        "3210",
        "543210",
        uhid,
        uhid.replace("-", ""),
        uhid.lower(),
        "91-6285-4575-5116",
        "91628545755116",
        "Sunita.Devi@abdm",
    ):
        assert api.find(typed) == [patient], typed


def test_a_mistyped_uhid_finds_nothing(api: SearchApi) -> None:
    patient = api.register(name="Sunita Devi")
    uhid = api.client.get(f"/api/v1/patients/{patient}", headers=api.headers).json()["uhid"]
    compact = uhid.replace("-", "")
    typo = compact[:5] + ("9" if compact[5] != "9" else "8") + compact[6:]
    assert api.find(typo) == []


def test_an_exact_identifier_comes_before_names(api: SearchApi) -> None:
    by_name = api.register(name="Rahul 98765")  # digits in a name never match a mobile
    by_mobile = api.register(name="Ravi Kumar", mobile="9876543210")
    by_suffix = api.register(name="Ravi Kumari", mobile="9000043210")
    found = api.find("9876543210")
    assert found[0] == by_mobile
    assert by_name not in found
    assert api.find("43210") == [by_suffix, by_mobile]  # newest first within a rank


def test_exact_name_then_same_words_then_prefix_then_typo(api: SearchApi) -> None:
    typo = api.register(name="Sunitaa Devvi Rao")  # devvi folds to devi: whole words
    prefix = api.register(name="Sunitara Devika")
    particle = api.register(name="Smt Sunita Devi")
    exact = api.register(name="Sunita Devi")
    near = api.register(name="Sunuta Devi")  # mistyped at registration: one typo
    found = api.find("sunita devi")
    assert found[:3] == [exact, particle, typo]
    assert found.index(prefix) < found.index(near)


def test_patients_of_this_branch_come_first_among_equals(
    api: SearchApi, world: ClinicWorld
) -> None:
    from nidaan.clinics.models import Facility
    from nidaan.core import changelog
    from nidaan.patients.models import Patient

    ours = api.register(name="Ramesh Kumar")
    theirs = api.register(name="Ramesh Kumar")  # newer, but registered at another branch
    branch = Facility(
        organisation=world.organisation,
        name="Gaya branch",
        address_line="x",
        city="Gaya",
        state="10",
        pin="823001",
        phone="0631 000",
    )
    changelog.insert(branch, acting_user=world.user(Role.ADMIN))
    patient = Patient.objects.get(pk=theirs)
    patient.registered_at = branch
    changelog.update(patient, ["registered_at"], acting_user=world.user(Role.ADMIN))
    assert api.find("ramesh kumar") == [ours, theirs]
