"""CostTree: what the cost depends on, and how a nudge of w(L) ripples up to it.

The chain's symbols fall out of the chain into the dependency tree w(L), a(L-1), b(L) -> z(L) ->
a(L) -> C0 (with y), which moves to its stage on the left and grows back through w(L-1), a(L-2),
b(L-1); a number line for each of w(L), z(L), a(L), C0 beside its node, all on one scale, so the
shrinking change is seen; a nudge of w(L) rippling up the tree's path, each level's dot and value
moving live, there and back; and, tree and lines still on screen, ever smaller nudges whose
marks become the table's Δs, the ratio ΔC0/Δw(L) settling on ∂C0/∂w(L).
"""

from __future__ import annotations

from math import inf

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Create,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    Indicate,
    LaggedStart,
    Line,
    MathTypst,
    ShowPassingFlash,
    Transform,
    TransformFromCopy,
    ValueTracker,
    VGroup,
    always_redraw,
    config,
    smooth,
    there_and_back,
)

from lessonmodel.formula import Delta, Eq, Group, Math, Paren, Product, Row, add, items
from lessonmodel.names import (
    C0,
    Nudged,
    Symbol,
    activation,
    bias,
    change,
    derivative,
    nudged,
    ratio,
    weight,
    weighted_sum,
)
from lessonmodel.notation import activation_notation, derivative_of, quantity
from lessonmodel.values import (
    NUDGE_SIZES,
    Chain,
    cost_curve,
    cost_secant,
    cost_tangent,
    nudge_named,
    nudged_levels,
)
from scenes.kit.born import BornFrom
from scenes.kit.chain_labels import NAMES_ONLY, ChainLabels, target_label
from scenes.kit.cost_tree_diagram import (
    BASE_NODES,
    GOES_ON,
    GROWN_NODES,
    PATH,
    TREE_COLUMN_UNIT,
    TREE_ROW_GAP,
    TREE_TOP,
    DependencyTree,
    node_name,
    node_symbol,
)
from scenes.kit.lesson_scene import ChainScene, Said
from scenes.kit.number_line import ValueAxes, ValueLine, nice_range, shared_ranges
from scenes.kit.style import CHAIN_RULE_HIGHLIGHT as HIGHLIGHT
from scenes.kit.style import COLORS, MUTED, SMALL_FONT

__all__ = ["CostTree", "line_spec"]

