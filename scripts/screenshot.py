"""Screenshot pages of a running server in headless Chromium, to look at what we build.

    .venv/bin/python scripts/screenshot.py http://127.0.0.1:8000 OUTDIR PATH [PATH ...]
        [--user demo --password demo-governance-2026] [--width 1366] [--phone]

Each PATH becomes OUTDIR/<slug>-<width>.png (full page). Uses Debian's chromium, never a
downloaded browser.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("outdir")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--phone", action="store_true", help="also take a 390 px wide shot")
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--fold", action="store_true", help="only the first screen, not the full page")
    args = parser.parse_args()
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    widths = [args.width] + ([390] if args.phone else [])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width in widths:
            page = browser.new_page(viewport={"width": width, "height": args.height})
            if args.user:
                page.goto(f"{args.base}/accounts/login/")
                page.fill("#id_login", args.user)
                page.fill("#id_password", args.password)
                page.click("main button[type=submit] >> nth=0")
                page.wait_for_url(lambda url: "/accounts/login/" not in url)
            for path in args.paths:
                page.goto(args.base + path)
                slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")[:60] or "home"
                target = out / f"{slug}-{width}.png"
                page.screenshot(path=str(target), full_page=not args.fold)
                print(target)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
