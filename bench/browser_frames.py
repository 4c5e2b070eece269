"""Frame time of the website's live sliders: the DCGAN-28-sized generators plus the classifier
in headless Chromium (onnxruntime-web, WebAssembly, one thread), measured while a slider is
dragged back and forth on a served copy of the built site.  `make bench` reports the median.

Usage: python bench/browser_frames.py [SITE_DIR]   (default: _build/html, from `make book`)
"""

from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

from gae_lib.site import served

REPO = Path(__file__).resolve().parents[1]
CHAPTER = "book/comparison-of-encodings.html"   # DCGAN-28 generators: the heaviest
GOAL_MS = 30.0


def frame_times(site: Path, drags: int = 6) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with served(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url)
                   else r.abort())
        page.goto(url + CHAPTER)
        page.wait_for_selector("div.gae-live.gae-live-ready", timeout=120_000)
        page.wait_for_function("document.querySelector('div.gae-live').dataset.frames >= 1")
        slider = page.locator("div.gae-live input[data-role=direction-1]").first
        slider.scroll_into_view_if_needed()
        box = slider.bounding_box()
        y = box["y"] + box["height"] / 2
        for i in range(drags):
            page.mouse.move(box["x"] + (2 if i % 2 else box["width"] - 2), y)
            page.mouse.down()
            page.mouse.move(box["x"] + (box["width"] - 2 if i % 2 else 2), y, steps=20)
            page.mouse.up()
            page.wait_for_timeout(300)
        times = page.evaluate("window.gaeLive.frameTimes")[1:]   # the first loads the models
        browser.close()
    return {"frames": len(times), "median_ms": statistics.median(times),
            "p90_ms": sorted(times)[int(0.9 * (len(times) - 1))], "chapter": CHAPTER}


def main() -> int:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "_build" / "html"
    r = frame_times(site)
    print(f"{r['frames']} frames: median {r['median_ms']:.1f} ms, 90th percentile "
          f"{r['p90_ms']:.1f} ms (goal <= {GOAL_MS:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
