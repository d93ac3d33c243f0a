from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_the_wsgi_application_freezes_its_startup_heap(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["NIDAAN_DATA_DIR"] = str(tmp_path)
    code = "import gc, nidaan.wsgi; print(gc.get_freeze_count())"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert int(result.stdout.strip()) > 50_000
