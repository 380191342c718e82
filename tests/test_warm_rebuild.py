"""A rebuild with nothing changed makes nothing again: no render, no poster, no joined video, no
handout. A changed input makes again just what depends on it. Counted from the build's own
report, not timed."""

from __future__ import annotations

import io
import re

from backprop.derived_files import DerivedFiles, file_identity
from backprop.lesson import CACHE_FOLDER, build_lesson

SMALL_LESSON = {"SlowTwoIdeas": "lesson_fixtures", "QuickIdea": "lesson_fixtures"}
KEPT = re.compile(r"(\w+): (\d+) made, (\d+) reused")


def build(out, config, only=None) -> tuple[str, dict[str, tuple[int, int]]]:
    """Build the small lesson tiny; its progress text and, per kind of kept file, (made, reused)."""
    stream = io.StringIO()
    build_lesson(config, out=out, tiny=True, lesson=SMALL_LESSON, only=only, progress_stream=stream)
    text = stream.getvalue()
    line = next(line for line in text.splitlines() if line.startswith("kept files:"))
    return text, {kind: (int(made), int(reused)) for kind, made, reused in KEPT.findall(line)}


def test_a_warm_rebuild_makes_nothing_again_and_a_change_makes_what_depends_on_it(tmp_path, write_config):
    out = tmp_path / "lesson"
    config = write_config("[chain]\ninput = 0.5\n")
    text, kept = build(out, config)
    assert "rendering SlowTwoIdeas" in text and "typesetting the handout" in text
    assert kept == {"poster": (4, 0), "lesson": (1, 0), "handout": (1, 0)}
    cache = tmp_path / CACHE_FOLDER
    first = {p: file_identity(p) for p in cache.rglob("*") if p.is_file() and p.suffix in (".mp4", ".png", ".pdf")}

    text, kept = build(out, config)
    assert "rendering" not in text and "typesetting" not in text and "joining" not in text
    assert kept == {"poster": (0, 4), "lesson": (0, 1), "handout": (0, 1)}
    for path, identity in first.items():  # the cache's files (clips, posters, video, handout) not rewritten
        assert file_identity(path) == identity, path
    for name in ("lesson.mp4", "handout.pdf", next(out.glob("01_*.png")).name):  # copies of the kept files
        kept = [p for p in first if p.read_bytes() == (out / name).read_bytes()]
        assert kept, f"{name} is not a copy of a kept file"

    text, kept = build(out, write_config("[chain]\ninput = 0.5\n", "other.toml"))  # the handout names the file
    assert "rendering" not in text and "typesetting the handout" in text
    assert kept == {"poster": (0, 4), "lesson": (0, 1), "handout": (1, 0)}

    text, kept = build(out, config, only=["QuickIdea"])  # another joined video and handout
    assert kept == {"poster": (0, 1), "lesson": (1, 0), "handout": (1, 0)}
    assert len(list(out.glob("[0-9][0-9]_*.mp4"))) == 1


def test_kept_files_are_pruned_to_the_most_recent_per_slot(tmp_path):
    derived = DerivedFiles(tmp_path)
    for n in range(5):
        derived.get("handout", "h.txt", {"n": n}, lambda target, n=n: target.write_text(str(n)), code=(__name__,))
    (tmp_path / "handout" / ".making-1-x").mkdir()  # left by a killed build
    derived.prune(keep=3)
    kept = sorted(p.read_text() for p in tmp_path.glob("handout/*/h.txt"))
    assert kept == ["2", "3", "4"] and not list(tmp_path.glob("handout/.making-*"))
