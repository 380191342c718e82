"""CostOfOneExample: from the chain NeuronChain ends on, the output a(L) against the desired output
y on a number line, their distance (the error) and the cost C0 = (a(L) - y)^2 of one example."""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    Indicate,
    Line,
    Square,
    Transform,
    TransformFromCopy,
    ValueTracker,
    VGroup,
    always_redraw,
    there_and_back,
)

from lessonmodel.formula import Eq, Group, Lit, Paren, Product, Text, items, sub
from lessonmodel.names import C0, ERROR, activation, target
from lessonmodel.notation import SQUARED
from scenes.kit.born import BornFrom
from scenes.kit.chain_labels import ChainLabels, cost_formula, target_label
from scenes.kit.lesson_scene import ChainScene
from scenes.kit.number_line import ValueLine
from scenes.kit.stage import FORMULA_AREA_CHAIN
from scenes.kit.style import COLORS, HIGHLIGHT, MUTED, SMALL_FONT

__all__ = ["CostOfOneExample"]

DIMMED = 0.45  # how much the early layers fade: dimmer than the last two neurons, still legible
LINE_Y = FORMULA_AREA_CHAIN[1] + 0.5  # the number line, between the chain and the cost formula
COST_Y = -3.0  # the cost formula, moved down to make room for the number line
SQUARE_ROOM = 1.5  # the largest square of the gap that fits between the number line and the cost


