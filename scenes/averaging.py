"""The average over training examples: each example's ∂C_k/∂w(L), their mean ∂C/∂w(L), and the
gradient ∇C of the average cost as a column of its six components."""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Create,
    FadeIn,
    GrowFromEdge,
    Indicate,
    Line,
    VGroup,
    Write,
    config,
)

from lessonmodel.names import (
    AVERAGE_COST,
    Derivative,
    Quantity,
    Symbol,
    bias,
    cost,
    derivative,
    net_input,
    target,
    weight,
)
from lessonmodel.values import chain_of, examples_named, examples_of
from scenes.kit.gradient_column import GradientColumn
from scenes.kit.lesson_scene import LessonScene
from scenes.kit.notation import colored, sym
from scenes.kit.partials import partial, partial_inline
from scenes.kit.style import HIGHLIGHT, MUTED, SMALL_FONT
from scenes.kit.value_bars import bar_scale, signed_bar, zero_line

__all__ = ["AverageOverExamples", "GradientVector"]

ROW_FONT = 28


def cost_sym(k: int | None = None) -> str:
    """C_k, the cost of example k (shown 1-based), or C, the average cost."""
    return colored("C", "C" if k is None else f"C_{k + 1}")


class AverageOverExamples(LessonScene):
    """Each configured training example with its own ∂C_k/∂w(L) (value and bar), then their mean
    ∂C/∂w(L), the derivative of the average cost C = (1/n) Σ_k C_k.

    Examples are numbered from 1 on screen (C_1 ... C_n) so they are not confused with C0, the
    one example the earlier scenes follow; the values are named from 0: ``x_0``, ``dC0/dw(3)``...
    """

    def setup(self) -> None:
        self.examples = examples_of(self.lesson.examples)
        self.n = len(self.examples.inputs)
        self.named = examples_named(chain_of(self.lesson.chain), self.examples)
        self.L = chain_of(self.lesson.chain).depth
        self.wL = sym("w", "L")

    def construct(self) -> None:
        self.definition = self.average_formula()  # made first: the table fills the room above it
        self.show_examples()
        self.derivative_per_example()
        self.average()

    # --- layout ------------------------------------------------------------------------------

    TOP = 3.7  # the table's top edge

    def row_height(self) -> float:
        room = self.TOP - (self.definition.get_top()[1] + 0.3)
        return min(0.9, room / (self.n + 1.4))

    def row_y(self, row: int) -> float:
        """Rows of the table, top down, centred in the room above the formula; row n is the
        average's row (below a rule)."""
        h = self.row_height()
        middle = (self.TOP + self.definition.get_top()[1] + 0.3) / 2
        top = middle + (self.n + 0.4) * h / 2 - h / 2
        return top - h * (row + (0.4 if row == self.n else 0))

    def average_formula(self) -> VGroup:
        """∂C/∂w(L) = (1/n) Σ_k ∂C_k/∂w(L) = (1/n)(each example's value) = the mean, at the bottom;
        the sum is written four terms to a line so eight examples stay legible."""
        n, mean_name = self.n, derivative(AVERAGE_COST, weight(self.L))
        terms = [self.number(self.derivative_name(k), parenthesize_negative=n > 1) for k in range(n)]
        head = f"{partial(cost_sym(), self.wL)} = 1/{n} sum_(k=1)^{n} {partial(colored('C', 'C_k'), self.wL)}"
        one_line = self.math(f"{head} = 1/{n} ({' + '.join(terms)}) = {self.number(mean_name)}")
        self.average_source = one_line.source  # the step's formula, even when shown on several lines
        if one_line.width <= config.frame_width - 0.8:
            lines = VGroup(one_line)
        else:
            chunks = [terms[i:i + 4] for i in range(0, n, 4)]
            rows = [f"= 1/{n} (" + " + ".join(chunks[0])]
            rows += ["+ " + " + ".join(chunk) for chunk in chunks[1:]]
            rows[-1] += f") = {self.number(mean_name)}"
            lines = VGroup(self.math(head), *(self.math(r, 32) for r in rows))
            lines.arrange(DOWN, aligned_edge=LEFT, buff=0.18)
            for line in lines[2:]:
                line.shift(0.45 * RIGHT)  # continuation lines, indented past "= 1/n ("
            self.formulas.remove(one_line)
            self.typeset.remove(one_line.source)
        self.fit(lines, margin=0.4)
        return lines.move_to(ORIGIN).to_edge(DOWN, buff=0.3)

    def label(self, name: Quantity) -> str:
        """Examples are numbered from 1 on screen: ``x_0`` is x_1, ``dC0/dw(3)`` is ∂C_1/∂w(L)."""
        match name:
            case Symbol(kind="x" | "y", example=int(k)):
                return f"{name.kind}_{k + 1}"
            case Derivative(Symbol(kind="C", example=int(k)), by):
                return f"∂C_{k + 1}/∂{super().label(by)}"
        return super().label(name)

    def font(self) -> float:
        return SMALL_FONT if self.n <= 5 else ROW_FONT

    def derivative_name(self, k: int) -> Derivative:
        return derivative(cost(k), weight(self.L))

    # --- steps -------------------------------------------------------------------------------

    def show_examples(self) -> None:
        n = self.n
        if n > 1:
            narration = (f"So far we followed one example. Training uses many: here are {n} of them, each an "
                         "input x and the output y we want for it.")
        else:
            narration = ("So far we followed one example. Training usually uses many; this config gives one "
                         "training example: an input x and the output y we want for it.")
        with self.step("training_examples", narration):
            self.inputs = VGroup()
            for k in range(n):
                x = self.math(f"{colored('a', f'x_{k + 1}')} = {self.number(net_input(k))}", self.font())
                y = self.math(f"{colored('y', f'y_{k + 1}')} = {self.number(target(example=k))}", self.font())
                x.move_to(self.row_y(k) * UP + 6.6 * LEFT, aligned_edge=LEFT)
                y.move_to(self.row_y(k) * UP + 4.3 * LEFT, aligned_edge=LEFT)
                self.inputs.add(VGroup(x, y))
            self.sums_up(", quad ".join(f"({colored('a', f'x_{k + 1}')}, {colored('y', f'y_{k + 1}')}) = "
                                        f"({self.number(net_input(k))}, {self.number(target(example=k))})"
                                        for k in range(n)))
            self.play(FadeIn(self.inputs, lag_ratio=0.15), run_time=1.5)
            self.wait(1.5)

    def derivative_per_example(self) -> None:
        with self.step("one_derivative_each", "Each example has its own cost C_k, so its own derivative "
                       "with respect to the last weight: the same three factors, filled in with that "
                       "example's numbers. The bars compare them."):
            mean_name = derivative(AVERAGE_COST, weight(self.L))
            values = [self.named[self.derivative_name(k)] for k in range(self.n)] + [self.named[mean_name]]
            self.scale = bar_scale(values, 1.9)
            self.zero_x = 4.4
            self.derivatives = VGroup()
            self.bars = VGroup()
            for k in range(self.n):
                label = self.math(
                    f"{partial_inline(cost_sym(k), self.wL)} = {self.number(self.derivative_name(k))}", self.font()
                ).move_to(self.row_y(k) * UP + 2.1 * LEFT, aligned_edge=LEFT)
                self.derivatives.add(label)
                self.bars.add(signed_bar(values[k], self.scale, self.row_y(k) * UP + self.zero_x * RIGHT))
            self.sums_up(", quad ".join(
                f"{partial_inline(cost_sym(k), self.wL)} = {self.number(self.derivative_name(k))}"
                for k in range(self.n)))
            half = self.row_height() / 2
            self.axis = zero_line(self.zero_x, self.row_y(0) + half, self.row_y(self.n - 1) - half)
            self.play(FadeIn(self.derivatives, lag_ratio=0.15), Create(self.axis), run_time=1.5)
            self.play(*(GrowFromEdge(bar, LEFT if v >= 0 else RIGHT) for bar, v in zip(self.bars, values)),
                      run_time=1.2)
            self.wait(1.5)

    def average(self) -> None:
        n = self.n
        mean_name = derivative(AVERAGE_COST, weight(self.L))
        with self.step("the_average", f"The cost over all examples is their average, C = (1/n) Σ C_k. So "
                       f"its derivative is the average of theirs: ∂C/∂w(L) = {self.plain(mean_name)}."):
            y = self.row_y(n)
            rule = Line(6.6 * LEFT, 6.6 * RIGHT, color=MUTED, stroke_width=2).set_y((self.row_y(n - 1) + y) / 2)
            label = self.math(f"{partial_inline(cost_sym(), self.wL)} = {self.number(mean_name)}", self.font())
            label.move_to(y * UP + 2.1 * LEFT, aligned_edge=LEFT)
            value = self.named[mean_name]
            bar = signed_bar(value, self.scale, y * UP + self.zero_x * RIGHT, color=HIGHLIGHT)
            mean_x = self.zero_x + value * self.scale
            marker = zero_line(mean_x, self.row_y(0) + self.row_height() / 2, y, dashed=True, color=HIGHLIGHT)
            definition = self.definition
            self.sums_up(definition[0] if len(definition) == 1 else self.average_source)
            self.play(Create(rule), Write(definition), run_time=2)
            self.play(FadeIn(label), GrowFromEdge(bar, LEFT if value >= 0 else RIGHT), Create(marker))
            self.play(Indicate(label, color=HIGHLIGHT))
            self.wait(2)


