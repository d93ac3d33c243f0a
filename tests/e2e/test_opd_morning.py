"""The acceptance scenario of the OPD day (issue 5): one whole morning, three people at
three screens.

The receptionist, working in Hindi, registers three patients and gives each a token.
The doctor, working in English, calls them in token order and sees each one: vitals (a
BP typed as 1200 is refused and nothing is stored), a diagnosis picked from the ICD-10
search, an allergy shown in red, the consultation completed and then amended with a
reason. The waiting hall's TV follows the calls by itself. Later in the morning the first
patient comes back for a BP recheck, and her history shows the BP trend of both visits,
in English and in Hindi.
"""

from __future__ import annotations

import gettext
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, Response, ViewportSize, expect

import nidaan

if TYPE_CHECKING:
    from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

# As in conftest.py: a clinic PC's screen, and a timeout that fails a hang fast.
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}
ACTION_TIMEOUT_MS = 10_000
# The TV asks for the board every 5 s: one poll, plus slack for a slow box.
TV_POLL_MS = 12_000

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
PATIENT_URL = re.compile(rf"/patients/({UUID})/$")
VISIT_URL = re.compile(rf"/visits/({UUID})/(#\w+)?$")
DEMO_MOBILE_TAILS = {"1234", "2345", "3456", "4567", "5678"}
LOCALE_DIR = Path(nidaan.__file__).parent / "locale"
SURNAMES = ["शर्मा", "वर्मा", "गुप्ता", "मिश्रा", "तिवारी", "पांडे", "चौहान", "त्रिपाठी"]


@dataclass
class Patient:
    first_name: str
    sex: str
    age: int
    surname: str = ""
    mobile: str = ""
    id: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.surname}"


@cache
def _catalogue() -> gettext.NullTranslations:
    return gettext.translation("django", localedir=LOCALE_DIR, languages=["hi"])


def hindi(english: str) -> str:
    """What the Hindi catalogue shows for `english`: the page is checked against the
    catalogue, so a translator's better wording does not break the test."""
    text = _catalogue().gettext(english)
    assert re.search("[\u0900-\u097f]", text), f"no Hindi for {english!r} in the catalogue"
    return text


def unique_mobile(taken: set[str]) -> str:
    while True:
        mobile = "97" + "".join(random.choices("0123456789", k=8))
        if mobile[-4:] not in DEMO_MOBILE_TAILS and mobile not in taken:
            taken.add(mobile)
            return mobile


def morning_patients() -> list[Patient]:
    """Three patients with names and mobiles of their own in this run."""
    patients = [Patient("गीता", "F", 52), Patient("अरुण", "M", 38), Patient("सलमा", "F", 27)]
    taken: set[str] = set()
    for patient, surname in zip(patients, random.sample(SURNAMES, 3), strict=True):
        patient.surname = surname
        patient.mobile = unique_mobile(taken)
    return patients


# --- three browsers side by side --------------------------------------------------------


@pytest.fixture
def desk(
    browser: Browser,
    server: Server,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], Page]]:
    """`desk("doctor")`: another PC in the clinic, logged in as that demo user, with the
    same rules as the `page` fixture (JavaScript errors fail the test; a failed test
    leaves a screenshot of where each PC stopped)."""
    opened: list[tuple[str, Page, list[str]]] = []

    def open_desk(username: str) -> Page:
        context = browser.new_context(viewport=VIEWPORT, locale="en-IN")
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        opened.append((username, tab, errors))
        log_in(tab, server, username)
        return tab

    yield open_desk

    report = getattr(request.node, "report_call", None)
    failed = report is not None and report.failed
    problems = []
    for index, (username, tab, errors) in enumerate(opened):
        if failed:
            name = f"{request.node.name}-{index}-{username}.png"
            path = tmp_path_factory.mktemp("failures") / name
            tab.screenshot(path=path, full_page=True)
            print(f"\nscreenshot of desk {index} ({username}): {path} ({tab.url})")  # noqa: T201
        tab.context.close()
        problems += [f"{username} #{index}: {error}" for error in errors]
    if problems:
        pytest.fail("JavaScript errors on the page:\n" + "\n".join(problems))


