"""Formulas born from the diagram: parts of a formula arrive from what is on screen.

A symbol is a copy of its label (or of the edge or neuron it names) flying into its place in the
formula; a value is a copy of the number where it was computed; the rest of the formula is
written (or faded in) meanwhile. When the animation ends the copies are gone and the formula
itself is on screen, whole, so a scene's record of what is visible (and the layout checks) see
one formula: :class:`BornFrom`.

A formula assembled over several animations (its frame written first, its values flown in by a
later one) uses the same two steps by hand: :func:`rest_of` (the formula without the parts that
arrive) and, after the last animation, :func:`settle` (the pieces become the formula again). A
part held back (:func:`settle`'s ``hidden``) appears later with :func:`reveal`.

A whole formula born from one source is Manim's own ``TransformFromCopy(source, formula)``: the
formula itself flies in, whole on screen when it lands (:attr:`Flight.OWN` of the whole).
"""

from __future__ import annotations

from enum import Enum
from typing import Callable, Sequence

from manim import Animation, AnimationGroup, Mobject, Transform, TransformFromCopy, VGroup, Write

__all__ = ["BornFrom", "Flight", "rest_of", "settle", "reveal"]


class Flight(Enum):
    """How a part of the formula reaches its place from its source.

    >>> BornFrom(formula, [(label, formula.select("w"))], flight=Flight.CARRY)   # doctest: +SKIP
    """

    MORPH = "morph"
    """A copy of the source turns into a copy of the part; the formula itself is left untouched."""
    OWN = "own"
    """The part itself flies in from the source's place (Manim's ``TransformFromCopy``); its
    outline keeps the extra curves it took on to match the source's."""
    CARRY = "carry"
    """A copy of the source moves whole onto the part, its glyphs unchanged: legible all the way."""
    FIT = "fit"
    """Carried, taking the part's height and colour on the way."""


def rest_of(formula: Mobject, *parts: Mobject) -> VGroup:
    """The glyphs of ``formula`` outside ``parts`` (its frame, to write while the parts arrive).

    Examples
    --------
    >>> frame = rest_of(z_line, z_line.select("w"), z_line.select("a"))   # doctest: +SKIP
    """
    taken = {id(m) for part in parts for m in part.family_members_with_points()}
    return VGroup(*(m for m in formula.family_members_with_points() if id(m) not in taken))


def settle(scene, formula: Mobject, *pieces: Mobject, hidden: Sequence[Mobject] = ()) -> None:
    """After ``formula`` was brought on screen in ``pieces`` (its frame, its parts, copies flown
    onto them), put the formula itself on stage in their place, whole: what the scene's record of
    what was shown follows. Its parts ``hidden`` (not shown yet) stay invisible until
    :func:`reveal`.

    Examples
    --------
    >>> self.play(Write(frame), TransformFromCopy(value, z_line.select("a")))   # doctest: +SKIP
    >>> settle(self, z_line, frame, z_line.select("a"))                          # doctest: +SKIP
    """
    scene.remove(*pieces)
    for part in hidden:
        part.set_opacity(0)
    if formula not in scene.get_mobject_family_members():
        scene.add(formula)


def reveal(part: Mobject) -> list[Animation]:
    """Animations (play them unpacked) in which a part held back by :func:`settle` appears, glyph
    by glyph: animating the part's own group, or a group of animations, would add a group to the
    scene that splits the formula up.

    Examples
    --------
    >>> self.play(*reveal(product.select("value")))   # doctest: +SKIP
    """
    return [glyph.animate.set_opacity(1) for glyph in part.family_members_with_points()]


class BornFrom(AnimationGroup):
    """Bring ``formula`` on screen from what is already there: for each ``(source, part)`` of
    ``arrivals`` a copy of ``source`` (left where it is) flies to ``part``, a piece of
    ``formula``, while the rest of the formula appears.

    Parameters
    ----------
    formula
        The formula to bring on screen (a ``MathTypst``, or a ``VGroup`` of them); ``part``s are
        usually ``formula.select(label)``, or the whole formula.
    arrivals
        ``(source, part)`` pairs: what on screen each part of the formula comes from.
    flight
        How each part arrives (:class:`Flight`): by default a copy of its source turns into it.
    appear
        The animation that brings in the rest of the formula (``Write``, ``FadeIn``, ...); None:
        the caller's own animations, played with this one, bring it in.
    whole
        ``appear`` brings in the whole formula, the arriving parts too (the copies land on them).
    brought
        Parts that other animations bring in (already on screen, or played with this one): left
        out of the rest, and given back to the formula at the end.
    hidden
        Parts not shown yet: left out, then on screen invisible until :func:`reveal`.
    path_arc
        The arc (radians) the copies fly along.
    run_time
        Seconds of the whole animation.

    Examples
    --------
    >>> z = self.math(Eq(Group("w", w), Group("a", a)))                              # doctest: +SKIP
    >>> self.play(BornFrom(z, [(w_label, z.select("w")), (a_label, z.select("a"))]))   # doctest: +SKIP
    """

    def __init__(self, formula: Mobject, arrivals: Sequence[tuple[Mobject, Mobject]] = (), *,
                 flight: Flight = Flight.MORPH, appear: Callable[[Mobject], Animation] | None = Write,
                 whole: bool = False, brought: Sequence[Mobject] = (), hidden: Sequence[Mobject] = (),
                 path_arc: float = 0.0, run_time: float = 1.5, **kwargs) -> None:
        self.formula, self.hidden = formula, list(hidden)
        self.in_pieces = not whole and appear is not None  # else it comes in whole, by appear or the caller
        self.parts = [part for _, part in arrivals]
        self.brought = list(brought)
        self.rest = formula if whole else rest_of(formula, *self.parts, *self.brought, *self.hidden)
        self.flyers: list[Mobject] = []
        flights = [self._flight(source, part, flight, path_arc) for source, part in arrivals]
        # the rest first: an animation that adds its mobject lays it over the copies
        shows = [appear(self.rest)] if appear is not None and self.rest.submobjects else []
        super().__init__(*shows, *flights, run_time=run_time, **kwargs)

    def _flight(self, source: Mobject, part: Mobject, flight: Flight, path_arc: float) -> Animation:
        if flight is Flight.OWN:
            return TransformFromCopy(source, part, path_arc=path_arc)
        flyer = source.copy()
        self.flyers.append(flyer)
        if flight is Flight.MORPH:
            return Transform(flyer, part.copy(), path_arc=path_arc)
        if flight is Flight.FIT:
            return flyer.animate.set_color(part.get_color()).scale(part.height / source.height).move_to(part)
        return flyer.animate.move_to(part)

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        pieces = [self.group, *self.flyers]
        if self.in_pieces:  # the formula came in pieces: they go, the formula takes their place
            pieces += [self.rest, *self.parts, *self.brought]
        settle(scene, self.formula, *pieces, hidden=self.hidden)
