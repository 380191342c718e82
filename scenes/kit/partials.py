"""Typst sources for partial derivatives, ∂top/∂bottom, built from coloured symbols."""

from __future__ import annotations

__all__ = ["partial", "partial_inline"]


def partial(top: str, bottom: str) -> str:
    """A stacked fraction (∂top)/(∂bottom); ``top`` and ``bottom`` are Typst (e.g. ``sym("w", "L")``)."""
    return f"(partial {top})/(partial {bottom})"


def partial_inline(top: str, bottom: str) -> str:
    """The same on one line, ∂top/∂bottom, for tables where a stacked fraction is too tall."""
    return f"partial {top} \\/ partial {bottom}"