def log_in(tab: Page, server: Server, username: str) -> None:
    tab.goto(server.url("/accounts/login/"))
    tab.fill("#id_username", username)
    tab.fill("#id_password", server.password)
    tab.click("button[type=submit]")
    expect(tab.locator("#patient-search")).to_be_visible()


def use_language(tab: Page, language: str) -> None:
    """Switch with the header's toggle, starting from the other language so that the
    switch itself is exercised whatever the user chose last time."""
    other = "en" if language == "hi" else "hi"
    html = tab.locator("html")
    if html.get_attribute("lang") == language:
        tab.locator(f"header button[name=language][value={other}]").click()
        expect(html).to_have_attribute("lang", other)
    tab.locator(f"header button[name=language][value={language}]").click()
    expect(html).to_have_attribute("lang", language)


def answer_to(method: str, path: str) -> Callable[[Response], bool]:
    def matches(response: Response) -> bool:
        return response.request.method == method and response.url.split("?")[0].endswith(path)

    return matches


# --- the receptionist -------------------------------------------------------------------


def register(reception: Page, server: Server, patient: Patient) -> None:
    reception.locator("header a[href='/patients/new/']").click()
    expect(reception).to_have_url(server.url("/patients/new/"))
    reception.fill("#id_name", patient.name)
    reception.check(f"input[name=sex][value={patient.sex}]")
    reception.fill("#id_age", str(patient.age))
    reception.fill("#id_mobile", patient.mobile)
    reception.locator("#register-form button[type=submit]").click()
    expect(reception).to_have_url(PATIENT_URL)
    match = PATIENT_URL.search(reception.url)
    assert match is not None
    patient.id = match.group(1)
    expect(reception.locator("h1")).to_contain_text(patient.name)


def give_token(reception: Page, server: Server, patient: Patient, expected: int) -> None:
    """From the patient's page: "Give token", the clinic's only doctor is already chosen."""
    token_url = f"/opd/token/new/?patient={patient.id}"
    reception.locator(f"main a[href='{token_url}']").click()
    expect(reception).to_have_url(server.url(token_url))
    expect(reception.locator(".patient-chosen")).to_contain_text(patient.name)
    expect(reception.locator("input[name=doctor]:checked")).to_have_count(1)
    reception.locator(f"form[action='{token_url}'] button[type=submit]").click()

    expect(reception).to_have_url(server.url("/opd/"))
    message = reception.locator(".messages li.token")
    expect(message.locator(".token-big")).to_have_text(str(expected))
    expect(message).to_contain_text(hindi("Token given:"))
    expect(message).to_contain_text(patient.name)


def board_row(board: Page, token: int) -> Locator:
    cell = board.locator("td.token-cell", has_text=re.compile(rf"^\s*{token}\s*$"))
    return board.locator("table.queue-table tbody tr", has=cell)


# --- the doctor -------------------------------------------------------------------------


def open_queue(doctor: Page, server: Server) -> None:
    doctor.locator("header a[href='/opd/doctor/']").click()
    expect(doctor).to_have_url(server.url("/opd/doctor/"))


def call_next(doctor: Page, server: Server, token: int, patient: Patient) -> None:
    doctor.locator("form[action='/opd/doctor/call-next/'] button[type=submit]").click()
    expect(doctor).to_have_url(server.url("/opd/doctor/"))
    expect(doctor.locator(".messages li.token .token-big")).to_have_text(str(token))
    now = doctor.locator(".now-seeing")
    expect(now).to_have_count(1)
    expect(now.locator(".token-big")).to_have_text(str(token))
    expect(now).to_contain_text(patient.name)
    expect(now.locator(".status-called")).to_have_text("Called")


def start_consultation(doctor: Page, patient: Patient) -> str:
    doctor.locator(".now-seeing form[action$='/start/'] button[type=submit]").click()
    expect(doctor).to_have_url(VISIT_URL)
    expect(doctor.locator(".chart-head h1")).to_contain_text(patient.name)
    expect(doctor.locator("#vitals .vitals-table")).to_have_count(0)
    return urlsplit(doctor.url).path


