"""Screenshot pages of a running or freshly started Rebound in headless Chromium.

    python tools/screenshot.py --db data/rebound.demo.duckdb --out shots today outcomes progress
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, AppServer, wait_idle  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", default="shots")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--full", action="store_true", help="capture the full page height")
    parser.add_argument("pages", nargs="+", help="url paths, e.g. today outcomes progress")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    server = AppServer(args.db)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            for name in args.pages:
                page.goto(f"{server.url}/{'' if name == 'today' else name}")
                page.wait_for_selector("[data-testid='stApp']")
                wait_idle(page)
                page.wait_for_timeout(1500)
                page.screenshot(path=str(out / f"{name}.png"), full_page=args.full)
                print(out / f"{name}.png")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
