"""CostTree: what the cost depends on, and how a nudge of w(L) ripples up to it.

The dependency tree w(L), a(L-1), b(L) -> z(L) -> a(L) -> C0 (with y), grown back through
w(L-1), a(L-2), b(L-1); a number line for each of w(L), z(L), a(L), C0 scaled to the config's
values; a nudge of w(L) moving each in turn, live; and the ratio ΔC0/Δw(L) for ever smaller nudges
settling on ∂C0/∂w(L).
"""

from __future__ import annotations

from math import inf

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    Line,
    MathTypst,
    Transform,
    ValueTracker,
    VGroup,
    Write,
    config,
    smooth,
)

from lessonmodel.fmt import decimals_for
from lessonmodel.names import (
    C0,
    Nudged,
    Symbol,
    activation,
    change,
    derivative,
    nudged,
    ratio,
    weight,
    weighted_sum,
)
from lessonmodel.values import (
    NUDGE_SIZES,
    Chain,
    cost_curve,
    cost_secant,
    cost_tangent,
    nudge_named,
    nudged_levels,
)
from scenes.kit.cost_tree_diagram import BASE_NODES, GROWN_NODES, DependencyTree, node_symbol
from scenes.kit.lesson_scene import ChainScene
from scenes.kit.notation import sym
from scenes.kit.number_line import ValueAxes, ValueLine, nice_range
from scenes.kit.partials import partial
from scenes.kit.style import CHAIN_RULE_HIGHLIGHT as HIGHLIGHT
from scenes.kit.style import COLORS, MUTED, SMALL_FONT

__all__ = ["CostTree", "line_spec"]

LABEL_FONT = 30


def line_spec(chain: Chain, name: Symbol, delta: float) -> tuple[list[float], tuple[float, float]]:
    """What the number line of ``name`` (w(L), z(L), a(L) or C0) must hold while w(L) is nudged by
    up to ``delta``, and the bounds its ends keep within.

    w(L) and z(L) move linearly with the nudge and a(L) = σ(z(L)) monotonically, so their two end
    values suffice; C0 = (a(L) - y)^2 can dip to 0 on the way, so 0 is included.
    """
    values = [nudged_levels(chain, 0.0)[name], nudged_levels(chain, delta)[name]]
    if name.kind == "a":
        act = chain.net.activation
        return values, (act.low, act.high)  # the activation's range
    if name == C0:
        return [*values, 0.0], (0.0, inf)
    return values, (-inf, inf)