def record_vitals(doctor: Page, values: dict[str, str]) -> Locator:
    """Fill the vitals form, save, and return the vitals section as swapped in."""
    form = doctor.locator("#vitals form.vitals-form")
    for name, value in values.items():
        form.locator(f"[name={name}]").fill(value)
    with doctor.expect_response(answer_to("POST", "/vitals/")) as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.ok
    return doctor.locator("#vitals")


def complete_consultation(doctor: Page, complaint: str, duration: str, advice: str) -> None:
    note = doctor.locator("#note-form")
    note.locator(f"button.chip[data-complaint='{complaint}']").click()
    note.locator(f"button.chip-duration[data-duration='{duration}']").click()
    expect(note.locator("[name=complaints_text]")).to_have_value(f"{complaint} {duration}\n")
    note.locator("[name=advice]").fill(advice)
    note.locator("button[name=complete]").click()
    expect(doctor).to_have_url(VISIT_URL)
    expect(doctor.locator(".messages li.success")).to_have_text("Consultation completed.")
    expect(doctor.locator("#note .badge.done")).to_have_text("Completed")


def finish(doctor: Page, server: Server, token: int) -> None:
    open_queue(doctor, server)
    now = doctor.locator(".now-seeing")
    expect(now.locator(".token-big")).to_have_text(str(token))
    now.locator("form[action$='/done/'] button[type=submit]").click()
    expect(doctor).to_have_url(server.url("/opd/doctor/"))
    expect(doctor.locator(".messages li.success")).to_contain_text(f"Token {token} marked")
    expect(doctor.locator(".now-seeing")).to_have_count(0)


def is_red(tab: Page, selector: str) -> bool:
    red, green, blue = tab.locator(selector).first.evaluate(
        "el => getComputedStyle(el).color.match(/\\d+/g).slice(0, 3).map(Number)"
    )
    return bool(red > 150 and green < 100 and blue < 100)


# --- the morning ------------------------------------------------------------------------


