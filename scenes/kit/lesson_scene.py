"""The base of every lesson scene: the validated config, recorded numbers, narrated steps."""

from __future__ import annotations

import math
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator, Protocol

import numpy as np
from manim import WHITE, MathTypst, Mobject, Scene, Wait, config
from manim.constants import RendererType
from manim.renderer.cairo_renderer import CairoRenderer

from lessonmodel.config import SECTIONS, ConfigError, LessonConfig, load_config
from lessonmodel.fmt import decimals_for
from lessonmodel.formula import Line, Math, Num, speech, typst, values, words
from lessonmodel.names import Quantity, Symbol
from lessonmodel.narration import caption_lines, cue_problem, needed_time
from lessonmodel.notation import activation_notation, cost_notation, layer_name, quantity, symbol
from lessonmodel.on_screen import unseen
from lessonmodel.precision import Table, chain_table
from lessonmodel.values import Named, chain_of
from lessonvideo.safe_output import AtomicFileWriter
from scenes.kit.box import Box
from scenes.kit.chain_diagram import ChainDiagram, activation_opacity
from scenes.kit.notation import paint
from scenes.kit.stage import CHAIN_CENTER, CHAIN_RADIUS, CHAIN_SPACING
from scenes.kit.style import FONT

__all__ = ["LessonScene", "ChainScene", "Idea", "Cue", "Shown", "Speech", "Watch", "active_config", "use_config"]

Speech = Callable[[str, str], "float | None"]  # (cue id, words said) -> seconds of speech, None when silent
Said = str | Math | tuple  # a cue: prose, a formula, or a row of both (a formula.Line)


class Watch(Protocol):
    """What looks at a scene while it plays (the application's composition watch,
    :class:`backprop.composition_watch.CompositionWatch`): called before and after every
    animation, and when each idea ends."""

    def before_play(self, scene: LessonScene) -> None: ...

    def after_play(self, scene: LessonScene, idea: str | None, start: float, end: float) -> None: ...

    def idea_ended(self, scene: LessonScene, idea: str, time: float) -> None: ...


@dataclass
class Cue:
    """One caption of the narration, bound to the animation it describes.

    ``id`` is ``Scene.idea.n`` (stable while the scene's story stays: recordings are named by it);
    ``start`` and ``end`` are scene times in seconds; ``mentions`` the values the text names
    (``(name, text)``); ``said`` the words the voice says (:func:`lessonmodel.formula.speech`);
    ``spoken`` the seconds of its speech (None when silent); ``line`` the cue itself, typed, and
    ``seen`` the formulas on screen when it starts (what it may name: tests check it names
    nothing else).
    """

    id: str
    text: str
    start: float
    end: float = 0.0
    needs: float = 0.0
    mentions: list[tuple[Quantity, str]] = field(default_factory=list)
    spoken: float | None = None
    said: str = ""
    line: Line | None = field(default=None, repr=False)
    seen: list[Math] = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class Shown:
    """A value that came on screen: its name, its text and the scene time its animation began."""

    name: Quantity
    text: str
    time: float


@dataclass
class Idea:
    """What one step of a scene (one idea, one clip) showed: the record the application reads.

    ``shown`` and ``formulas`` are the slices of the scene's :attr:`LessonScene.shown` and
    :attr:`LessonScene.formulas` that belong to the idea: everything recorded after the previous
    idea ended (its narration's values are read before the step begins) up to its own end.
    ``start`` and ``end`` are video times in seconds (:attr:`LessonScene.clock`); ``cues`` its narration,
    cue by cue (the one list the clip's subtitles, the lesson's subtitles, the page's captions and the
    voice come from); ``animations`` the (start, end) times of each animation the step played, waits
    left out: the moments a storyboard shows and a poster is chosen from. ``formula`` is the one the
    step declared sums it up (:meth:`LessonScene.sums_up`): the lesson page, the handout and the alt
    text use it.
    """

    name: str
    narration: str
    start: float = 0.0
    end: float = 0.0
    cues: list[Cue] = field(default_factory=list)
    shown: list[tuple[Quantity, str]] = field(default_factory=list)
    formulas: list[MathTypst] = field(default_factory=list)
    formula: MathTypst | None = None
    animations: list[tuple[float, float]] = field(default_factory=list)


class ReadSections:
    """The validated config, noting which of its sections (``chain``, ``examples``, ...) a scene
    reads: ``backprop lesson`` renders a scene again only when one of those changed."""

    def __init__(self, config: LessonConfig) -> None:
        self._config = config
        self.read: set[str] = set()

    def __getattr__(self, name: str):
        if name in SECTIONS:
            self.read.add(name)
        return getattr(self._config, name)