class CostTree(ChainScene):
    """The dependency tree of the cost, number lines for w(L), z(L), a(L), C0, and a nudge of w(L)."""

    def setup(self) -> None:
        super().setup()
        self.delta = NUDGE_SIZES[0]
        for delta in NUDGE_SIZES:
            self.named |= nudge_named(self.chain, delta)

    def construct(self) -> None:
        self.dependency_tree()
        self.grow_tree()
        self.number_lines()
        self.nudge_ripples()
        self.ratio_approaches_derivative()

    # --- helpers ---------------------------------------------------------------------------

    def after_nudge(self, quantity: Symbol | Nudged, delta: float | None = None) -> Nudged:
        """The name of ``quantity`` after the nudge of w(L) by ``delta`` (the first by default)."""
        return nudged(quantity, weight(self.L), self.delta if delta is None else delta)

    def nudged_number(self, quantity, delta: float | None = None) -> str:
        """The recorded Typst number of ``quantity`` after the nudge (see :meth:`after_nudge`)."""
        return self.number(self.after_nudge(quantity, delta))

    def symbol_of(self, name: Symbol) -> str:
        """Typst of a level of the nudge's path (w(L), z(L), a(L), C0), as its number line is tagged."""
        return sym("C") if name == C0 else sym(name.kind, self.layer(name.layer))

    # --- steps -----------------------------------------------------------------------------

    def dependency_tree(self) -> None:
        with self.step("dependency_tree", "The cost C0 depends on the output a(L) and on the target y. "
                       "a(L) is the activation of z(L), and z(L) is made of the weight w(L), the previous "
                       "activation a(L-1) and the bias b(L)."):
            labels = {key: self.math(node_symbol(key), SMALL_FONT) for key in BASE_NODES}
            self.tree = DependencyTree(labels, column_unit=0.95, row_gap=1.2).shift(4.3 * LEFT + 3.35 * UP)
            t = self.tree
            self.sums_up(f"{sym('C')} = ({sym('a', 'L')} - {sym('y')})^2, quad {sym('a', 'L')} = "
                         f"{self.sigma}({sym('z', 'L')}), quad {sym('z', 'L')} = {sym('w', 'L')} {sym('a', 'L-1')} + "
                         f"{sym('b', 'L')}")
            self.play(FadeIn(t.nodes["C0"]))
            for children in (("a(L)", "y"), ("z(L)",), ("w(L)", "a(L-1)", "b(L)")):  # what C0, a(L), z(L) depend on
                self.play(*(FadeIn(t.nodes[c], shift=0.2 * UP) for c in children),
                          *(GrowArrow(t.arrows[c]) for c in children), run_time=0.9)
            self.wait(1.2)

    def grow_tree(self) -> None:
        with self.step("tree_grows", "The tree keeps going: a(L-1) comes from its own weighted sum "
                       "z(L-1), made of w(L-1), a(L-2) and b(L-1), and so on back to the input."):
            t = self.tree
            labels = {key: self.math(node_symbol(key), SMALL_FONT) for key in GROWN_NODES}
            nodes, arrows = t.grow(labels)
            self.sums_up(f"{sym('a', 'L-1')} = {self.sigma}({sym('z', 'L-1')}), quad {sym('z', 'L-1')} = "
                         f"{sym('w', 'L-1')} {sym('a', 'L-2')} + {sym('b', 'L-1')}")
            self.play(FadeIn(t.nodes["z(L-1)"], shift=0.2 * UP), GrowArrow(t.arrows["z(L-1)"]))
            rest = [k for k in GROWN_NODES if k != "z(L-1)"]
            self.play(*(FadeIn(t.nodes[k], shift=0.2 * UP) for k in rest), *(GrowArrow(t.arrows[k]) for k in rest))
            self.wait(1.0)
            self.play(VGroup(nodes, arrows).animate.set_opacity(0.3))
            self.wait(0.5)

    def number_lines(self) -> None:
        L = self.L
        with self.step("number_lines", f"Give w(L), z(L), a(L) and C0 each a number line: "
                       f"w(L) = {self.plain(weight(L))}, z(L) = {self.plain(weighted_sum(L))}, "
                       f"a(L) = {self.plain(activation(L))}, and the cost C0 = {self.plain(C0)}."):
            self.rows = {}
            row_of = {weight(L): "w(L)", weighted_sum(L): "z(L)", activation(L): "a(L)", C0: "C0"}
            for name, key in row_of.items():
                values, bounds = line_spec(self.chain, name, self.delta)
                line = ValueLine(values, length=4.8, bounds=bounds)
                line.move_to([1.0, self.tree.nodes[key].get_y() - 0.1, 0])
                tag = self.math(node_symbol(key), LABEL_FONT).next_to(line.line, LEFT, 0.35)
                dot = line.dot(self.named[name], COLORS[name.kind])
                value = self.math(self.number(name), LABEL_FONT).next_to(dot, UP, 0.12)
                self.rows[name] = {"line": line, "tag": tag, "dot": dot, "value": value}
            self.sums_up(", quad ".join(f"{node_symbol(key)} = {self.number(name)}" for name, key in row_of.items()))
            self.change_x = max(r["line"].get_right()[0] for r in self.rows.values()) + 0.45  # Δ labels start here
            self.play(*(Create(r["line"]) for r in self.rows.values()), *(FadeIn(r["tag"]) for r in self.rows.values()))
            self.play(*(FadeIn(r["dot"], r["value"]) for r in self.rows.values()))
            self.wait(1.5)

    def nudge_ripples(self) -> None:
        L, moved = self.L, self.after_nudge
        with self.step("nudge", f"Nudge w(L) by {self.plain(moved(change(weight(L))))}. The change ripples up "
                       f"the tree: z(L) moves by {self.plain(moved(change(weighted_sum(L))))}, a(L) by "
                       f"{self.plain(moved(change(activation(L))))}, and the cost by "
                       f"{self.plain(moved(change(C0)))}."):
            path = {weight(L): None, weighted_sum(L): "w(L)", activation(L): "z(L)", C0: "a(L)"}
            self.change_labels = VGroup()
            for name, arrow_from in path.items():
                self.move_level(name, arrow_from)
            self.sums_up(", quad ".join(f"Delta {self.symbol_of(name)} = {self.nudged_number(change(name))}"
                                        for name in path))
            self.wait(1.5)

    def move_level(self, name: Symbol, arrow_from: str | None) -> None:
        """Slide one level's dot from its value to its nudged value, its number live, then label
        the change."""
        row = self.rows[name]
        tracker = ValueTracker(0.0)
        places = decimals_for(name)
        live = DecimalNumber(self.named[name], num_decimal_places=places, mob_class=MathTypst, font_size=LABEL_FONT)
        live.move_to(row["value"])

        def level_value() -> float:
            return nudged_levels(self.chain, tracker.get_value())[name]

        row["dot"].add_updater(lambda m: m.move_to(row["line"].n2p(level_value())))
        live.add_updater(lambda m: m.set_value(level_value()).next_to(row["dot"], UP, 0.12))
        self.remove(row["value"])
        self.add(live)
        animations = [tracker.animate(rate_func=smooth).set_value(self.delta)]
        if arrow_from is not None:
            animations.append(self.tree.arrows[arrow_from].animate.set_color(HIGHLIGHT))
        self.play(*animations, run_time=1.6)
        row["dot"].clear_updaters()
        live.clear_updaters()
        final = self.math(self.nudged_number(name), LABEL_FONT).move_to(live)
        self.remove(live)
        self.add(final)
        row["value"] = final
        label = self.math(f"Delta {self.symbol_of(name)} = {self.nudged_number(change(name))}", LABEL_FONT)
        label.move_to(row["line"].line.get_center()).set_x(self.change_x, LEFT)
        room = config.frame_width / 2 - 0.2 - label.get_left()[0]
        if label.width > room:  # huge values (an exploding ReLU chain): shrink to stay in frame
            label.scale_to_fit_width(room, about_edge=LEFT)
        self.change_labels.add(label)
        self.play(FadeIn(label, shift=0.2 * LEFT), run_time=0.6)

    def ratio_approaches_derivative(self) -> None:
        L = self.L
        last = NUDGE_SIZES[-1]
        with self.step("derivative", f"Shrink the nudge and divide. Each ratio ΔC0/Δw(L) is the slope of the "
                       f"line through two points of the cost's graph; as the nudge shrinks that line turns into "
                       f"the tangent, and the ratio settles on "
                       f"{self.plain(self.after_nudge(ratio(C0, weight(L)), last))} for a nudge of "
                       f"{self.plain(self.after_nudge(change(weight(L)), last))}. In the limit it is the "
                       f"derivative ∂C0/∂w(L) = {self.plain(derivative(C0, weight(L)))}."):
            lines = VGroup(*(VGroup(*r.values()) for r in self.rows.values()), self.change_labels)
            self.play(FadeOut(lines), FadeOut(self.tree))
            graph = self.cost_graph()
            w, c = sym("w", "L"), sym("C")
            header = [f"Delta {w}", f"Delta {c}", f"(Delta {c})/(Delta {w})"]
            quantities = (change(weight(L)), change(C0), ratio(C0, weight(L)))
            rows = [[self.nudged_number(q, dl) for q in quantities] for dl in NUDGE_SIZES]
            cells = [[self.math(text, LABEL_FONT) for text in row] for row in [header, *rows]]
            table = VGroup(*(m for row in cells for m in row)).arrange_in_grid(
                rows=len(cells), cols=3, buff=(0.5, 0.3), col_alignments="rrr"
            )
            half = (table.width + 0.2) / 2
            rule = Line(half * LEFT, half * RIGHT, stroke_width=2)
            rule.next_to(VGroup(*cells[0]), DOWN, 0.12)
            block = VGroup(table, rule)
            block.scale_to_fit_width(min(block.width, 5.4)).move_to([3.9, 0.6, 0])
            limit = self.math(f"{partial(c, w)} = {self.number(derivative(C0, weight(L)))}", SMALL_FONT)
            self.sums_up(f"(Delta {c})/(Delta {w}) = {self.nudged_number(ratio(C0, weight(L)), last)} quad "
                         f"(Delta {w} = {self.nudged_number(change(weight(L)), last)}), quad {limit.source}")
            limit.next_to(block, DOWN, 0.5).align_to(VGroup(*(row[2] for row in cells)), RIGHT)
            self.play(Create(graph["axes"]), FadeIn(graph["names"]), Create(graph["curve"]), FadeIn(graph["dot"]))
            self.play(FadeIn(VGroup(*cells[0]), rule))
            secant, moved = graph["secants"][0], graph["nudged"][0]
            self.play(Create(secant), FadeIn(moved), FadeIn(VGroup(*cells[1]), shift=0.15 * UP), run_time=1.0)
            for row, line, point in zip(cells[2:], graph["secants"][1:], graph["nudged"][1:]):
                self.play(Transform(secant, line), Transform(moved, point), FadeIn(VGroup(*row), shift=0.15 * UP),
                          run_time=1.0)
            ratios = VGroup(*(row[2] for row in cells[1:]))
            self.play(Create(graph["tangent"]), ratios.animate.set_color(HIGHLIGHT), run_time=0.8)
            self.play(Write(limit))
            self.wait(2)

    def cost_graph(self) -> dict:
        """C0 against w(L) near its value (points from nncore), the secants of the nudges and the tangent."""
        L, w0, c0 = self.L, self.chain.w(self.L), self.chain.cost
        w_range = nice_range([w0 - 1.0, w0 + 1.0])  # holds every nudged w(L)
        ws = np.linspace(w_range[0], w_range[1], 121)
        costs = cost_curve(self.chain, ws)
        axes = ValueAxes(ws, costs, x_length=5.0, y_length=3.8, y_bounds=(0.0, inf), x_range=w_range)
        axes.move_to([-3.9, -0.1, 0])
        axes.shift(max(0.0, -6.9 - axes.get_left()[0]) * RIGHT)  # long tick labels: keep them in frame
        curve = axes.graph(ws, costs, color=COLORS["C"])

        def inside(slope: float) -> float:
            """Half the length of a line of ``slope`` through (w0, c0) that stays in the box."""
            half = min(w0 - axes.x_low, axes.x_high - w0)
            if slope != 0:
                half = min(half, (c0 - axes.y_low) / abs(slope), (axes.y_high - c0) / abs(slope))
            return half

        def segment(ends, color, width) -> Line:
            (x0, y0), (x1, y1) = ends
            return Line(axes.c2p(x0, y0), axes.c2p(x1, y1), color=color, stroke_width=width)

        at = self.after_nudge
        secants = [
            segment(cost_secant(self.chain, dl, inside(self.named[at(ratio(C0, weight(L)), dl)])), MUTED, 3)
            for dl in NUDGE_SIZES
        ]
        moved = [
            Dot(axes.c2p(self.named[at(weight(L), dl)], self.named[at(C0, dl)]), radius=0.06, color=MUTED)
            for dl in NUDGE_SIZES
        ]
        tangent = segment(cost_tangent(self.chain, inside(self.named[derivative(C0, weight(L))])), HIGHLIGHT, 4)
        names = VGroup(
            self.math(sym("C"), LABEL_FONT).next_to(axes, UP, 0.15).align_to(axes.axes, LEFT),
            self.math(sym("w", "L"), LABEL_FONT).next_to(axes.c2p(axes.x_high, axes.y_low), RIGHT, 0.25),
        )
        dot = Dot(axes.c2p(w0, c0), radius=0.08, color=COLORS["a"])
        return {"axes": axes, "curve": curve, "secants": secants, "nudged": moved, "tangent": tangent,
                "names": names, "dot": dot}
