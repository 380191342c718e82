"""ChainRule: ∂C0/∂w(L) = ∂z(L)/∂w(L) · ∂a(L)/∂z(L) · ∂C0/∂a(L), each factor derived and valued.

The scene starts from the dependency tree where CostTree left it; each edge of the path w(L) ->
z(L) -> a(L) -> C0 turns into its factor. Each factor is derived from its forward formula beside
a picture that stays while it is worked out, and its value flies up under it: 2(a(L) - y) beside
the error on a number line, σ'(z(L)) as the slope of a tangent to the activation's graph (points
from nncore), and a(L-1) on the chain's last two neurons, the w(L) edge thickening as a(L-1)
fires. Their product sits beside the ratio the smallest nudge measured.
"""

from __future__ import annotations

from manim import (
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UP,
    Circumscribe,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    ShowPassingFlash,
    TransformFromCopy,
    ValueTracker,
    VGroup,
    Write,
    config,
    there_and_back,
)

from lessonmodel.formula import Eq, Group, Lit, Math, Product, Row, Signed, Text, add, items, sub
from lessonmodel.names import (
    C0,
    ERROR,
    Derivative,
    Quantity,
    activation,
    bias,
    change,
    derivative,
    nudged,
    ratio,
    target,
    under_cost,
    weight,
    weighted_sum,
)
from lessonmodel.notation import SQUARED, general, quantity
from lessonmodel.values import NUDGE_SIZES, activation_graph, activation_tangent, costs_compared, nudge_named
from scenes.kit.born import BornFrom, Flight
from scenes.kit.chain_diagram import activation_opacity, edge_width
from scenes.kit.cost_tree_diagram import BASE_NODES, GOES_ON, GROWN_NODES, PATH, node_symbol, staged_tree
from scenes.kit.lesson_scene import ChainScene
from scenes.kit.number_line import ValueAxes, ValueLine, nice_range
from scenes.kit.style import CHAIN_RULE_HIGHLIGHT as HIGHLIGHT
from scenes.kit.style import COLORS, FONT, MUTED, SMALL_FONT

__all__ = ["ChainRule"]

RULE_AT = [2.2, 0.85, 0]  # the chain rule, right of the tree; pictures above it, working below
WORK_AT = [-0.2, -2.2, 0]  # the centre of the working under the rule (its left part)
WORK_FLOOR = 0.5  # the working keeps this far above the frame's bottom (the composition rule asks 0.4)


def above_floor(lines: VGroup) -> VGroup:
    """Shrink ``lines`` from their top until they keep :data:`WORK_FLOOR` above the frame's bottom
    (tall lines: a fraction's, the cross-entropy's working)."""
    floor = -config.frame_height / 2 + WORK_FLOOR
    if lines.get_bottom()[1] < floor:
        lines.scale((lines.get_top()[1] - floor) / lines.height, about_edge=UP)
    return lines