class GradientVector(LessonScene):
    """∇C of the average cost over the training examples: its six components (3 weights, 3 biases)
    in a column with their values, ∂C/∂w(L) (just computed) highlighted, and a bar per component."""

    def setup(self) -> None:
        self.named = examples_named(chain_of(self.lesson.chain), examples_of(self.lesson.examples))
        self.L = chain_of(self.lesson.chain).depth
        # Top down: w(1), b(1), w(2), b(2), ..., w(L), b(L), as (kind, layer).
        self.components = [(kind, l) for l in range(1, self.L + 1) for kind in ("w", "b")]

    def construct(self) -> None:
        self.one_component()
        self.the_column()
        self.what_it_says()

    def value_name(self, kind: str, l: int) -> Derivative:
        return derivative(AVERAGE_COST, weight(l) if kind == "w" else bias(l))

    def symbol(self, kind: str, l: int) -> str:
        return partial(cost_sym(), sym(kind, self.layer(l)))

    # --- steps -------------------------------------------------------------------------------

    def one_component(self) -> None:
        name = self.value_name("w", self.L)
        with self.step("one_component", f"The average we just computed, ∂C/∂w(L) = {self.plain(name)}, "
                       "says how sensitive the cost of all the examples is to the last weight. It is one "
                       "of six such numbers."):
            self.first = self.math(f"{self.symbol('w', self.L)} = {self.number(name)}")
            self.sums_up(self.first)
            self.play(Write(self.first))
            self.wait(1.5)

    def the_column(self) -> None:
        with self.step("the_gradient", "Do the same for every weight and every bias, and stack the six "
                       "averages in a column: the gradient of the cost, ∇C."):
            row_height = 1.1
            symbols = GradientColumn([self.math(self.symbol(k, l), SMALL_FONT) for k, l in self.components],
                                     row_height)
            values = GradientColumn(
                [self.math(self.number(self.value_name(k, l)), SMALL_FONT) for k, l in self.components],
                row_height, align=RIGHT, bracket_buff=0.3,
            )
            nabla = self.math(f"nabla {cost_sym()} =")
            equals = self.math("=")
            self.column = VGroup(nabla, symbols, equals, values).arrange(RIGHT, buff=0.3)
            self.column.move_to(1.6 * LEFT)
            self.symbols, self.values = symbols, values
            self.sums_up(f"nabla {cost_sym()} = vec({', '.join(self.symbol(k, l) for k, l in self.components)}) = "
                         f"vec({', '.join(self.number(self.value_name(k, l)) for k, l in self.components)})")
            last = self.components.index(("w", self.L))
            self.play(self.first.animate.move_to(symbols.entries[last]).set_opacity(0))
            self.remove(self.first)
            self.play(FadeIn(nabla), FadeIn(symbols), FadeIn(equals), FadeIn(values), run_time=1.5)
            self.boxes = VGroup(symbols.row_box(last, HIGHLIGHT), values.row_box(last, HIGHLIGHT))
            self.play(Create(self.boxes))
            self.wait(1.5)

    def what_it_says(self) -> None:
        with self.step("what_it_says", "Each component says how much the cost cares about its parameter: "
                       "the longer the bar, the more a nudge there changes the cost. Stepping every "
                       "parameter against its component, along −∇C, goes downhill."):
            values = [self.named[self.value_name(k, l)] for k, l in self.components]
            scale = bar_scale(values, 1.5)
            zero_x = self.values.get_right()[0] + 2.0
            bars = VGroup(*(
                signed_bar(v, scale, self.values.row_center(i)[1] * UP + zero_x * RIGHT,
                           color=HIGHLIGHT if self.components[i] == ("w", self.L) else MUTED)
                for i, v in enumerate(values)
            ))
            top = self.values.row_center(0)[1] + 0.45
            bottom = self.values.row_center(len(values) - 1)[1] - 0.45
            axis = zero_line(zero_x, top, bottom)
            w, b = sym("w", "l"), sym("b", "l")
            self.sums_up(f"Delta {w} prop -{partial(cost_sym(), w)}, quad Delta {b} prop -{partial(cost_sym(), b)}")
            self.play(Create(axis))
            self.play(*(GrowFromEdge(bar, LEFT if v >= 0 else RIGHT) for bar, v in zip(bars, values)), run_time=1.5)
            self.wait(2.5)
