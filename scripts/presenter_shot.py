"""Take the README's screenshot of presenter mode: docs/presenter.png.

    .venv/bin/python scripts/presenter_shot.py [LESSON_FOLDER] [--idea N]

Opens the lesson page (default ``media/lesson/index.html``) at ``#idea-N`` in headless Chromium
(``tests/browser.py``), 1280x720, with reduced motion so the clip shows its poster (its last
frame), and saves the screen at 640 px wide.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import Chromium  # noqa: E402 - the test's browser driver, found on the path set above

WAIT_FOR_POSTER = """(async () => {
  const video = document.querySelector('section.clip.current video');
  if (video && video.readyState < 2) await new Promise(done => {
    video.addEventListener('loadeddata', done, {once: true}); setTimeout(done, 10000); });
  await new Promise(done => setTimeout(done, 500));
  return document.body.classList.contains('presenting');
})()"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=ROOT / "media" / "lesson", type=Path)
    parser.add_argument("--idea", type=int, default=18)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "presenter.png")
    args = parser.parse_args()
    with Chromium() as browser:
        browser.viewport(1280, 720)
        browser.media_features(prefers_reduced_motion="reduce")
        browser.open((args.folder / "index.html").resolve().as_uri() + f"#idea-{args.idea}")
        if not browser.evaluate(WAIT_FOR_POSTER):
            raise SystemExit("presenter mode did not start")
        shot = Image.open(io.BytesIO(browser.screenshot())).convert("RGB")
    shot = shot.resize((640, round(shot.height * 640 / shot.width)), Image.LANCZOS)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    shot.quantize(64).save(args.out, optimize=True)
    print(f"{args.out}: {args.out.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
