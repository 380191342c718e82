"""Take the README's screenshots of what the learner acts on: docs/learner/*.png.

    .venv/bin/python scripts/learner_shots.py [LESSON_FOLDER]

Opens the lesson page (default ``media/lesson/index.html``) in headless Chromium (``tests/browser.py``)
and saves, each cut to its part of the page and 720 px wide at most: a checkpoint asked and answered
(``checkpoint.png``), a question on the class's screen in presenter mode (``presenter_question.png``),
the nudge sandbox after a nudge (``sandbox.png``), the network with a neuron's sum over paths
(``network.png``) and a clip stepped to its third cue (``cues.png``).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import Chromium  # noqa: E402 - the test's browser driver, found on the path set above

WIDTH = 720


def save(browser: Chromium, selector: str | None, out: Path) -> None:
    """The element ``selector`` (the whole screen for None), scrolled into view, as a palette PNG."""
    box = None
    if selector:
        box = browser.evaluate(f"""(() => {{ const e = document.querySelector({selector!r});
            e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect();
            return [r.left, r.top, r.right, r.bottom].map(Math.round); }})()""")
        time.sleep(0.3)
    shot = Image.open(io.BytesIO(browser.screenshot())).convert("RGB")
    if box:
        shot = shot.crop((max(0, box[0] - 8), max(0, box[1] - 8), box[2] + 8, box[3] + 8))
    if shot.width > WIDTH:
        shot = shot.resize((WIDTH, round(shot.height * WIDTH / shot.width)), Image.LANCZOS)
    out.parent.mkdir(parents=True, exist_ok=True)
    shot.quantize(128).save(out, optimize=True)
    print(f"{out}: {shot.width}x{shot.height}, {out.stat().st_size // 1024} KiB")


def wait(browser: Chromium, expression: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not browser.evaluate(expression):
        if time.monotonic() > deadline:
            raise SystemExit(f"never true: {expression}")
        time.sleep(0.1)


def checkpoint(browser: Chromium, page: str, out: Path) -> None:
    browser.open(page)
    point = "document.querySelector('[data-checkpoint=\"nudge-direction\"]')"
    browser.evaluate(f"(() => {{ const v = {point}.closest('section').querySelector('video'); "
                     "v.playbackRate = 4; v.play(); })()")
    wait(browser, f"{point}.dataset.state === 'open'")
    browser.evaluate(f"{point}.querySelector('[data-choice]:not([data-correct])').click()")
    save(browser, 'section.clip:has([data-checkpoint="nudge-direction"]) .player', out / "checkpoint.png")


def presenter_question(browser: Chromium, page: str, out: Path) -> None:
    browser.open(page)
    idea = browser.evaluate("""1 + [...document.querySelectorAll('section.clip')].findIndex(
        s => s.querySelector('[data-checkpoint="weight-derivative-jk"]'))""")
    browser.open("about:blank")
    browser.open(f"{page}#idea-{idea}")
    wait(browser, "!!document.querySelector('section.clip.current .checkpoint.open')")
    save(browser, None, out / "presenter_question.png")


def sandbox(browser: Chromium, page: str, out: Path) -> None:
    browser.open(page)
    browser.evaluate("""(() => { const root = document.getElementById('sandbox');
        const w = root.querySelector('[name="w(3)"]'); w.value = '1.5'; w.dispatchEvent(new Event('input'));
        const d = root.querySelector('[name=nudge-delta]'); d.value = '0.1'; d.dispatchEvent(new Event('change'));
        root.querySelector('[data-nudge]').click(); })()""")
    save(browser, "#sandbox", out / "sandbox.png")


def network(browser: Chromium, page: str, out: Path) -> None:
    browser.open(page)
    browser.evaluate("document.querySelectorAll('#network [data-neuron]')[3].dispatchEvent(new Event('click'))")
    save(browser, "#network", out / "network.png")


def cues(browser: Chromium, page: str, out: Path) -> None:
    browser.open(page)
    section = "document.querySelectorAll('section.clip')[1]"
    for _ in range(2):
        browser.evaluate(f"{section}.querySelector('[data-playback=next]').click()")
        time.sleep(0.5)
    save(browser, "section.clip:nth-of-type(2)", out / "cues.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=ROOT / "media" / "lesson", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "learner")
    args = parser.parse_args()
    page = (args.folder / "index.html").resolve().as_uri()
    with Chromium() as browser:
        browser.viewport(1280, 800)
        for shot in (checkpoint, sandbox, network, cues):
            shot(browser, page, args.out)
        browser.viewport(1280, 720)
        presenter_question(browser, page, args.out)


if __name__ == "__main__":
    main()
