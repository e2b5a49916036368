"""Screenshot pages of a freshly started Rebound in headless Chromium.

    python tools/screenshot.py --db data/rebound.demo.duckdb --out shots today outcomes progress
    python tools/screenshot.py --db data/rebound.demo.duckdb --scheme dark --full "progress#Funnel"

A page may name a tab after '#': it is clicked before the screenshot. --full captures the whole
content (Streamlit scrolls inside its main area, so the window is grown to fit it).
Every page and tab at once, with checks, is tests/browser/test_browser_screens.py (REBOUND_SCREENS_DIR keeps them).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "browser")]

from browser_helpers import full_height, slug, wait_drawn  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS, AppServer, wait_idle  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", default="shots")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--scheme", choices=["light", "dark"], default="light")
    parser.add_argument("--full", action="store_true", help="capture the full content height")
    parser.add_argument("pages", nargs="+", help="url paths, e.g. today outcomes progress#Funnel")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    server = AppServer(args.db)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height}, color_scheme=args.scheme)
            for name in args.pages:
                path, _, tab = name.partition("#")
                page.set_viewport_size({"width": args.width, "height": args.height})
                page.goto(f"{server.url}/{'' if path == 'today' else path}")
                wait_idle(page)
                if tab:
                    page.get_by_role("tab", name=tab).click()
                    wait_idle(page)
                wait_drawn(page)
                height = full_height(page, args.height) if args.full else args.height
                shot = out / f"{slug(name)}.png"
                page.screenshot(path=str(shot), clip={"x": 0, "y": 0, "width": args.width, "height": height})
                print(shot)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
