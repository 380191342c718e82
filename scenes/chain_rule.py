"""ChainRule: ∂C0/∂w(L) = ∂z(L)/∂w(L) · ∂a(L)/∂z(L) · ∂C0/∂a(L), each factor derived and valued.

The path w(L) -> z(L) -> a(L) -> C0 of the dependency tree gives the three factors; each is
derived from its forward formula and filled in with the config's value: 2(a(L) - y) beside the
error it is proportional to, σ'(z(L)) as the slope of a tangent to the activation's graph (points
from nncore), and a(L-1). Their product sits beside the ratio the smallest nudge measured.
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    UP,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    TransformFromCopy,
    VGroup,
    Write,
)

from lessonmodel.fmt import decimals_for, typst_number
from lessonmodel.names import (
    C0,
    ERROR,
    Quantity,
    activation,
    change,
    derivative,
    nudged,
    ratio,
    target,
    weight,
    weighted_sum,
)
from lessonmodel.values import NUDGE_SIZES, activation_graph, activation_tangent, nudge_named
from scenes.kit.chain_diagram import ChainDiagram, activation_opacity
from scenes.kit.cost_tree_diagram import BASE_NODES, DependencyTree, node_symbol
from scenes.kit.lesson_scene import ChainScene
from scenes.kit.notation import sym
from scenes.kit.number_line import ValueAxes, ValueLine, nice_range
from scenes.kit.partials import partial
from scenes.kit.style import CHAIN_RULE_HIGHLIGHT as HIGHLIGHT
from scenes.kit.style import COLORS, FONT, MUTED, SMALL_FONT

__all__ = ["ChainRule"]


class ChainRule(ChainScene):
    """The chain rule for ∂C0/∂w(L), its three factors derived and valued, and their product."""

    def setup(self) -> None:
        super().setup()
        self.named |= nudge_named(self.chain, NUDGE_SIZES[-1])
        L = self.L
        # the three factors of ∂C0/∂w(L) (the first is a(L-1)) and their product
        self.dc_da = derivative(C0, activation(L))
        self.da_dz = derivative(activation(L), weighted_sum(L))
        self.dc_dw = derivative(C0, weight(L))

    def construct(self) -> None:
        self.assemble_from_tree()
        self.cost_factor()
        self.activation_factor()
        self.weight_factor()
        self.product_and_nudge()

    # --- symbols ---------------------------------------------------------------------------

    @property
    def w(self) -> str:
        return sym("w", "L")

    @property
    def z(self) -> str:
        return sym("z", "L")

    @property
    def a(self) -> str:
        return sym("a", "L")

    @property
    def a_prev(self) -> str:
        return sym("a", "L-1")

    @property
    def C(self) -> str:
        return sym("C")

    def under_factor(self, key: str, value_name: Quantity) -> None:
        """Write a factor's value under it in the chain rule, and keep it there."""
        factor = self.rule.select(key)
        value = self.math(self.number(value_name), SMALL_FONT, color=HIGHLIGHT).next_to(factor, DOWN, 0.2)
        self.play(TransformFromCopy(self.result, value), Indicate(factor, color=HIGHLIGHT, scale_factor=1.1))
        self.factor_values.add(value)

    def factor_separator(self) -> str:
        """The dot between the rule's factors: spaced out when a factor's value, written under it,
        is in scientific form (a saturated sigmoid's 4.5 × 10^(-5) is wider than its factor), so
        neighbouring values never run together."""
        factors = (activation(self.L - 1), self.da_dz, self.dc_da)
        wide = any(" times " in typst_number(self.named[n], decimals_for(n)) for n in factors)
        return "quad dot quad" if wide else "dot"

    def clear_work(self) -> None:
        self.play(FadeOut(self.work))
        self.work = VGroup()

    # --- steps -----------------------------------------------------------------------------

    def assemble_from_tree(self) -> None:
        with self.step("chain_rule", "How sensitive is the cost to w(L)? Follow the tree: w(L) changes "
                       "z(L), which changes a(L), which changes C0. The chain rule multiplies the three "
                       "sensitivities along that path."):
            labels = {key: self.math(node_symbol(key), SMALL_FONT) for key in BASE_NODES}
            tree = DependencyTree(labels, column_unit=0.95, row_gap=1.2).shift(4.6 * LEFT + 2.6 * UP)
            w, z, a, C = self.w, self.z, self.a, self.C
            dot = self.factor_separator()
            self.rule = self.math(
                f"{{{{ {partial(C, w)} = : lhs }}}} {{{{ {partial(z, w)} : dz }}}} {{{{ {dot} : dot1 }}}} "
                f"{{{{ {partial(a, z)} : da }}}} {{{{ {dot} : dot2 }}}} {{{{ {partial(C, a)} : dc }}}}",
                FONT,
            )
            self.rule.move_to([2.0, 0.6, 0])
            self.sums_up(self.rule)
            self.play(FadeIn(tree))
            self.play(Write(self.rule.select("lhs")))
            for key, arrow in (("dz", "w(L)"), ("da", "z(L)"), ("dc", "a(L)")):
                self.play(tree.arrows[arrow].animate.set_color(HIGHLIGHT),
                          FadeIn(self.rule.select(key), shift=0.2 * UP))
            dots = VGroup(self.rule.select("dot1"), self.rule.select("dot2"))
            self.play(FadeIn(dots))
            self.wait(1.0)
            self.play(FadeOut(tree), self.rule.animate.move_to([0, 2.75, 0]))
            self.factor_values = VGroup()
            self.work = VGroup()

    def cost_factor(self) -> None:
        L = self.L
        with self.step("cost_factor", f"Start at the top. C0 = (a(L) - y)^2, so its derivative with respect "
                       f"to a(L) is 2(a(L) - y) = {self.plain(self.dc_da)}: twice the error "
                       f"{self.plain(ERROR)}. The further off the output, the stronger the push."):
            a, C, y = self.a, self.C, sym("y")
            lines = VGroup(
                self.math(f"{C} = ({a} - {y})^2"),
                self.math(f"{partial(C, a)} = 2({a} - {y})"),
                self.math(f"= 2({self.number(activation(L))} - {self.number(target(), True)}) = "
                          f"{self.number(self.dc_da)}"),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
            lines.move_to([-3.6, -0.9, 0])
            self.sums_up(f"{partial(C, a)} = 2({a} - {y}) = "
                         f"2({self.number(activation(L))} - {self.number(target(), True)}) = {self.number(self.dc_da)}")
            self.result = lines[2]
            act = self.chain.net.activation
            ends = [v for v in (act.low, act.high) if abs(v) != float("inf")]
            line = ValueLine([self.chain.a(L), self.chain.y, *ends], length=4.8, bounds=(act.low, act.high))
            line.move_to([3.6, -0.3, 0])
            a_dot, y_dot = line.dot(self.chain.a(L)), line.dot(self.chain.y, COLORS["y"])
            tags = VGroup(self.math(a, SMALL_FONT).next_to(a_dot, UP, 0.15),
                          self.math(y, SMALL_FONT).next_to(y_dot, DOWN, 0.45))
            gap = Line(line.n2p(self.chain.a(L)), line.n2p(self.chain.y), color=COLORS["C"], stroke_width=7)
            error = self.math(f"{a} - {y} = {self.number(ERROR)}", SMALL_FONT).next_to(line, DOWN, 0.9)
            self.work = VGroup(lines, line, a_dot, y_dot, tags, gap, error)
            self.play(Write(lines[0]))
            self.play(Write(lines[1]))
            self.play(Create(line), FadeIn(a_dot, y_dot, tags))
            self.play(Create(gap), Write(error))
            self.play(Write(lines[2]))
            self.under_factor("dc", self.dc_da)
            self.wait(1.0)
            self.clear_work()

    def activation_factor(self) -> None:
        L = self.L
        s = self.sigma
        with self.step("activation_factor", f"Next, a(L) = {self.lesson.chain.activation}(z(L)). Its derivative "
                       f"is the slope of the activation's graph at z(L) = {self.plain(weighted_sum(L))}: the tangent "
                       f"there rises {self.plain(self.da_dz)} per unit of z."):
            a, z = self.a, self.z
            lines = VGroup(
                self.math(f"{a} = {s}({z})"),
                self.math(f"{partial(a, z)} = {s}'({z})"),
                self.math(f"= {s}'({self.number(weighted_sum(L))}) = {self.number(self.da_dz)}"),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
            lines.move_to([-3.9, -0.9, 0])
            self.sums_up(f"{partial(a, z)} = {s}'({z}) = {s}'({self.number(weighted_sum(L))}) = "
                         f"{self.number(self.da_dz)}")
            self.result = lines[2]
            graph = self.activation_picture()
            self.work = VGroup(lines, *graph.values())
            self.play(Write(lines[0]))
            self.play(Create(graph["axes"]), FadeIn(graph["labels"]), Create(graph["curve"]), run_time=1.5)
            self.play(Write(lines[1]))
            self.play(FadeIn(graph["dot"], graph["guide"], graph["z_value"]))
            self.play(Create(graph["tangent"]), run_time=1.2)
            self.play(Write(lines[2]), FadeIn(graph["slope"]))
            self.under_factor("da", self.da_dz)
            self.wait(1.0)
            self.clear_work()

    def activation_picture(self) -> dict:
        """Axes with the activation's graph (points from nncore), the point at z(L), its tangent."""
        L = self.L
        z0 = self.chain.z(L)
        z_range = nice_range([z0 - 2.5, z0 + 2.5, -4.0, 4.0], ticks=4)
        z_low, z_high, _ = z_range
        zs, acts = activation_graph(self.chain, z_low, z_high)
        act = self.chain.net.activation
        axes = ValueAxes(zs, acts, x_length=5.4, y_length=3.4, y_bounds=(act.low, act.high), x_range=z_range)
        axes.move_to([3.5, -0.95, 0])
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
        z_value = self.math(f"{self.z} = {self.number(weighted_sum(L))}", SMALL_FONT)
        z_value.next_to(axes.c2p(z0, a_low), DOWN, 0.45)
        slope = self.math(f'"slope" = {self.number(self.da_dz)}', SMALL_FONT, color=HIGHLIGHT)
        slope.next_to(axes, UP, 0.15).set_x(axes.get_x())
        names = VGroup(
            self.math(f"{self.sigma}({sym('z')})", SMALL_FONT).next_to(axes, UP, 0.15).align_to(axes, LEFT),
        )
        return {"axes": axes, "curve": curve, "dot": dot, "guide": guide, "tangent": tangent, "slope": slope,
                "z_value": z_value, "labels": names}

    def weight_factor(self) -> None:
        L = self.L
        with self.step("weight_factor", f"Last, z(L) = w(L) a(L-1) + b(L), so its derivative with respect to "
                       f"w(L) is a(L-1) = {self.plain(activation(L - 1))}: how strongly the previous neuron fires. "
                       f"Neurons that fire together wire together."):
            w, z, ap = self.w, self.z, self.a_prev
            lines = VGroup(
                self.math(f"{z} = {w} {ap} + {sym('b', 'L')}"),
                self.math(f"{partial(z, w)} = {ap}"),
                self.math(f"= {self.number(activation(L - 1))}"),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
            lines.move_to([-3.6, -0.9, 0])
            self.sums_up(f"{partial(z, w)} = {ap} = {self.number(activation(L - 1))}")
            self.result = lines[2]
            pair = ChainDiagram([self.chain.w(L)], spacing=3.0, radius=0.5).move_to([3.5, -0.6, 0])
            pair.neurons[0].set_fill(COLORS["a"], opacity=activation_opacity(self.chain.a(L - 1)))
            pair.neurons[1].set_fill(COLORS["a"], opacity=activation_opacity(self.chain.a(L)))
            tags = VGroup(
                self.math(ap, SMALL_FONT).next_to(pair.neurons[0], UP, 0.2),
                self.math(self.a, SMALL_FONT).next_to(pair.neurons[1], UP, 0.2),
                self.math(w, SMALL_FONT).move_to(pair.edge_point(1, UP, 0.35)),
                self.math(self.number(activation(L - 1)), SMALL_FONT).next_to(pair.neurons[0], DOWN, 0.2),
            )
            self.work = VGroup(lines, pair, tags)
            self.play(Write(lines[0]))
            self.play(FadeIn(pair, tags))
            self.play(Write(lines[1]))
            self.play(Indicate(pair.neurons[0], color=HIGHLIGHT), Write(lines[2]))
            self.under_factor("dz", activation(L - 1))
            self.wait(1.0)
            self.clear_work()

    def product_and_nudge(self) -> None:
        L = self.L
        small = NUDGE_SIZES[-1]
        quotient = nudged(ratio(C0, weight(L)), weight(L), small)
        delta = nudged(change(weight(L)), weight(L), small)
        with self.step("product", f"Multiply: ∂C0/∂w(L) = {self.plain(self.dc_dw)}. The nudge of "
                       f"{self.plain(delta)} measured ΔC0/Δw(L) = {self.plain(quotient)}: the chain rule "
                       f"predicts what the nudge measured."):
            w, C = self.w, self.C
            product = self.math(
                f"{partial(C, w)} = {self.number(activation(L - 1), True)} dot {self.number(self.da_dz, True)} "
                f"dot {self.number(self.dc_da, True)} = {{{{ {self.number(self.dc_dw)} : value }}}}"
            )
            measured = self.math(
                f"(Delta {C})/(Delta {w}) = {{{{ {self.number(quotient)} : value }}}} quad "
                f'"for" Delta {w} = {self.number(delta)}'
            )
            label = self.math('"the nudge measured:"', SMALL_FONT, color=MUTED)
            block = VGroup(product, label, measured).arrange(DOWN, buff=0.4)
            self.sums_up(product)
            self.fit(block).move_to([0, -1.0, 0])
            self.play(Write(product), run_time=1.5)
            self.play(FadeIn(label), Write(measured))
            self.play(Indicate(product.select("value"), color=HIGHLIGHT),
                      Indicate(measured.select("value"), color=HIGHLIGHT))
            self.wait(2)
