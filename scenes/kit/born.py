"""Formulas born from the diagram: parts of a formula arrive as copies of what is on screen.

A symbol is a copy of its label (or of the edge or neuron it names) flying into its place in the
formula; a value is a copy of the number where it was computed, moved whole (same glyphs, only
moved and resized, so it stays legible in flight); the rest of the formula is written meanwhile.
When the animation ends the copies are gone and the formula itself is on screen, whole, so the
scene's record of what is visible (and the layout checks) see one formula.
"""

from __future__ import annotations

from typing import Sequence

from manim import AnimationGroup, Mobject, Transform, VGroup, Write

__all__ = ["BornFrom"]


class BornFrom(AnimationGroup):
    """Write ``formula`` while each ``(source, part)`` of ``arrivals`` flies in: a copy of
    ``source`` (left where it is) turns into ``part``, a piece of ``formula``.

    Parameters
    ----------
    formula
        The formula to bring on screen (a ``MathTypst``; ``part``s are usually ``formula.select(name)``,
        or the whole formula).
    arrivals
        ``(source, part)`` pairs: what on screen each part of the formula comes from.
    run_time
        Seconds of the whole animation.

    Examples
    --------
    >>> z = self.math(f"{{{{ {w} : w }}}} dot {{{{ {a} : a }}}}")                      # doctest: +SKIP
    >>> self.play(BornFrom(z, [(w_label, z.select("w")), (a_label, z.select("a"))]))  # doctest: +SKIP
    """

    def __init__(self, formula: Mobject, arrivals: Sequence[tuple[Mobject, Mobject]], run_time: float = 1.5,
                 **kwargs) -> None:
        self.formula = formula
        arriving = {id(m) for _, part in arrivals for m in part.family_members_with_points()}
        self.rest = VGroup(*(m for m in formula.family_members_with_points() if id(m) not in arriving))
        self.flyers = [source.copy() for source, _ in arrivals]
        animations = [Transform(flyer, part.copy()) for flyer, (_, part) in zip(self.flyers, arrivals)]
        if self.rest.submobjects:
            animations.append(Write(self.rest))
        super().__init__(*animations, run_time=run_time, **kwargs)

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        scene.remove(self.group, self.rest, *self.flyers)
        scene.add(self.formula)