class ChainRule(ChainScene):
    """The chain rule for ∂C0/∂w(L), its three factors derived and valued, and their product."""

    def setup(self) -> None:
        super().setup()
        self.named |= nudge_named(self.chain, NUDGE_SIZES[-1])
        L = self.L
        # the three factors of ∂C0/∂w(L) (the first is a(L-1)) and their product
        self.dz_dw = derivative(weighted_sum(L), weight(L))
        self.dc_da = derivative(C0, activation(L))
        self.da_dz = derivative(activation(L), weighted_sum(L))
        self.dc_dw = derivative(C0, weight(L))
        if self.chain.net.slope_cancels:  # the squared error's push beside the cross-entropy's
            self.named |= costs_compared(self.chain)

    def construct(self) -> None:
        self.assemble_from_tree()
        self.cost_factor()
        self.activation_factor()
        if self.chain.net.slope_cancels:  # the cross-entropy on a sigmoid
            self.slope_cancels()
        self.weight_factor()
        self.product_and_nudge()

    # --- symbols ---------------------------------------------------------------------------

    @property
    def w(self) -> Math:
        return self.sym(weight(self.L))

    @property
    def z(self) -> Math:
        return self.sym(weighted_sum(self.L))

    @property
    def a(self) -> Math:
        return self.sym(activation(self.L))

    @property
    def a_prev(self) -> Math:
        return self.sym(activation(self.L - 1))

    @property
    def C(self) -> Math:
        return self.sym(C0)

    @property
    def y(self) -> Math:
        return self.sym(target())

    def partial(self, name: Derivative) -> Math:
        """∂of/∂by of the derivative called ``name``, its layers named from the end."""
        return quantity(name, self.L)

    def value_flies(self, key: str, value_name: Quantity) -> None:
        """Fly a copy of the working's result, whole, from where it was computed to under its factor
        in the chain rule, and keep it there."""
        factor = self.rule.select(key)
        value = self.math(self.value(value_name), SMALL_FONT, color=HIGHLIGHT).next_to(factor, DOWN, 0.2)
        self.play(BornFrom(value, [(self.result.select("value"), value)], flight=Flight.FIT, appear=None),
                  Indicate(factor, color=HIGHLIGHT, scale_factor=1.1), run_time=1.2)
        self.factor_values.add(value)

    def factor_separator(self) -> Lit:
        """The dot between the rule's factors: spaced out when a factor's value, written under it,
        is in scientific form (a saturated sigmoid's 4.5 × 10^(-5) is wider than its factor), so
        neighbouring values never run together."""
        factors = (activation(self.L - 1), self.da_dz, self.dc_da)
        wide = any(self.value(n).parts[1] is not None for n in factors)
        return Lit("quad dot quad", "·", "times") if wide else Lit("dot")

    def working(self, *formulas: Math, right: float = 6.6) -> VGroup:
        """The lines of a factor's working, under the rule, right of the tree and left of ``right``
        (a picture beside them); the last one's ``value`` group is the factor's value
        (:meth:`value_flies`)."""
        lines = VGroup(*(self.math(f) for f in formulas)).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        left = -2.3  # right of the tree
        if lines.width > right - left:  # a long value (a saturated slope's 4.5 × 10^(-5))
            lines.scale_to_fit_width(right - left)
        lines.move_to(WORK_AT)
        lines.shift(max(0.0, left - lines.get_left()[0]) * RIGHT + min(0.0, right - lines.get_right()[0]) * RIGHT)
        return above_floor(lines)

    def clear_work(self) -> FadeOut | None:
        """Fade out the previous factor's working and picture (played with the next one's start)."""
        old, self.work = self.work, VGroup()
        return FadeOut(old) if len(old) else None

    def start(self, *animations, **kwargs) -> None:
        """Play ``animations`` together with fading the previous working out."""
        fade = self.clear_work()
        self.play(*animations, *([fade] if fade else []), **kwargs)

    # --- steps -----------------------------------------------------------------------------

    def assemble_from_tree(self) -> None:
        with self.step("chain_rule"):
            labels = {key: self.math(node_symbol(key, self.L), SMALL_FONT) for key in BASE_NODES}
            grown = {key: self.math(node_symbol(key, self.L), SMALL_FONT) for key in GROWN_NODES}
            more = self.math(GOES_ON, SMALL_FONT)  # the tree goes on, as CostTree left it
            self.tree = tree = staged_tree(labels, grown, more)  # where CostTree left it
            for child in PATH[:-1]:
                tree.arrows[child].set_color(HIGHLIGHT)  # the path the nudge took
            self.add(tree)
            w, z, a, C, d = self.w, self.z, self.a, self.C, self.partial
            dot = self.factor_separator()
            self.rule = self.math(Row(
                Group("lhs", Row(d(self.dc_dw), Lit("="))), Group("dz", d(self.dz_dw)), Group("dot1", dot),
                Group("da", d(self.da_dz)), Group("dot2", dot), Group("dc", d(self.dc_da)),
            ), FONT)
            self.fit(self.rule).move_to(RULE_AT)
            self.rule.shift(max(0.0, self.rule.get_right()[0] - 6.6) * LEFT)
            self.sums_up(self.rule)
            self.play(Indicate(tree.nodes["C0"], color=HIGHLIGHT), Indicate(tree.nodes["w(L)"], color=HIGHLIGHT),
                      run_time=1.2, cue=("How sensitive is the cost to ", w, "?"))
            self.play(TransformFromCopy(VGroup(tree.nodes["C0"], tree.nodes["w(L)"]), self.rule.select("lhs")),
                      run_time=1.2, cue="Follow the tree's path:")
            says = {"dz": (w, " changes ", z, ","), "da": ("which changes ", a, ","), "dc": ("which changes ", C, ".")}
            for key, child, parent in (("dz", "w(L)", "z(L)"), ("da", "z(L)", "a(L)"), ("dc", "a(L)", "C0")):
                arrow = tree.arrows[child]
                edge = VGroup(tree.nodes[parent], arrow, tree.nodes[child])
                self.play(ShowPassingFlash(arrow.copy().set_stroke(width=8), time_width=0.6),
                          TransformFromCopy(edge, self.rule.select(key)), run_time=1.3, cue=says[key])
            dots = VGroup(self.rule.select("dot1"), self.rule.select("dot2"))
            self.play(FadeIn(dots), Indicate(VGroup(*(tree.arrows[c] for c in PATH[:-1])), color=HIGHLIGHT),
                      cue="The chain rule multiplies the three sensitivities.")
            self.wait(1.0)
            self.factor_values = VGroup()
            self.work = VGroup()

    def cost_factor(self) -> None:
        L = self.L
        with self.step("cost_factor"):
            a, C, y, v = self.a, self.C, self.y, self.value
            notation = self.cost_notation
            cost, slope = notation.share(a, y), notation.derivative(a, y)  # (a(L) - y)^2, 2(a(L) - y)
            at, result = notation.derivative(v(activation(L)), v(target())), v(self.dc_da)
            lines = self.working(
                Eq(C, cost),
                Eq(self.partial(self.dc_da), slope),
                Row(Lit("="), Eq(at, Group("value", result))),
            )
            self.sums_up(Eq(self.partial(self.dc_da), slope, at, result))
            self.result = lines[2]
            act = self.chain.net.activation
            ends = [end for end in (act.low, act.high) if abs(end) != float("inf")]
            line = ValueLine([self.chain.a(L), self.chain.y, *ends], length=4.6, bounds=(act.low, act.high))
            line.move_to([1.0, 2.35, 0])
            a_dot, y_dot = line.dot(self.chain.a(L)), line.dot(self.chain.y, COLORS["y"])
            tags = VGroup(self.math(a, SMALL_FONT).next_to(a_dot, UP, 0.15),
                          self.math(y, SMALL_FONT).next_to(y_dot, UP, 0.15))
            if abs(a_dot.get_x() - y_dot.get_x()) < 0.8:  # the output at (or near) its target: y below
                tags[1].next_to(y_dot, DOWN, 0.4)
            gap = Line(line.n2p(self.chain.a(L)), line.n2p(self.chain.y), color=COLORS["C"], stroke_width=7)
            error = self.math(Eq(sub(a, y), v(ERROR)), SMALL_FONT).next_to(line.line, RIGHT, 0.5)
            if error.get_right()[0] > 6.6:  # a long value: under the line instead
                error.next_to(line, DOWN, 0.15).align_to(line, RIGHT)
            self.work = VGroup(lines, line, a_dot, y_dot, tags, gap, error)
            self.play(TransformFromCopy(self.tree.nodes["C0"], lines[0]), Indicate(self.rule.select("dc")),
                      cue=("Start at the top: ", Eq(C, cost), "."))
            self.play(Write(lines[1]), cue=("Its derivative with respect to ", a, " is ", slope, ":"))
            self.play(Create(line), TransformFromCopy(self.tree.nodes["a(L)"], tags[0]),
                      TransformFromCopy(self.tree.nodes["y"], tags[1]), FadeIn(a_dot, y_dot))
            error_cue = (("twice the error ", v(ERROR), ".") if notation.cancelled(a) is None else
                         ("the error ", v(ERROR), ", divided by ", notation.cancelled(a), "."))
            self.play(Create(gap), Write(error), cue=error_cue)
            self.play(Write(lines[2]), cue=(Eq(slope, result), "."))
            self.say("The further off the output, the stronger the push.")
            self.value_flies("dc", self.dc_da)
            self.wait(1.0)

    def activation_factor(self) -> None:
        L, f, v = self.L, self.sigma, self.value
        with self.step("activation_factor"):
            a, z = self.a, self.z
            graph = self.activation_picture()
            picture_left = min(graph["axes"].get_left()[0], graph["z_value"].get_left()[0])
            at, result = f.slope(v(weighted_sum(L))), v(self.da_dz)  # σ'(z(L)'s value), its value
            lines = self.working(
                Eq(a, f.of(z)),
                Eq(self.partial(self.da_dz), f.slope(z)),
                Row(Lit("="), Eq(at, Group("value", result))),
                right=picture_left - 0.3,
            )
            self.sums_up(Eq(self.partial(self.da_dz), f.slope(z), at, result))
            self.result = lines[2]
            self.start(TransformFromCopy(VGroup(self.tree.nodes["a(L)"], self.tree.arrows["z(L)"],
                                                self.tree.nodes["z(L)"]), lines[0]),
                       Indicate(self.rule.select("da")),
                       cue=("Next, the activation: ", Eq(a, f.of(z)), "."))
            self.work = VGroup(lines, *graph.values())
            self.play(Create(graph["axes"]), FadeIn(graph["labels"]), Create(graph["curve"]), run_time=1.5,
                      cue="Its derivative is the slope of this graph")
            self.play(Write(lines[1]))
            self.play(FadeIn(graph["dot"], graph["guide"], graph["z_value"]),
                      cue=("at ", Eq(z, v(weighted_sum(L))), "."))
            self.play(Create(graph["tangent"]), run_time=1.2)
            self.play(Write(lines[2]), FadeIn(graph["slope"]),
                      cue=("The tangent rises ", result, " per unit of ", general("z"), "."))
            self.value_flies("da", self.da_dz)
            self.wait(1.0)

    def activation_picture(self) -> dict:
        """Axes with the activation's graph (points from nncore), the point at z(L), its tangent."""
        L = self.L
        z0 = self.chain.z(L)
        z_range = nice_range([z0 - 2.5, z0 + 2.5, -4.0, 4.0], ticks=4)
        z_low, z_high, _ = z_range
        zs, acts = activation_graph(self.chain, z_low, z_high)
        act = self.chain.net.activation
        axes = ValueAxes(zs, acts, x_length=4.6, y_length=2.1, y_bounds=(act.low, act.high), x_range=z_range,
                         font_size=22)
        axes.move_to([4.15, -1.85, 0])
        a_low, a_high = axes.y_low, axes.y_high
        a0, half = self.chain.a(L), 0.15 * (z_high - z_low)
        rise = self.named[self.da_dz]  # the tangent's slope
        if rise > 0:  # shorten the tangent to stay inside the graph's box
            half = min(half, (a_high - a0) / rise, (a0 - a_low) / rise)
        (t0, v0), (t1, v1) = activation_tangent(self.chain, L, half)
        curve = axes.graph(zs, acts, color=COLORS["a"])
        point = axes.c2p(z0, a0)
        dot = Dot(point, color=COLORS["z"], radius=0.08)
        guide = DashedLine(axes.c2p(z0, a_low), point, color=COLORS["z"], stroke_width=2)
        tangent = Line(axes.c2p(t0, v0), axes.c2p(t1, v1), color=HIGHLIGHT, stroke_width=4)
        z_value = self.math(Eq(self.z, self.value(weighted_sum(L))), SMALL_FONT)
        z_value.next_to(axes.c2p(z0, a_low), DOWN, 0.4)
        z_value.shift(max(0.0, z_value.get_right()[0] - 6.6) * LEFT)
        slope = self.math(Eq(Text("slope"), self.value(self.da_dz)), SMALL_FONT, color=HIGHLIGHT)
        corner = axes.c2p(axes.x_low, axes.y_high)  # inside the box, where a rising activation is low
        names = VGroup(self.math(self.sigma.of(general("z")), SMALL_FONT).next_to(corner, DR, 0.12)
                       .shift(0.1 * RIGHT))
        slope.next_to(names, DOWN, 0.12).align_to(names, LEFT)
        return {"axes": axes, "curve": curve, "dot": dot, "guide": guide, "tangent": tangent, "slope": slope,
                "z_value": z_value, "labels": names}

    def slope_cancels(self) -> None:
        """σ'(z(L)) = a(L) (1 - a(L)) cancels against the cross-entropy's ∂C0/∂a(L): their product
        is a(L) - y; beside it, the squared error's 2(a(L) - y) σ'(z(L)) for the same output."""
        L, v, notation, a, y = self.L, self.value, self.cost_notation, self.a, self.y
        with self.step("slope_cancels"):
            dz = derivative(C0, weighted_sum(L))
            squared_dz = under_cost(dz, SQUARED.name)
            slope = self.sigma.slope(self.z)
            lines = self.working(
                Eq(Product(self.partial(self.da_dz), self.partial(self.dc_da), op=""),
                   Product(notation.cancelled(a), notation.derivative(a, y), op="")),
                Row(Lit("="), Eq(notation.output_error(a, y), notation.output_error(v(activation(L)), v(target())),
                                 Group("value", v(dz)))),
                Row(Text("squared error:"), Eq(self.partial(dz), Product(SQUARED.derivative(a, y), slope, op=""),
                                               v(squared_dz))),
                Row(Text(f"{notation.prose}:"), Eq(self.partial(dz), v(dz))),
            )
            for line in lines[2:]:  # the comparison, a little apart from the working
                line.shift(0.15 * DOWN)
            above_floor(lines)
            self.sums_up(items(Eq(self.partial(dz), notation.output_error(a, y), v(dz)),
                               Row(Text("squared error:"), Eq(self.partial(dz), v(squared_dz)))))
            self.start(Write(lines[0]), Indicate(self.rule.select("da")), Indicate(self.rule.select("dc")),
                       run_time=1.5, cue="With this cost, the slope cancels:")
            self.play(Write(lines[1]), cue=("the two factors multiply to ", notation.output_error(a, y), "."))
            self.play(FadeIn(lines[2], shift=0.2 * UP),
                      cue=("With the squared error, the same output pushes only ", v(squared_dz), ","))
            self.play(FadeIn(lines[3], shift=0.2 * UP), Circumscribe(lines[3], color=HIGHLIGHT),
                      cue=("here ", v(dz), ": a confident wrong answer learns fast."))
            self.work = VGroup(lines)
            self.wait(1.0)

    def weight_factor(self) -> None:
        L = self.L
        with self.step("weight_factor"):
            w, z, ap = self.w, self.z, self.a_prev
            forward = Eq(z, add(Product(w, ap, op=""), self.sym(bias(L))))  # z(L) = w(L) a(L-1) + b(L)
            result = self.value(activation(L - 1))
            lines = self.working(
                forward,
                Eq(self.partial(self.dz_dw), ap),
                Row(Lit("="), Group("value", result)),
            )
            self.sums_up(Eq(self.partial(self.dz_dw), ap, result))
            self.result = lines[2]
            stage = self.chain_stage()  # the chain where every chain scene has it: its last two neurons
            prev, last, edge = stage.neurons[L - 1], stage.neurons[L], stage.edges[L - 1]
            tags = VGroup(
                self.math(ap, SMALL_FONT).next_to(prev, LEFT, 0.2),
                self.math(self.a, SMALL_FONT).next_to(last, RIGHT, 0.2),
                self.math(w, SMALL_FONT).move_to(stage.edge_point(L, UP, 0.3)),
                self.math(result, SMALL_FONT).next_to(prev, UP, 0.15),
            )
            pair = VGroup(edge, prev, last)
            fires = ValueTracker(self.chain.a(L - 1))
            base = edge_width(self.chain.w(L))
            full = activation_opacity(self.chain.a(L - 1)) or 1.0

            def with_firing(m, which: str):
                level = activation_opacity(fires.get_value())
                if which == "edge":  # the sensitivity the edge carries grows with a(L-1)
                    m.set_stroke(width=1.0 + 2.2 * base * level / full)
                else:
                    m.set_fill(opacity=level)

            self.start(TransformFromCopy(VGroup(self.tree.nodes["z(L)"], self.tree.arrows["w(L)"],
                                                self.tree.nodes["w(L)"]), lines[0]),
                       Indicate(self.rule.select("dz")), cue=("Last, ", forward, ","))
            self.work = VGroup(lines, pair, tags)
            self.play(FadeIn(pair), FadeIn(tags[1:3]))
            self.play(Write(lines[1]), TransformFromCopy(self.tree.nodes["a(L-1)"], tags[0]),
                      cue=("so its derivative with respect to ", w, " is ", ap))
            self.play(Indicate(prev, color=HIGHLIGHT), FadeIn(tags[3]), Write(lines[2]),
                      cue=(Row(Lit("="), result), ": how strongly the previous neuron fires."))
            self.value_flies("dz", activation(L - 1))
            edge.add_updater(lambda m: with_firing(m, "edge"))
            prev.add_updater(lambda m: with_firing(m, "neuron"))
            self.play(fires.animate(rate_func=there_and_back).set_value(0.0), run_time=2.4,
                      cue="Neurons that fire together wire together:")
            self.play(fires.animate.set_value(self.chain.a(L - 1)), run_time=0.1)
            self.say(("the brighter ", ap, ", the more ", w, " matters."))
            edge.clear_updaters()
            prev.clear_updaters()
            self.wait(0.6)

    def product_and_nudge(self) -> None:
        L = self.L
        small = NUDGE_SIZES[-1]
        quotient = nudged(ratio(C0, weight(L)), weight(L), small)
        delta = nudged(change(weight(L)), weight(L), small)
        with self.step("product"):
            v, d = self.value, self.partial
            # each factor's value in its group, a negative one's parentheses inside (the value flies in whole)
            factors = Product(*(Group(key, Signed(v(name))) for key, name in
                                (("dz", activation(L - 1)), ("da", self.da_dz), ("dc", self.dc_da))))
            product = self.math(Eq(d(self.dc_dw), factors, Group("value", v(self.dc_dw))))
            ratio_of = quantity(ratio(C0, weight(L)), L)  # ΔC0/Δw(L)
            measured = self.math(Row(Eq(ratio_of, Group("value", v(quotient))),
                                     Row(Text("for"), Eq(quantity(change(weight(L)), L), v(delta))),
                                     sep=" quad ", words_sep=" "))
            label = self.math(Text("the nudge measured:"), SMALL_FONT, color=MUTED)
            block = VGroup(product, label, measured).arrange(DOWN, buff=0.3)
            self.sums_up(product)
            room = 6.6 - (-2.3)
            if block.width > room:
                block.scale_to_fit_width(room)
            block.move_to([(6.6 - 2.3) / 2, -2.1, 0])
            lines = self.work[0] if len(self.work) else VGroup()  # the two neurons stay: the product is about them
            arrivals = [(value, product.select(key)) for value, key in zip(self.factor_values, ("dc", "da", "dz"))]
            self.play(BornFrom(product, arrivals, appear=FadeIn, whole=True), FadeOut(lines), run_time=1.5,
                      cue=("Multiply: ", Eq(d(self.dc_dw), v(self.dc_dw)), "."))
            self.play(FadeIn(label), Write(measured),
                      cue=("The nudge of ", v(delta), " measured ", Eq(ratio_of, v(quotient)), ":"))
            self.play(Indicate(product.select("value"), color=HIGHLIGHT),
                      Indicate(measured.select("value"), color=HIGHLIGHT),
                      ShowPassingFlash(VGroup(*(self.tree.arrows[c] for c in PATH[:-1])).copy().set_stroke(width=8),
                                       time_width=0.6),
                      cue="the chain rule predicts what the nudge measured.")
            self.wait(2)