_given_config: LessonConfig | None = None


def use_config(config: LessonConfig | None) -> None:
    """Make ``config``, already validated, the config of every lesson scene made from now on in
    this process (``None``: back to ``$BACKPROP_CONFIG``). The lesson's render workers call it,
    so a scene shows the very config the build validated and filed its render under, whatever
    the file holds by then (or if it was a pipe, readable once)."""
    global _given_config
    _given_config = config


def active_config() -> LessonConfig:
    """The config given to :func:`use_config`, else that of ``$BACKPROP_CONFIG`` (or the shipped
    one, for a plain ``manim render``); on a bad one, print one line and exit with status 2
    before Manim writes anything."""
    if _given_config is not None:
        return _given_config
    try:
        return load_config()
    except ConfigError as error:
        print(f"backprop: error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


class LessonScene(Scene):
    """A scene of the lesson.

    ``self.lesson`` is the validated config (noting the sections read); ``self.named`` the values
    the scene shows, by name (:mod:`lessonmodel.names`); ``self.L`` the depth of the network the
    scene draws, whose layers :meth:`layer` names. Every number drawn goes through :meth:`number`,
    which records it in ``self.shown`` as ``(name, text)``; every formula through :meth:`math`,
    which records its Typst source in ``self.typeset``. Tests compare both with nncore, and check ``self.layouts``
    (the formulas on screen after each animation) for clipping and overlaps. ``self.ideas``
    records each step (:class:`Idea`): what the lesson folder learns about the scene. Final
    output files are written whole or not at all (:class:`~lessonvideo.safe_output.AtomicFileWriter`).
    A scene made with a ``watch`` (:class:`Watch`; the application's composition watch,
    :mod:`backprop.composition_watch`) is looked at after every animation and at the end of every
    step, for the composition rules.
    """

    def __init__(self, *args, speech: Speech | None = None, watch: Watch | None = None, **kwargs) -> None:
        self.watch = watch  # looks at the picture after each animation (composition rules); None: not watched
        self.lesson = ReadSections(active_config())  # before Scene.__init__, which makes folders
        self.named: Named = {}  # set by each scene's setup(), from lessonmodel.values
        self.digits: Table | None = None  # the digits each value needs (lessonmodel.precision), set by setup()
        self.L = 0  # the depth of the scene's network, set by each scene's setup()
        self.shown: list[tuple[Quantity, str]] = []
        self.typeset: list[str] = []
        self.formulas: list[MathTypst] = []
        self.layouts: list[list[tuple[str, Box]]] = []  # after each play: (source, box) of each formula on screen
        self.ideas: list[Idea] = []  # one per step, in order
        self._idea: Idea | None = None  # the step being played
        self._recorded = (0, 0)  # len(shown), len(formulas) when the last idea ended
        self.speech = speech  # seconds each cue takes to speak; None: silent, timed for reading
        self.clock = 0.0  # seconds of video written so far, in whole frames: the cues' timeline
        self.on_screen: list[Shown] = []  # each value drawn, when its formula first came on screen
        self._seen: set[int] = set()  # formulas that have been on screen
        self._cue: Cue | None = None  # the cue being read
        if "renderer" not in kwargs and config.renderer == RendererType.CAIRO:
            kwargs["renderer"] = CairoRenderer(
                file_writer_class=AtomicFileWriter, camera_class=kwargs.get("camera_class")
            )
        super().__init__(*args, **kwargs)

    @property
    def sections_read(self) -> list[str]:
        """The config sections this scene read (a render depends on these only)."""
        return sorted(self.lesson.read)

    def layer(self, l: int) -> str:
        """Layer l named from the end, as the lesson writes it: L, L-1, L-2, ..."""
        return layer_name(l, self.L)

    def label(self, name: Quantity) -> str:
        """How the screen names the value called ``name`` (``w(3)`` is ``w(L)`` in a scene of depth
        ``self.L``; a scene that set no depth keeps the layer numbers); scenes that number things
        their own way override it."""
        return words(quantity(name, self.L or None))

    def value(self, name: Quantity) -> Num:
        """The value called ``name`` as the screen writes it (:class:`~lessonmodel.formula.Num`), to
        put in a formula or a cue: it is recorded as shown when its formula is typeset. It has the
        digits the lesson's printed arithmetic needs (:mod:`lessonmodel.precision`)."""
        return Num(name, self.named[name], self.decimals(name), self.digits.sci(name) if self.digits else 1)

    def decimals(self, name: Quantity) -> int:
        """How many decimals the value called ``name`` is written with, in this scene's lesson."""
        return self.digits.decimals(name) if self.digits else decimals_for(name)

    def sym(self, name: Symbol, tint: bool = False) -> Math:
        """The symbol of ``name``, its layer named from the end of the scene's network
        (:func:`lessonmodel.notation.symbol`)."""
        return symbol(name, self.L or None, tint)

    def math(self, expr: Math, font_size: float = FONT, **kwargs) -> MathTypst:
        """A formula, typeset from its typed form (:mod:`lessonmodel.formula`), coloured by kind:
        its values are recorded as shown and its source kept (``formula.expr``, ``formula.source``)
        so tests can check every number in it."""
        if not isinstance(expr, Math):
            raise TypeError(f"a formula is built from typed names (lessonmodel.formula), got {expr!r}")
        source = typst(expr, paint)
        numbers = values(expr)
        self.shown += [(n.name, typst(n)) for n in numbers]
        self.typeset.append(source)
        formula = MathTypst(source, font_size=font_size, **kwargs)
        formula.source = source
        formula.expr = expr
        formula.numbers = [(n.name, words(n)) for n in numbers]
        # its glyphs as typeset: what shows it (a transform into it may add empty, unseen parts)
        formula.glyphs = formula.family_members_with_points()
        for glyph in formula.glyphs:
            # The parsed SVG path is only needed to build the glyph's points; kept, it makes
            # every copy an animation takes (Write, FadeIn, Transform) about 20 times slower.
            if getattr(glyph, "path_obj", None) is not None:
                glyph.path_obj = None
        self.formulas.append(formula)
        return formula

    def play(self, *args, cue: Said | None = None, **kwargs) -> None:
        """Manim's ``play``; with ``cue``, the narration's next cue starts with these animations,
        or when they end if it names something not yet on screen, whole (shown, then said: a value
        this animation writes is never read before it appears)."""
        line = None if cue is None else _line(cue)
        if line is not None and not unseen(line, (f.expr for f in self._visible(whole=True))):
            self.say(line)
            line = None
        began = self.clock
        if self.watch is not None:
            self.watch.before_play(self)
        super().play(*args, **kwargs)
        self.clock += self._frames_played() / config.frame_rate
        if self.watch is not None:
            self.watch.after_play(self, self._idea.name if self._idea else None, began, self.clock)
        if self._idea is not None and not all(isinstance(a, Wait) for a in args):  # wait() plays a Wait
            self._idea.animations.append((began, self.clock))
        visible = self._visible()
        for formula in visible:
            if id(formula) not in self._seen:
                self._seen.add(id(formula))
                self.on_screen += [Shown(name, text, began) for name, text in getattr(formula, "numbers", [])]
        self.layouts.append([(f.source, Box.of(f)) for f in visible])
        if line is not None:
            self.say(line)

    def say(self, said: Said) -> Cue:
        """Start the next cue of the current idea now (the previous one has stayed long enough:
        the scene waits if it must). Use ``play(..., cue=...)`` to bind it to animations. A cue is
        prose, a formula, or a row of both (``("The output is ", Eq(a, value), ".")``)."""
        if self._idea is None:
            raise RuntimeError(f"a cue outside a step: {said!r}")
        line = _line(said)
        text = words(line)
        if problem := cue_problem(text):
            raise ValueError(problem)
        self._settle()
        idea = self._idea
        mentions = [(n.name, words(n)) for n in values(line)]
        cue = Cue(f"{type(self).__name__}.{idea.name}.{len(idea.cues) + 1}", text, start=self.clock,
                  mentions=mentions, said=speech(line), line=line,
                  seen=[f.expr for f in self._visible(whole=True)])
        cue.spoken = self.speech(cue.id, cue.said) if self.speech else None
        cue.needs = needed_time(text, cue.spoken)
        idea.cues.append(cue)
        self._cue = cue
        return cue

    def _settle(self) -> None:
        """Wait until the current cue has been on screen as long as it needs; close it."""
        cue = self._cue
        if cue is None:
            return
        # Whole frames (Manim stretches a shorter wait to one frame anyway); again if Manim's
        # rounding of a still frame's duration came up a frame short.
        while (rest := cue.start + cue.needs - self.clock) > 1e-6:
            self.wait(math.ceil(rest * config.frame_rate - 1e-6) / config.frame_rate)
        cue.end = self.clock
        self._cue = None
        if cue.end > cue.start:
            length = cue.end - cue.start
            self.add_subcaption("\n".join(caption_lines(cue.text)), duration=length, offset=-length)

    def _frames_played(self) -> int:
        """Frames the last ``play`` (or ``wait``) wrote, counted as Manim's renderer counts them,
        whether it rendered them, took them from its cache or skipped them: cue timing must not
        depend on which (Manim's own clock adds a cached animation's unrounded run time)."""
        if self.is_current_animation_frozen_frame():
            return int(self.duration / (1 / config.frame_rate))
        return len(np.arange(0, self.duration, 1 / config.frame_rate))

    def _visible(self, whole: bool = False) -> list[MathTypst]:
        """The formulas on screen: any of their glyphs shows (``whole``: every one of them does; a
        fraction's bar is a stroke, not a fill). Glyph by glyph: an animation of a formula's part
        (``Indicate(formula.select(...))``) makes Manim put the formula's parts on screen in its place;
        only the glyphs it was typeset with count."""
        on_screen = set(map(id, self.get_mobject_family_members()))
        shows = all if whole else any
        return [
            f for f in self.formulas
            if shows(id(g) in on_screen and _shows(g) for g in f.glyphs)
        ]

    def fit(self, mobject: Mobject, margin: float = 0.5) -> Mobject:
        """Shrink ``mobject`` (never enlarge) to fit the frame's width less ``margin`` each side."""
        room = config.frame_width - 2 * margin
        if mobject.width > room:
            mobject.scale_to_fit_width(room)
        return mobject

    def sums_up(self, formula: MathTypst | Math) -> MathTypst:
        """Declare the formula that sums up the current step (one per step; the last call wins).

        Give a formula the step shows, or the typed form of one that it doesn't show (typeset here,
        so its values are recorded and tested like any other). Returns the formula.

        >>> cost = self.math(Eq(self.sym(C0), self.value(C0)))
        >>> self.sums_up(cost)
        """
        if self._idea is None:
            raise RuntimeError("sums_up() outside a step: declare a step's formula inside its `with self.step(...)`")
        if isinstance(formula, Math):
            formula = self.math(formula)
        self._idea.formula = formula
        return formula

    @contextmanager
    def step(self, name: str) -> Iterator[Idea]:
        """One idea of the lesson: its own section (clip), narrated by the cues said inside it
        (:meth:`say`, ``play(..., cue=...)``); it lasts until its last cue has been read (or spoken)."""
        self.next_section(name)
        idea = Idea(name, "", start=self.clock)
        self._idea = idea
        try:
            yield idea
            self._settle()
        finally:
            self._idea = None
        idea.end = self.clock
        if self.watch is not None:
            self.watch.idea_ended(self, name, self.clock)
        idea.narration = " ".join(c.text for c in idea.cues)
        idea.shown = self.shown[self._recorded[0]:]
        idea.formulas = self.formulas[self._recorded[1]:]
        self._recorded = (len(self.shown), len(self.formulas))
        self.ideas.append(idea)


def _shows(glyph: Mobject) -> bool:
    """Whether a glyph shows: filled, or stroked."""
    return glyph.get_fill_opacity() > 0 or (glyph.get_stroke_opacity() > 0 and glyph.get_stroke_width() > 0)


def _line(said: Said) -> Line:
    """A cue as a typed line of narration."""
    return said if isinstance(said, Line) else Line(*(said if isinstance(said, tuple) else (said,)))


class ChainScene(LessonScene):
    """A scene of the single-neuron chain: ``self.chain`` (lessonmodel.values.Chain), its depth
    ``self.L``, its activation's notation ``self.sigma`` (:class:`lessonmodel.notation.Activation`),
    its cost's ``self.cost_notation`` (:class:`lessonmodel.notation.Cost`: C0, ∂C0/∂a(L), ...) and
    its forward values and gradients in ``self.named``, which a subclass's ``setup`` may extend
    after calling this one."""

    def setup(self) -> None:
        self.chain = chain_of(self.lesson.chain)
        self.named = self.chain.named()
        self.digits = chain_table(self.lesson.chain, self.lesson.examples)
        self.L = self.chain.depth
        self.sigma = activation_notation(self.lesson.chain.activation)
        self.cost_notation = cost_notation(self.chain.net.cost_function)

    def chain_stage(self) -> ChainDiagram:
        """The chain at its place on the stage (:mod:`scenes.kit.stage`), each neuron lit by its
        activation: the one picture every chain scene starts from."""
        d = ChainDiagram([self.chain.w(l) for l in range(1, self.L + 1)], spacing=CHAIN_SPACING,
                         radius=CHAIN_RADIUS).move_to(CHAIN_CENTER)
        for l in range(self.L + 1):
            d.neurons[l].set_fill(WHITE, opacity=activation_opacity(self.chain.a(l)))
        return d