def test_a_whole_opd_morning_at_reception_doctor_and_tv(
    page: Page,
    server: Server,
    log_in: Callable[[str], None],
    desk: Callable[[str], Page],
    screenshot: Callable[[Page, str], Path],
) -> None:
    geeta, arun, salma = patients = morning_patients()

    # Two PCs side by side: reception in Hindi, the doctor's in English.
    reception = page
    log_in("reception")
    use_language(reception, "hi")
    doctor = desk("doctor")
    use_language(doctor, "en")
    open_queue(doctor, server)
    expect(doctor.locator("h1")).to_contain_text("Doctor's queue")

    # Today's tokens so far (none on a fresh server): the morning's are the next three.
    reception.goto(server.url("/opd/"))
    expect(reception.locator("h1")).to_contain_text(hindi("Today's tokens"))
    first = reception.locator("td.token-cell").count() + 1
    tokens = [first, first + 1, first + 2]

    # Reception: register each patient and give a token.
    for patient, token in zip(patients, tokens, strict=True):
        register(reception, server, patient)
        give_token(reception, server, patient, token)
    for patient, token in zip(patients, tokens, strict=True):
        row = board_row(reception, token)
        expect(row).to_contain_text(patient.name)
        expect(row.locator(".status-waiting")).to_have_text(hindi("Waiting"))
    screenshot(reception, "opd-board")

    # The hall's TV (a PC logged in at reception): nobody called yet, the next three.
    tv = desk("reception")
    tv.goto(server.url("/opd/display/"))
    expect(tv.locator(".tv-now .tv-none")).to_be_visible()
    expect(tv.locator(".tv-next span")).to_have_text([str(t) for t in tokens])
    expect(tv.locator(".tv-label").first).to_contain_text(hindi("Now calling"))
    expect(tv.locator(".tv-label .tv-en").first).to_have_text("Now calling")

    # The doctor's queue shows them in token order.
    open_queue(doctor, server)
    expect(doctor.locator("#waiting-list td.token-cell")).to_have_text([str(t) for t in tokens])
    expect(doctor.locator(".now-seeing")).to_have_count(0)
    screenshot(doctor, "doctor-queue")

    # --- Token 1, Geeta: the typo, the diagnosis, the allergy, completion, amendment ---
    call_next(doctor, server, tokens[0], geeta)
    expect(doctor.locator("#waiting-list td.token-cell")).to_have_text([str(t) for t in tokens[1:]])
    # The TV follows by itself (no reload): token 1 is called, 2 and 3 are next.
    expect(tv.locator(".tv-now span")).to_have_text([str(tokens[0])], timeout=TV_POLL_MS)
    expect(tv.locator(".tv-next span")).to_have_text([str(t) for t in tokens[1:]])
    screenshot(tv, "tv-display")

    first_visit = start_consultation(doctor, geeta)

    # BP 1200 (a slip of the finger for 120) is refused under the field; nothing stored.
    vitals = record_vitals(doctor, {"bp_systolic": "1200", "bp_diastolic": "80", "pulse": "88"})
    error = vitals.locator(".field-error")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("1200 is not possible for BP systolic")
    expect(error).to_contain_text("50–260")
    expect(vitals.locator(".bp-field.has-error")).to_be_visible()
    expect(vitals.locator("[name=bp_systolic]")).to_be_focused()
    expect(vitals.locator(".vitals-table")).to_have_count(0)
    expect(vitals).to_contain_text("No vitals recorded in this visit yet.")
    screenshot(doctor, "consultation-bp-refused")

    vitals = record_vitals(
        doctor,
        {
            "bp_systolic": "150",
            "bp_diastolic": "96",
            "pulse": "88",
            "temperature": "100.4",
            "spo2": "98",
            "weight_kg": "64",
            "height_cm": "158",
        },
    )
    expect(vitals.locator(".field-error")).to_have_count(0)
    expect(vitals.locator(".saved")).to_be_visible()
    reading = vitals.locator(".vitals-table tbody tr")
    expect(reading).to_have_count(1)
    expect(reading).to_contain_text("150/96")
    expect(reading).to_contain_text("100.4")
    expect(reading).to_contain_text("25.6")  # BMI of 64 kg at 158 cm
    expect(reading.locator("td.flag.high").first).to_contain_text("150/96")

    # A diagnosis from the WHO ICD-10 search.
    search = doctor.locator("#dx-q")
    with doctor.expect_response(
        lambda r: "/visits/icd10/" in r.url and "q=fever" in r.url
    ) as found:
        search.fill("fever")
    assert found.value.ok
    option = doctor.locator("#dx-results button.dx-option[value='R50.9']")
    expect(option).to_contain_text("Fever, unspecified")
    expect(option).to_be_enabled()
    with doctor.expect_response(answer_to("POST", "/diagnoses/")):
        option.click()
    diagnosis = doctor.locator("#diagnoses li.record")
    expect(diagnosis).to_have_count(1)
    expect(diagnosis.locator(".code")).to_have_text("R50.9")
    expect(diagnosis).to_contain_text("Fever, unspecified")
    expect(diagnosis).to_contain_text("Provisional")
    # The cursor returns to the diagnosis box once the new list has settled: wait for it,
    # or it can jump there in the middle of typing the allergy below.
    expect(doctor.locator("#dx-q")).to_be_focused()

    # An allergy: in red in the banner over the chart and in the allergy list.
    expect(doctor.locator("#allergy-banner")).to_have_class(re.compile(r"\bnone\b"))
    allergy_form = doctor.locator("#allergies form.allergy-form")
    allergy_form.locator("[name=substance]").fill("Penicillin")
    allergy_form.locator("[name=category]").select_option("drug")
    allergy_form.locator("[name=reaction]").fill("Rash and itching")
    allergy_form.locator("[name=severity]").select_option("severe")
    with doctor.expect_response(answer_to("POST", "/allergies/")):
        allergy_form.locator("button[type=submit]").click()
    banner = doctor.locator("#allergy-banner")
    expect(banner).not_to_have_class(re.compile(r"\bnone\b"))
    expect(banner.locator(".allergy")).to_have_text("Penicillin (Rash and itching) · Severe")
    expect(doctor.locator("#allergies .allergy-record")).to_contain_text("Penicillin")
    assert is_red(doctor, "#allergy-banner"), "the allergy banner is not red"
    assert is_red(doctor, "#allergies .allergy-record .record-main"), "the allergy is not red"

    complete_consultation(doctor, "fever", "3 days", "Paracetamol 500 mg three times a day.")
    # After the full page load the allergy is still on top, and the vitals are kept.
    expect(doctor.locator("#allergy-banner .allergy")).to_contain_text("Penicillin")
    expect(doctor.locator("#vitals .vitals-table tbody tr")).to_contain_text("150/96")
    doctor.evaluate("window.scrollTo(0, 0)")  # the page opened at #note
    screenshot(doctor, "consultation")

    # Amend the completed note: a new version with a reason, the old one kept.
    note = doctor.locator("#note")
    note.locator("details.amend-note > summary").click()
    note.locator("[name=advice]").fill("Paracetamol 650 mg three times a day, after food.")
    note.locator("[name=reason]").fill("Dose written wrong: 650 mg, not 500 mg")
    note.locator("button[name=amend]").click()
    expect(doctor).to_have_url(VISIT_URL)
    expect(doctor.locator(".messages li.success")).to_have_text("Correction saved.")
    expect(note.locator(".badge.amended")).to_have_text("Amended")
    expect(note).to_contain_text("650 mg three times a day")
    versions = note.locator("details.versions")
    # (The draft the visit opened with, the completed note, the correction.)
    expect(versions.locator("summary")).to_have_text(re.compile(r"^\s*[2-9] versions\s*$"))
    versions.locator("summary").click()
    newest = versions.locator("li").last
    expect(newest).to_contain_text("Dr. Anjali Verma")
    expect(newest).to_contain_text("amended")
    expect(newest.locator(".v-reason")).to_have_text(
        "Why: “Dose written wrong: 650 mg, not 500 mg”"
    )
    expect(versions.locator(".v-reason")).to_have_count(1)
    screenshot(doctor, "consultation-amended")
    finish(doctor, server, tokens[0])

    # --- Token 2, Arun: the next in line; a diagnosis written when no code fits --------
    call_next(doctor, server, tokens[1], arun)
    start_consultation(doctor, arun)
    vitals = record_vitals(doctor, {"bp_systolic": "124", "bp_diastolic": "82", "pulse": "76"})
    expect(vitals.locator(".vitals-table tbody tr")).to_contain_text("124/82")
    with doctor.expect_response(lambda r: "/visits/icd10/" in r.url):
        doctor.locator("#dx-q").fill("chikungunya suspected")
    with doctor.expect_response(answer_to("POST", "/diagnoses/")):
        doctor.locator("#diagnoses form.dx-form .dx-row button[type=submit]").click()
    expect(doctor.locator("#diagnoses li.record")).to_contain_text("chikungunya suspected")
    complete_consultation(doctor, "body ache", "2 days", "Rest, fluids.")
    finish(doctor, server, tokens[1])

    # --- Token 3, Salma ----------------------------------------------------------------
    call_next(doctor, server, tokens[2], salma)
    start_consultation(doctor, salma)
    vitals = record_vitals(doctor, {"bp_systolic": "110", "bp_diastolic": "70", "spo2": "99"})
    expect(vitals.locator(".vitals-table tbody tr")).to_contain_text("110/70")
    complete_consultation(doctor, "cough", "5 days", "Steam inhalation.")
    finish(doctor, server, tokens[2])
    expect(doctor.locator("#waiting-list")).to_contain_text("Nobody is waiting.")
    expect(doctor.locator("#waiting-list")).to_contain_text(
        re.compile(r"\b[3-9]\d* patients seen today\.")
    )

    # The reception board, in Hindi, shows the three seen.
    reception.goto(server.url("/opd/"))
    for token in tokens:
        expect(board_row(reception, token).locator(".status-done")).to_have_text(hindi("Done"))

    # --- Later in the morning: Geeta comes back for a BP recheck ------------------------
    reception.goto(server.url(f"/patients/{geeta.id}/"))
    recheck = tokens[2] + 1
    give_token(reception, server, geeta, recheck)
    expect(board_row(reception, recheck).locator(".status-waiting")).to_have_text(hindi("Waiting"))

    open_queue(doctor, server)
    call_next(doctor, server, recheck, geeta)
    start_consultation(doctor, geeta)
    # Her allergy, recorded in the first visit, is on this visit's screen too.
    expect(doctor.locator("#allergy-banner .allergy")).to_contain_text("Penicillin")
    vitals = record_vitals(doctor, {"bp_systolic": "138", "bp_diastolic": "88", "pulse": "80"})
    expect(vitals.locator(".vitals-table tbody tr")).to_contain_text("138/88")
    tv.reload()
    expect(tv.locator(".tv-now span")).to_have_text([str(recheck)])
    expect(tv.locator(".tv-next .tv-none")).to_be_visible()

    # Her history: two visits, the amended advice, and the BP trend with both readings.
    doctor.locator(f".chart-links a[href='/visits/patient/{geeta.id}/']").click()
    expect(doctor).to_have_url(server.url(f"/visits/patient/{geeta.id}/"))
    expect(doctor.locator("#visits-title")).to_have_text("2 visits")
    visits = doctor.locator("ol.visit-list > li.visit")
    expect(visits).to_have_count(2)
    older = visits.nth(1)
    expect(older.locator(f"a[href='{first_visit}']")).to_be_visible()
    expect(older).to_contain_text("R50.9")
    expect(older).to_contain_text("650 mg three times a day")
    expect(older).to_contain_text("150/96")
    expect(visits.nth(0)).to_contain_text("138/88")
    expect(doctor.locator("table.problem-table")).to_contain_text("R50.9")
    expect(doctor.locator("#allergy-banner .allergy")).to_contain_text("Penicillin")

    bp = doctor.locator("figure.chart[data-chart=bp]")
    expect(bp.locator("figcaption")).to_contain_text("Blood pressure")
    expect(bp.locator("figcaption .latest")).to_contain_text("138/88")
    trend = bp.locator("svg.trend")
    expect(trend).to_be_visible()
    expect(trend).to_have_attribute("aria-label", re.compile(r"138/88"))
    expect(trend.locator("polyline.line.systolic")).to_have_count(1)
    expect(trend.locator("polyline.line.diastolic")).to_have_count(1)
    systolic = trend.locator("circle.point.systolic")
    expect(systolic).to_have_count(2)
    expect(trend.locator("circle.point.diastolic")).to_have_count(2)
    expect(systolic.first.locator("title")).to_contain_text("150")
    expect(systolic.last.locator("title")).to_contain_text("138")
    # 150 is drawn higher (a smaller y) than 138.
    heights = [float(systolic.nth(i).get_attribute("cy") or "nan") for i in range(2)]
    assert heights[0] < heights[1], heights
    screenshot(doctor, "history")

    # The same history in Hindi, then back to English for the doctor.
    use_language(doctor, "hi")
    expect(doctor).to_have_url(server.url(f"/visits/patient/{geeta.id}/"))
    expect(doctor.locator("#trends-title")).to_have_text(hindi("Trends"))
    expect(bp.locator("figcaption")).to_contain_text(hindi("Blood pressure"))
    expect(bp.locator("circle.point.systolic")).to_have_count(2)
    expect(doctor.locator("#allergy-banner")).to_contain_text(hindi("Allergies"))
    screenshot(doctor, "history-hindi")
    doctor.locator("header button[name=language][value=en]").click()
    expect(doctor.locator("html")).to_have_attribute("lang", "en")
    expect(doctor.locator("#trends-title")).to_have_text("Trends")