class CostOfOneExample(ChainScene):
    """The last two neurons, the output a(L) against the desired output y, and the cost of one example."""

    def construct(self) -> None:
        self.focus_on_last_neurons()
        self.desired_output()
        self.cost_of_one_example()
        self.superscripts_are_layers()

    # --- steps -----------------------------------------------------------------------------

    def focus_on_last_neurons(self) -> None:
        L, s, v = self.L, self.sym, self.value
        with self.step("last_two_neurons"):
            # The picture NeuronChain ends on, in the same place.
            d = self.diagram = self.chain_stage()
            labels = self.labels = ChainLabels(self, d)
            self.y_label = target_label(self, d)
            self.cost = cost_formula(self)
            self.add(d, labels.everything(), self.y_label, self.cost)
            early = VGroup(*d.neurons[: L - 1], *d.edges[: L - 1], *labels.a[: L - 1], *labels.values[: L - 1],
                           *labels.w[: L - 1], *labels.b[: L - 2])
            self.play(early.animate.fade(DIMMED), self.cost.animate.set_y(COST_Y), run_time=1.5,
                      cue="Focus on the last two neurons.")
            self.play(Indicate(VGroup(d.neurons[L], labels.values[L]), color=HIGHLIGHT),
                      cue=("The output is ", Eq(s(activation(L)), v(activation(L))), "."))
            self.play(Indicate(VGroup(d.neurons[L - 1], labels.values[L - 1]), color=HIGHLIGHT),
                      cue=("The neuron before it has ", Eq(s(activation(L - 1)), v(activation(L - 1))), "."))
            self.sums_up(items(Eq(s(activation(L - 1)), v(activation(L - 1))), Eq(s(activation(L)), v(activation(L)))))
            self.wait(1)

    def desired_output(self) -> None:
        L, s, v = self.L, self.sym, self.value
        with self.step("desired_output"):
            d, labels = self.diagram, self.labels
            act = self.chain.net.activation
            ends = [v for v in (act.low, act.high) if abs(v) != float("inf")]
            line = ValueLine([self.chain.a(L), self.chain.y, *ends], length=7.0, bounds=(act.low, act.high),
                             font_size=30)
            line.move_to(LINE_Y * UP + 1.6 * LEFT)
            a_dot, y_dot = line.dot(self.chain.a(L), radius=0.1), line.dot(self.chain.y, COLORS["y"], radius=0.1)
            a_tag = self.math(s(activation(L)), SMALL_FONT).next_to(a_dot, UP, 0.18)
            y_tag = self.math(s(target()), SMALL_FONT).next_to(y_dot, UP, 0.18)
            if abs(a_tag.get_x() - y_tag.get_x()) < 0.8:  # close together: y's tag below the line
                y_tag.next_to(y_dot, DOWN, 0.5)
            gap = Line(line.n2p(self.chain.a(L)), line.n2p(self.chain.y), color=COLORS["C"], stroke_width=8)
            error = self.math(Eq(sub(Group("asym", s(activation(L))), Group("ysym", s(target()))),
                                 Group("err", v(ERROR))), SMALL_FONT + 4)
            error.next_to(line, RIGHT, 0.5).set_y(line.line.get_y())
            self.fit(VGroup(line, error))
            self.sums_up(items(Eq(s(target()), v(target())),
                               Eq(sub(s(activation(L)), s(target())), sub(v(activation(L)), v(target())), v(ERROR))))
            self.play(Indicate(self.y_label, color=COLORS["y"]), Create(line),
                      cue=("For this example we want the output ", Eq(s(target()), v(target())), "."))
            self.play(TransformFromCopy(d.neurons[L], a_dot), TransformFromCopy(labels.a[L], a_tag),
                      TransformFromCopy(self.y_label.select("num"), y_dot),
                      TransformFromCopy(self.y_label.select("sym"), y_tag), run_time=1.5,
                      cue="Both on one number line:")
            self.play(Create(gap), BornFrom(error, [(a_tag, error.select("asym")), (y_tag, error.select("ysym"))]),
                      cue=("the network is off by ", Eq(sub(s(activation(L)), s(target())), v(ERROR)), "."))
            self.error_picture = VGroup(line, a_dot, y_dot, a_tag, y_tag, gap, error)
            self.line, self.a_dot, self.a_tag, self.gap, self.error = line, a_dot, a_tag, gap, error
            self.wait(1)

    def cost_of_one_example(self) -> None:
        L, v = self.L, self.value
        with self.step("cost"):
            cost = self.cost
            difference = VGroup(cost.select("a"), cost.select("y"))
            underline = Line(difference.get_corner(DOWN + LEFT), difference.get_corner(DOWN + RIGHT),
                             color=COLORS["C"], stroke_width=6).shift(0.12 * DOWN)
            self.sums_up(cost)
            output = ValueTracker(self.chain.a(L))  # where the output's dot stands on the line
            far = self.further_output()
            squared = self.cost_notation is SQUARED  # the picture of a square is the squared error's only
            square = always_redraw(lambda: self.square_on_gap(output.get_value(), far)) if squared else VGroup()
            flying = self.gap.copy()
            if squared:
                self.play(Transform(flying, underline), TransformFromCopy(self.gap, square),
                          Indicate(cost.select("square"), color=HIGHLIGHT), run_time=1.5,
                          cue="The cost of this example squares that difference:")
            else:
                self.play(Transform(flying, underline), Indicate(cost.select("cost"), color=HIGHLIGHT), run_time=1.5,
                          cue=f"The cost of this example is the {self.cost_notation.prose}:")
            self.say((Eq(self.sym(C0), self.cost_notation.share(v(activation(L)), v(target())), v(C0)), "."))
            line, y = self.line, self.chain.y
            gap = always_redraw(lambda: Line(line.n2p(output.get_value()), line.n2p(y), color=COLORS["C"],
                                             stroke_width=8))
            self.remove(self.gap)
            self.add(gap, self.a_dot, square)
            self.a_dot.add_updater(lambda dot: dot.move_to(line.n2p(output.get_value())))
            self.a_tag.add_updater(lambda tag: tag.next_to(self.a_dot, UP, 0.18))
            self.play(output.animate(rate_func=there_and_back).set_value(far),
                      self.error.animate(rate_func=there_and_back).set_opacity(0.25),
                      Indicate(cost.select("cost"), color=COLORS["C"]), run_time=3.0,
                      cue="The further off the output, the larger the cost.")
            self.a_dot.clear_updaters()
            self.a_tag.clear_updaters()
            self.underline = flying
            self.error_picture.add(gap, square)
            self.wait(1)

    def further_output(self) -> float:
        """An output further from y than a(L), on the number line: 60 % of the way to the line's end
        beyond a(L) (the end further from y when a(L) = y)."""
        a, y, line = self.chain.a(self.L), self.chain.y, self.line
        if a != y:
            end = line.low if a < y else line.high
        else:
            end = max(line.low, line.high, key=lambda e: abs(e - y))
        return a + 0.6 * (end - a)

    def square_on_gap(self, output: float, far: float) -> Square:
        """The square of the gap between ``output`` and y, hanging under the line: its area grows
        as the gap squared (scaled so that the gap at ``far`` still fits between line and cost)."""
        line, y = self.line, self.chain.y
        widest = abs(line.n2p(far)[0] - line.n2p(y)[0])
        scale = min(1.0, SQUARE_ROOM / widest) if widest > 0 else 1.0
        ends = line.n2p(output), line.n2p(y)
        side = max(abs(ends[0][0] - ends[1][0]) * scale, 0.01)
        middle = (ends[0] + ends[1]) / 2
        square = Square(side_length=side).set_stroke(COLORS["C"], 3).set_fill(COLORS["C"], 0.55)
        return square.move_to(middle + (side / 2 + 0.06) * DOWN)

    def superscripts_are_layers(self) -> None:
        with self.step("notation"):
            cost = self.cost
            glyphs = len(self.labels.a[self.L].family_members_with_points())  # a(L) once: the cost may name it twice
            index = cost.select("asym")[1:glyphs]  # the glyphs of (L)
            squared = self.cost_notation is SQUARED  # only the squared error has a power to tell apart
            layer_note = self.math(Text("layer index, not a power"), SMALL_FONT, color=MUTED)
            layer_note.move_to((COST_Y + 1.3) * UP).set_x(min(max(index.get_x(), -4.0), 0.0))
            a, y = self.sym(activation(self.L)), self.sym(target())
            arrow_style = {"buff": 0.1, "color": MUTED, "stroke_width": 3, "tip_length": 0.18}
            arrows = VGroup(Arrow(layer_note.get_bottom(), index.get_top(), **arrow_style))
            if squared:
                square = cost.select("square")
                power_note = self.math(Text("a power: the square"), SMALL_FONT, color=MUTED)
                power_note.move_to((COST_Y + 1.3) * UP).set_x(max(square.get_x() + 1.0,
                                                                  layer_note.get_right()[0] + 2.4))
                self.fit(VGroup(layer_note, power_note))
                arrows.add(Arrow(power_note.get_bottom(), square.get_top(), **arrow_style))
                self.sums_up(Eq(self.sym(C0), SQUARED.share(a, y), Product(Paren(sub(a, y)), Paren(sub(a, y)))))
            else:
                self.sums_up(Eq(self.sym(C0), self.cost_notation.share(a, y)))
            self.play(FadeOut(self.error_picture, self.underline), FadeIn(layer_note), GrowFromCenter(arrows[0]),
                      Indicate(index, color=COLORS["y"]), Indicate(self.labels.a[self.L], color=COLORS["y"]),
                      cue=("The ", Lit("(L)", said="L"), " up there is not an exponent:"))
            # The (L) flies up to the label of the layer it names; the layer's neuron flashes.
            flyer = index.copy()
            self.play(Transform(flyer, VGroup(*self.labels.a[self.L].family_members_with_points()[1:]).copy()),
                      Indicate(self.diagram.neurons[self.L], color=COLORS["y"]), run_time=1.5,
                      cue="it says which layer the activation belongs to.")
            self.remove(flyer)
            if squared:
                self.play(FadeIn(power_note), GrowFromCenter(arrows[1]), cue="Only the 2 is a power: the square.")
            self.wait(2)
