"""The whole project passes ruff (configured in pyproject.toml), as part of the test suite."""

from __future__ import annotations

from conftest import BIN, ROOT, run


def test_ruff_finds_nothing():
    result = run([str(BIN / "ruff"), "check", "--no-cache", "--output-format", "concise", str(ROOT)])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
