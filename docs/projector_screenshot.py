"""Take the README's picture of the projector view (docs/workshop-projector.png).

    .venv/bin/python docs/projector_screenshot.py [--size 1920x1080] [--out PATH]

Sets up a throwaway SQLite database with the demo data (Oakfield's open round has a
workshop going on, the first principle shown), serves it with Django's development server
on a free loopback port, signs in as Oakfield's lead in headless Chromium (Debian's, as the
browser tests use), follows the lead's page to the projector view and takes the screen as a
projector shows it. SITE_URL is set to a council's address so the picture shows the address
a room would type. Nothing outside a temporary folder is touched but the picture.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv/bin/python")
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
LEAD = "lead@oakfield.example"
PASSWORD = "coprod-demo-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1920x1080", help="the screen, WIDTHxHEIGHT")
    parser.add_argument("--out", default=str(ROOT / "docs/workshop-projector.png"))
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    tmp = Path(tempfile.mkdtemp(prefix="coprod-screenshot-"))
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp / 'demo.sqlite3'}",
        "CACHE_URL": "locmem://",
        "SITE_URL": "https://coprod.example.gov.uk",
        "TASKS_BACKEND": "immediate",
        "LOG_LEVEL": "WARNING",
    }
    server = None
    try:
        for command in (["migrate", "--noinput", "-v0"], ["load_frameworks"], ["load_demo"]):
            subprocess.run(
                [PY, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
            )
        round_pk = subprocess.run(
            [
                PY,
                "manage.py",
                "shell",
                "-c",
                "from assessments.workshops.models import Workshop; "
                "print(Workshop.objects.live().get(round__organisation__slug='oakfield').round_id)",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]  # after what the shell says it imported
        server = subprocess.Popen(
            [PY, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            lead = browser.new_page(base_url=base)
            lead.goto("/accounts/login/")
            lead.get_by_label("E-mail address").fill(LEAD)
            lead.get_by_label("Password").fill(PASSWORD)
            lead.get_by_role("button", name="Sign in").click()
            lead.goto(f"/rounds/{round_pk}/workshop/")
            address = lead.locator("#projector-address").input_value()
            screen = browser.new_page(base_url=base, viewport={"width": width, "height": height})
            screen.goto(urlsplit(address).path)
            screen.wait_for_load_state("networkidle")
            screen.screenshot(path=args.out)
            browser.close()
        # A palette of 64 colours (black, white, the greys of smoothed text and one blue)
        # looks the same and keeps the README's picture small.
        from PIL import Image

        Image.open(args.out).convert("RGB").quantize(colors=64).save(args.out, optimize=True)
        print(f"wrote {args.out} ({width}x{height})")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
