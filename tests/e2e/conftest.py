"""Browser tests: a real `nidaan serve` process on a throwaway data directory, driven by
the system's Chromium through Playwright.

The server is not Django's live_server: it is the same command a clinic runs (migrate,
demo, serve with waitress), so static files, the webfont and htmx are served exactly as
in production. These tests never touch the Django test database.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    Page,
    Playwright,
    Response,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.ports import free_port

REPO = Path(__file__).resolve().parents[2]
NIDAAN = Path(sys.executable).parent / "nidaan"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}
STARTUP_TIMEOUT_S = 30
# Generous for a slow CI box, short enough that a hang fails fast.
ACTION_TIMEOUT_MS = 10_000
# `expect(...)` assertions have their own timeout (5 s by default): the same here, so a
# busy 2-core machine does not fail an assertion that waits for a page.
expect.set_options(timeout=ACTION_TIMEOUT_MS)

# `with search_answer("ramesh"): ...` (see the fixture).
SearchAnswer = Callable[[str], AbstractContextManager[Any]]

# A finished login page sits here; anything else means the login went through.
LOGIN_PATH = "/accounts/login/"


@dataclass(frozen=True)
class Server:
    base_url: str
    password: str  # of the demo users admin, doctor and reception
    data_dir: Path
    key_passphrase: str = ""  # unlocks data_dir/keys/master.key

    def url(self, path: str) -> str:
        return self.base_url + path


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - local http
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """`nidaan migrate`, `nidaan demo`, `nidaan serve` on a fresh data directory."""
    if not NIDAAN.exists():
        pytest.fail(f"{NIDAAN} not found: install the project into this venv (make install)")
    data_dir = Path(tempfile.mkdtemp(prefix="nidaan-e2e-"))
    password = "e2e-" + secrets.token_urlsafe(12)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "NIDAAN_ROLE")
    }
    env["NIDAAN_DATA_DIR"] = str(data_dir)
    # A protected node, as a clinic should run one: the key sealed with a passphrase the
    # service is given (no warning strip on the pages, nor in the docs' screenshots).
    env["NIDAAN_KEY_PASSPHRASE"] = "e2e-passphrase-" + secrets.token_urlsafe(8)

    def run(*args: str) -> None:
        done = subprocess.run(
            [str(NIDAAN), *args], env=env, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            pytest.fail(f"nidaan {' '.join(args[:1])} failed:\n{done.stdout}\n{done.stderr}")

    run("migrate", "--verbosity", "0")
    run("demo", "--password", password)

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = data_dir / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(NIDAAN), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _healthy(base_url + "/healthz"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"nidaan serve did not answer /healthz within {STARTUP_TIMEOUT_S} s "
                    f"(exit code {process.poll()}):\n{log_path.read_text(errors='replace')}"
                )
            time.sleep(0.1)
        yield Server(
            base_url=base_url,
            password=password,
            data_dir=data_dir,
            key_passphrase=env["NIDAAN_KEY_PASSPHRASE"],
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install chromium (make system-deps)")
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Keep each phase's report on the item, so `page` can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(
    browser: Browser, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, at a clinic PC's 1366x768.

    An uncaught JavaScript error fails the test. A failed test leaves a screenshot of
    where it stopped.
    """
    context = browser.new_context(viewport=VIEWPORT, locale="en-IN")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    tab = context.new_page()
    js_errors: list[str] = []
    tab.on("pageerror", lambda error: js_errors.append(str(error)))
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        path = tmp_path_factory.mktemp("failures") / f"{request.node.name}.png"
        tab.screenshot(path=path, full_page=True)
        print(f"\nscreenshot of the failed page: {path} ({tab.url})")  # noqa: T201
    context.close()
    if js_errors:
        pytest.fail("JavaScript errors on the page:\n" + "\n".join(js_errors))


@pytest.fixture
def log_in(page: Page, server: Server) -> Callable[[str], None]:
    """Log in through the login form as one of the demo users."""

    def log_in_as(username: str) -> None:
        page.goto(server.url(LOGIN_PATH))
        page.fill("#id_username", username)
        page.fill("#id_password", server.password)
        page.click("button[type=submit]")
        expect(page.locator("#patient-search")).to_be_visible()
        assert LOGIN_PATH not in page.url

    return log_in_as


@pytest.fixture(scope="session")
def screenshots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/screenshots when NIDAAN_SCREENSHOTS=1 (to refresh the docs), else a temp dir."""
    if os.environ.get("NIDAAN_SCREENSHOTS") == "1":
        path = REPO / "docs" / "screenshots"
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def screenshot(screenshots_dir: Path) -> Callable[[Page, str], Path]:
    def take(page: Page, name: str) -> Path:
        path = screenshots_dir / f"{name}.png"
        page.screenshot(path=path)
        return path

    return take


@pytest.fixture
def search_answer(page: Page) -> SearchAnswer:
    """`with search_answer("ramesh"): ...` waits for the live-search answer to exactly
    that query (not to an earlier, shorter one typed on the way)."""

    def expect_answer(query: str) -> AbstractContextManager[Any]:
        def answers(response: Response) -> bool:
            url = urlsplit(response.url)
            return url.path == "/patients/" and parse_qs(url.query).get("q") == [query]

        return page.expect_response(answers)

    return expect_answer