LABEL_FONT = 28
LINE_LEFT, LINE_LENGTH = -1.55, 3.9  # the number lines, right of the tree
CHANGE_X = 2.8  # where the Δ labels (and later the ratio table) start
BIRTH_TOP = np.array([3.0, 0.6, 0.0])  # where C0 sits while the tree is born under the chain


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
    """The chain's symbols grown into the dependency tree of the cost, number lines of one scale for
    w(L), z(L), a(L), C0, a nudge of w(L) rippling up the tree, and the ratio settling on ∂C0/∂w(L)."""

    def setup(self) -> None:
        super().setup()
        self.delta = NUDGE_SIZES[0]
        for delta in NUDGE_SIZES:
            self.named |= nudge_named(self.chain, delta)
        self.activation = activation_notation(self.lesson.chain.activation)

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

    def nudged_value(self, quantity: Symbol | Nudged, delta: float | None = None) -> Math:
        """The value of ``quantity`` after the nudge, as shown (see :meth:`after_nudge`)."""
        return self.value(self.after_nudge(quantity, delta))

    def node(self, key: str) -> Math:
        """The symbol of the tree's node ``key`` (``"a(L-1)"``)."""
        return node_symbol(key, self.L)

    def forward(self, back: int) -> tuple[Eq, Eq]:
        """a = σ(z) and z = w a + b of layer L-``back``: how the tree's nodes there depend on those below."""
        s, l = self.sym, self.L - back
        return (Eq(s(activation(l)), self.activation.of(s(weighted_sum(l)))),
                Eq(s(weighted_sum(l)), add(Product(s(weight(l)), s(activation(l - 1)), op=""), s(bias(l)))))

    @property
    def path_names(self) -> dict[str, Symbol]:
        """The nudge's path, bottom to top: tree node -> the quantity's name."""
        return {key: node_name(key, self.L) for key in PATH}

    def chain_labels(self, d) -> dict[str, VGroup]:
        """The symbols on the chain stage the tree's nodes are born from, keyed by node."""
        last_two = (self.L - 1, self.L)
        on_chain = ChainLabels(self, d, parameters=False, activations=False, layers=last_two, room=NAMES_ONLY)
        labels = {f"a({self.layer(l)})": a for l, a in enumerate(on_chain.a)}
        for l, w, b in zip(last_two, on_chain.w, on_chain.b):
            labels[f"w({self.layer(l)})"], labels[f"b({self.layer(l)})"] = w, b
        labels["y"] = target_label(self, d, value=False)
        return labels

    # --- steps -----------------------------------------------------------------------------

    def dependency_tree(self) -> None:
        L, n = self.L, self.node
        with self.step("dependency_tree"):
            self.stage = self.chain_stage()
            d = self.stage
            self.on_chain = self.chain_labels(d)
            self.add(d, *self.on_chain.values())
            labels = {key: self.math(n(key), SMALL_FONT) for key in BASE_NODES}
            self.tree = DependencyTree(labels, column_unit=TREE_COLUMN_UNIT, row_gap=TREE_ROW_GAP).shift(BIRTH_TOP)
            t, on = self.tree, self.on_chain
            self.sums_up(items(Eq(n("C0"), self.cost_notation.share(n("a(L)"), n("y"))), *self.forward(0)))
            self.play(TransformFromCopy(d.neurons[L], t.nodes["C0"]), run_time=1.2,
                      cue=("What does the cost ", n("C0"), " depend on?"))
            births = {"a(L)": on["a(L)"], "y": on["y"], "z(L)": d.neurons[L], "w(L)": on["w(L)"],
                      "a(L-1)": on["a(L-1)"], "b(L)": on["b(L)"]}
            cues = {"C0": ("On the output ", n("a(L)"), " and the target ", n("y"), "."),
                    "a(L)": (n("a(L)"), " is the activation of ", n("z(L)"), ","),
                    "z(L)": ("and ", n("z(L)"), " is made of ", n("w(L)"), ", ", n("a(L-1)"), " and ", n("b(L)"), ".")}
            for parent, children in (("C0", ("a(L)", "y")), ("a(L)", ("z(L)",)), ("z(L)", ("w(L)", "a(L-1)", "b(L)"))):
                self.play(*(TransformFromCopy(births[c], t.nodes[c]) for c in children),
                          *(GrowArrow(t.arrows[c]) for c in children), run_time=1.1, cue=cues[parent])
            self.wait(1.2)

    def grow_tree(self) -> None:
        n = self.node
        with self.step("tree_grows"):
            t = self.tree
            chain = VGroup(self.stage, *self.on_chain.values())
            self.play(chain.animate.scale(0.42).to_corner(UR, buff=0.45), t.animate.shift(TREE_TOP - BIRTH_TOP),
                      run_time=1.2, cue="The tree keeps going back through the chain:")
            labels = {key: self.math(n(key), SMALL_FONT) for key in GROWN_NODES}
            # placed, not yet on screen: each comes in with its own animation (a wait for the cue
            # before it would show them early)
            grown, grown_arrows = t.grow(labels, attach=False)
            self.sums_up(items(*self.forward(1)))
            self.play(TransformFromCopy(self.stage.neurons[self.L - 1], t.nodes["z(L-1)"]),
                      GrowArrow(t.arrows["z(L-1)"]), cue=(n("a(L-1)"), " comes from ", n("z(L-1)"), ","))
            rest = [k for k in GROWN_NODES if k != "z(L-1)"]
            self.play(*(TransformFromCopy(self.on_chain[k], t.nodes[k]) for k in rest),
                      *(GrowArrow(t.arrows[k]) for k in rest), run_time=1.2,
                      cue=("made of ", n("w(L-1)"), ", ", n("a(L-2)"), " and ", n("b(L-1)"), ","))
            more, arrow = t.go_on(self.math(GOES_ON, SMALL_FONT), attach=False)
            self.play(FadeOut(chain, shift=0.3 * UP), FadeIn(more, shift=0.2 * UP), GrowArrow(arrow),
                      cue="and so on, back to the input.")
            self.remove(*grown, *grown_arrows, more, arrow)  # on screen now as parts of the tree
            t.attach([*grown, more], [*grown_arrows, arrow])
            self.wait(0.5)

    def number_lines(self) -> None:
        L, s, v = self.L, self.sym, self.value
        with self.step("number_lines"):
            self.rows = {}
            specs = {name: line_spec(self.chain, name, self.delta) for name in self.path_names.values()}
            ranges = shared_ranges([v for v, _ in specs.values()], [b for _, b in specs.values()])
            for (key, name), x_range in zip(self.path_names.items(), ranges):
                line = ValueLine(specs[name][0], length=LINE_LENGTH, x_range=x_range, font_size=22)
                height = self.tree.nodes[key].get_y() - 0.1  # beside its node
                line.shift([LINE_LEFT - line.line.get_left()[0], height - line.line.get_y(), 0])
                tag = self.math(self.node(key), LABEL_FONT).next_to(line.line, LEFT, 0.25)
                ghost = line.dot(self.named[name], MUTED, radius=0.05)
                dot = line.dot(self.named[name], COLORS[name.kind])
                value = self.math(v(name), LABEL_FONT).next_to(dot, UP, 0.12)
                self.rows[name] = {"line": line, "tag": tag, "ghost": ghost, "dot": dot, "value": value}
            levels = {name: Eq(self.node(key), v(name)) for key, name in self.path_names.items()}
            self.sums_up(items(*levels.values()))
            rows, nodes = list(self.rows.values()), [self.tree.nodes[key] for key in PATH]
            tags = [TransformFromCopy(n, r["tag"]) for n, r in zip(nodes, rows)]  # each line named by its node
            self.play(*(Create(r["line"]) for r in rows), *tags, run_time=1.5,
                      cue=("Give ", s(weight(L)), ", ", s(weighted_sum(L)), ", ", s(activation(L)), " and ", s(C0),
                           " each a number line,"))
            flashes = [ShowPassingFlash(Line(r["line"].line.get_left(), r["line"].line.get_right(), color=HIGHLIGHT,
                                             stroke_width=6), time_width=0.5) for r in rows]
            self.play(LaggedStart(*flashes, lag_ratio=0.2), run_time=1.5, cue="all on one scale.")
            for node, r in zip(nodes, rows):  # each value comes from its node
                r["place"] = r["dot"].get_center()
                r["dot"].move_to(node)
            arrive = [r["dot"].animate.move_to(r["place"]) for r in rows]
            self.play(*arrive, *(FadeIn(r["ghost"], r["value"]) for r in rows), run_time=1.5,
                      cue=(items(*(levels[name] for name in (weight(L), weighted_sum(L), activation(L)))), ","))
            cost = self.rows[C0]
            self.play(Indicate(cost["dot"], color=HIGHLIGHT), Indicate(self.tree.nodes["C0"], color=HIGHLIGHT),
                      run_time=1.2, cue=("and the cost ", levels[C0], "."))
            self.wait(1.0)

    def nudge_ripples(self) -> None:
        L, s = self.L, self.sym
        with self.step("nudge"):
            self.reach = {name: ValueTracker(0.0) for name in self.path_names.values()}
            for name in self.path_names.values():
                self.follow(name)
            # each level's change: (Δ of its symbol, the value), as its label shows it
            changes = {name: (Delta(s(name)), self.nudged_value(change(name))) for name in self.path_names.values()}
            by = {name: value for name, (_, value) in changes.items()}
            cues = {weight(L): ("Nudge ", s(weight(L)), "."), weighted_sum(L): "The change ripples up the tree:"}
            said = {weight(L): (Eq(*changes[weight(L)]), "."),
                    weighted_sum(L): (s(weighted_sum(L)), " moves by ", by[weighted_sum(L)], ","),
                    activation(L): (s(activation(L)), " by ", by[activation(L)], ","),
                    C0: ("and the cost by ", by[C0], ".")}
            self.change_labels = {}
            for n, name in enumerate(self.path_names.values()):
                self.move_level(name, PATH[n - 1] if n else None, cues.get(name), changes[name], said[name])
            self.sums_up(items(*(Eq(*shown) for shown in changes.values())))
            self.play(LaggedStart(*(self.reach[name].animate(rate_func=there_and_back).set_value(0.0)
                                    for name in self.path_names.values()), lag_ratio=0.25), run_time=2.6,
                      cue="Take the nudge back and give it again:")
            self.say("each level follows the one below it.")
            self.wait(0.8)

    def follow(self, name: Symbol) -> None:
        """Keep the dot of ``name``'s line where the nudge has taken it so far (``self.reach``), its
        live value above it and its mark (the change so far) on the line."""
        row, reach = self.rows[name], self.reach[name]

        def level_value() -> float:
            return nudged_levels(self.chain, reach.get_value())[name]

        row["dot"].add_updater(lambda m: m.move_to(row["line"].n2p(level_value())))
        start = row["line"].n2p(self.named[name])
        row["mark"] = always_redraw(
            lambda: Line(start, row["dot"].get_center() + 1e-4 * RIGHT, color=HIGHLIGHT, stroke_width=6))
        self.add(row["mark"], row["dot"])

    def move_level(self, name: Symbol, arrow_from: str | None, slide_cue: Said | None,
                   shown: tuple[Math, Math], change_cue: Said) -> None:
        """Carry the nudge up to one level: a flash along the tree's arrow, the level's dot sliding
        to its nudged value with its number live; then its mark turns into the label of its change,
        ``shown`` (Δ of its symbol, the value); ``change_cue`` is said as the change appears."""
        row = self.rows[name]
        live = DecimalNumber(self.named[name], num_decimal_places=self.decimals(name), mob_class=MathTypst,
                             font_size=LABEL_FONT).move_to(row["value"])
        live.add_updater(lambda m: m.set_value(nudged_levels(self.chain, self.reach[name].get_value())[name])
                         .next_to(row["dot"], UP, 0.12))
        self.remove(row["value"])
        self.add(live)
        animations = [self.reach[name].animate(rate_func=smooth).set_value(self.delta)]
        if arrow_from is not None:
            arrow = self.tree.arrows[arrow_from]
            animations += [ShowPassingFlash(arrow.copy().set_color(HIGHLIGHT).set_stroke(width=7), time_width=0.6),
                           arrow.animate.set_color(HIGHLIGHT)]
        self.play(*animations, run_time=1.6, cue=slide_cue)
        live.clear_updaters()
        final = self.math(self.nudged_value(name), LABEL_FONT).move_to(live)
        self.remove(live)
        self.add(final)
        row["value"] = final
        label = self.math(Eq(Group("delta", shown[0]), Group("value", shown[1])), LABEL_FONT)
        label.move_to(row["line"].line.get_center()).set_x(CHANGE_X, LEFT)
        self.fit_right(label)
        self.change_labels[name] = label
        mark = Line(row["line"].n2p(self.named[name]), row["dot"].get_center(), color=HIGHLIGHT, stroke_width=6)
        # the nudge's mark becomes its Δ
        self.play(BornFrom(label, [(mark, label.select("delta"))], appear=FadeIn, whole=True), run_time=0.8,
                  cue=change_cue)

    @staticmethod
    def fit_right(mobject, margin: float = 0.45) -> None:
        """Shrink ``mobject`` about its left edge (huge values of an exploding chain) to end
        ``margin`` inside the frame's right edge."""
        room = config.frame_width / 2 - margin - mobject.get_left()[0]
        if mobject.width > room:
            mobject.scale_to_fit_width(room, about_edge=LEFT)

    def ratio_approaches_derivative(self) -> None:
        L, s, v = self.L, self.sym, self.value
        with self.step("derivative"):
            quantities = (change(weight(L)), change(C0), ratio(C0, weight(L)))
            header = [quantity(q, L) for q in quantities]  # Δw(L), ΔC0, ΔC0/Δw(L)
            rows = [[self.nudged_value(q, dl) for q in quantities] for dl in NUDGE_SIZES]
            final = rows[-1]  # the smallest nudge's
            cells = [[self.math(m, LABEL_FONT) for m in row] for row in [header, *rows]]
            table = VGroup(*(m for row in cells for m in row)).arrange_in_grid(
                rows=len(cells), cols=3, buff=(0.45, 0.26), col_alignments="rrr"
            )
            half = (table.width + 0.2) / 2
            rule = Line(half * LEFT, half * RIGHT, stroke_width=2)
            rule.next_to(VGroup(*cells[0]), DOWN, 0.1)
            block = VGroup(table, rule)
            room = config_width_right(CHANGE_X)
            if block.width > room:
                block.scale_to_fit_width(room)
            block.move_to([CHANGE_X + room / 2, 0, 0]).align_to([0, 3.45, 0], UP)
            graph = self.cost_graph()
            dc_dw = derivative(C0, weight(L))
            partial, slope = derivative_of(dc_dw, L), v(dc_dw)
            limit = self.math(Eq(Group("frac", partial), slope), SMALL_FONT)
            limit.next_to(graph["axes"], RIGHT, 0.6).set_y(graph["axes"].get_y())
            self.fit_right(limit)
            measured = Row(Eq(header[2], final[2]), Paren(Eq(header[0], final[0])), sep=" quad ", words_sep=" ")
            self.sums_up(items(measured, limit.expr))
            labels = self.change_labels
            w_label, c_label = labels[weight(L)], labels[C0]
            others = [labels[n] for n in (weighted_sum(L), activation(L))]
            values = [r["value"] for r in self.rows.values()]
            self.play(TransformFromCopy(w_label.select("delta"), cells[0][0]),
                      TransformFromCopy(c_label.select("delta"), cells[0][1]), FadeIn(cells[0][2], rule),
                      TransformFromCopy(w_label.select("value"), cells[1][0]),
                      TransformFromCopy(c_label.select("value"), cells[1][1]),
                      FadeOut(VGroup(*others, *values, w_label, c_label)), run_time=1.4,
                      cue="Shrink the nudge and divide.")
            self.play(FadeIn(cells[1][2], shift=0.15 * UP),
                      Create(graph["axes"]), FadeIn(graph["names"]), Create(graph["curve"]), FadeIn(graph["dot"]),
                      run_time=1.4, cue=("Here is the cost as ", s(weight(L)), " changes."))
            secant, moved = graph["secants"][0], graph["nudged"][0]
            self.play(Create(secant), FadeIn(moved), Indicate(VGroup(*cells[1]), color=HIGHLIGHT), run_time=1.0,
                      cue=("Each ratio ", header[2], " is the slope of a line"))
            self.say("through two points of the cost's graph.")
            shrinks = "As the nudge shrinks, the line turns into the tangent."
            for n, (dl, row, line, point) in enumerate(zip(NUDGE_SIZES[1:], cells[2:], graph["secants"][1:],
                                                           graph["nudged"][1:])):
                self.play(*(r.animate.set_value(dl) for r in self.reach.values()), Transform(secant, line),
                          Transform(moved, point), run_time=1.0, cue=shrinks if n == 0 else None)
                marks = [self.rows[name]["mark"].copy().clear_updaters() for name in (weight(L), C0)]
                self.play(*(TransformFromCopy(m, cell) for m, cell in zip(marks, row)), FadeIn(row[2], shift=0.15 * UP),
                          run_time=0.8)
            ratios = VGroup(*(row[2] for row in cells[1:]))
            self.play(Create(graph["tangent"]), ratios.animate.set_color(HIGHLIGHT), run_time=0.8,
                      cue=("The ratio settles on ", final[2], " for a nudge of ", final[0], "."))
            # the Δ fraction becomes the ∂ one
            self.play(BornFrom(limit, [(cells[0][2], limit.select("frac"))], appear=FadeIn, whole=True), run_time=1.2,
                      cue=("In the limit, the derivative ", Eq(partial, slope), "."))
            self.wait(2)

    def cost_graph(self) -> dict:
        """C0 against w(L) near its value (points from nncore), the secants of the nudges and the tangent,
        under the number lines."""
        L, w0, c0 = self.L, self.chain.w(self.L), self.chain.cost
        w_range = nice_range([w0 - 1.0, w0 + 1.0])  # holds every nudged w(L)
        ws = np.linspace(w_range[0], w_range[1], 121)
        costs = cost_curve(self.chain, ws)
        axes = ValueAxes(ws, costs, x_length=4.0, y_length=1.9, y_bounds=(0.0, inf), x_range=w_range, font_size=22)
        axes.move_to([0.5, -2.25, 0])
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
            self.math(self.sym(C0), LABEL_FONT).next_to(axes.axes, LEFT, 0.5).align_to(axes.axes, UP),
            self.math(self.sym(weight(L)), LABEL_FONT).next_to(axes.c2p(axes.x_high, axes.y_low), RIGHT, 0.25),
        )
        dot = Dot(axes.c2p(w0, c0), radius=0.08, color=COLORS["a"])
        return {"axes": axes, "curve": curve, "secants": secants, "nudged": moved, "tangent": tangent,
                "names": names, "dot": dot}


def config_width_right(x: float, margin: float = 0.45) -> float:
    """The room from ``x`` to ``margin`` inside the frame's right edge."""
    return config.frame_width / 2 - margin - x

