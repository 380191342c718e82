"""The average over training examples, on the chain's stage: each example runs through the chain
(its own cost C_k and its own ∂C_k/∂w(L)), their mean ∂C/∂w(L) is the derivative of the average
cost, and the gradient ∇C of the average cost collects one such average per weight and bias.

Examples are numbered as everywhere in the lesson: example 0 is the worked example of the earlier
scenes ([chain]'s input and target), examples 1, 2, ... are the config's [examples].
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    AnimationGroup,
    Create,
    FadeIn,
    FadeOut,
    FadeTransform,
    GrowFromEdge,
    Indicate,
    Line,
    MathTypst,
    ShowPassingFlash,
    Succession,
    TransformFromCopy,
    VGroup,
    Write,
    config,
)

from lessonmodel.formula import (
    Delta,
    Eq,
    Frac,
    Group,
    Lit,
    Math,
    Neg,
    Paren,
    Partial,
    Product,
    Row,
    Signed,
    SumOver,
    Vector,
    add,
    items,
    typst,
)
from lessonmodel.names import AVERAGE_COST, Derivative, Symbol, bias, cost, derivative, net_input, target, weight
from lessonmodel.notation import general, gradient_of
from lessonmodel.values import example_activations, examples_named, training_set_of
from scenes.kit.born import rest_of, settle
from scenes.kit.chain_diagram import ChainDiagram, activation_opacity
from scenes.kit.gradient_column import GradientColumn
from scenes.kit.lesson_scene import ChainScene
from scenes.kit.style import HIGHLIGHT, MUTED, SMALL_FONT
from scenes.kit.value_bars import bar_scale, bar_value_label, signed_bar, zero_line

__all__ = ["AverageOverExamples", "GradientVector"]

ROW_FONT = 26
EDGE = 0.45  # keep content this far from the frame's edges (the rule is 0.4)


EXAMPLE_COST = general("C", sub="k")  # C_k, the cost of any one example k


def one_over(n: int) -> Frac:
    """1/n, for a count n."""
    return Frac(Lit("1"), Lit(str(n)))


def mean_over_examples(n: int, each: Math) -> Row:
    """(1/n) Σ_(k=0)^(n-1) ``each``: the mean of ``each`` over the n examples, k = 0 .. n-1."""
    return Row(one_over(n), SumOver(each, "k", Lit("0"), Lit(str(n - 1))))


def one_line_group(formula) -> VGroup:
    return VGroup(formula).move_to(ORIGIN)


def signal(d: ChainDiagram, opacities, run_time: float = 1.0) -> AnimationGroup:
    """A bright pulse running along the chain's edges, left to right, each neuron lighting to its
    activation (``opacities[l]``) as the pulse reaches it."""
    steps = []
    for l, edge in enumerate(d.edges, start=1):
        pulse = edge.copy().set_stroke(HIGHLIGHT, width=10, opacity=1)
        steps.append(ShowPassingFlash(pulse, time_width=0.6))
        steps.append(d.neurons[l].animate.set_fill(opacity=opacities[l]))
    first = d.neurons[0].animate.set_fill(opacity=opacities[0])
    return Succession(first, *steps, run_time=run_time)


class AverageOverExamples(ChainScene):
    """Each example of the training set runs through the chain: its input flies to the input
    neuron, a signal lights the chain, its cost C_k and its own ∂C_k/∂w(L) land in its row of the
    table (with a bar); then the per-example values fly into the average ∂C/∂w(L), the derivative
    of the average cost C = (1/n) Σ_k C_k."""

    def setup(self) -> None:
        super().setup()
        self.examples = training_set_of(self.lesson.chain, self.lesson.examples)
        self.n = len(self.examples.inputs)
        self.named = self.named | examples_named(self.chain, self.examples)
        self.lights = example_activations(self.chain, self.examples)
        self.C, self.wL = self.sym(AVERAGE_COST), self.sym(weight(self.L))
        self.lefts, self.table_right = self.table_columns()

    def construct(self) -> None:
        self.d = self.chain_stage()
        self.add(self.d)  # the same picture as the earlier chain scenes, from the first frame
        self.definition = self.average_formula()  # made first: the table fills the room above it
        self.show_examples()
        self.derivative_per_example()
        self.average()

    # --- layout ------------------------------------------------------------------------------

    TOP = 1.25  # the table's top edge: below the chain and its labels

    def row_height(self) -> float:
        room = self.TOP - (self.definition.get_top()[1] + 0.25)
        return min(0.62, room / (self.n + 1.2))

    def row_y(self, row: int) -> float:
        """Rows of the table, top down; row n is the average's row (below a rule)."""
        h = self.row_height()
        return self.TOP - h / 2 - h * (row + (0.3 if row == self.n else 0))

    COLUMNS = {"x": -6.55, "y": -4.85, "C": -3.05, "d": -1.05}  # left edges of the table's columns, if wide enough
    GAP = 0.3  # the least room between a column's widest cell and the next column
    ZERO_X = 4.2  # the bars' zero: under the chain's last neuron
    HALF_WIDTH = 2.0

    def table_columns(self) -> tuple[dict[str, float], float]:
        """Left edges of the table's columns, those of COLUMNS each moved right as far as the
        widest cell of the column before needs (values in scientific form are wide); and where the
        last column's widest cell ends."""
        lefts, end = {}, -np.inf
        for column, left in self.COLUMNS.items():
            lefts[column] = max(left, end + self.GAP)
            sources = [self.cell_source(column, k) for k in range(self.n)]
            sources += [self.mean_source()] if column == "d" else []
            end = lefts[column] + max(self.measure(source, self.font()) for source in sources)
        return lefts, end

    def bars_half_width(self, values: list[float]) -> float:
        """How long the longest bar is: HALF_WIDTH, or shorter if a bar to the left would reach the
        table."""
        room = self.ZERO_X - self.table_right - self.GAP
        return min(self.HALF_WIDTH, room) if min(values) < 0 else self.HALF_WIDTH

    def font(self) -> float:
        return SMALL_FONT if self.n <= 5 else ROW_FONT if self.n <= 7 else 25

    def derivative_name(self, k: int) -> Derivative:
        return derivative(cost(k), weight(self.L))

    def mean_name(self) -> Derivative:
        return derivative(AVERAGE_COST, weight(self.L))

    def average_formula(self) -> VGroup:
        """∂C/∂w(L) = (1/n) Σ_k ∂C_k/∂w(L) = (1/n)(each example's value) = the mean, at the bottom;
        each example's value is the group ``t{k}`` (where its copy lands) and the mean ``mean``.
        On one line if it fits, else the definition above the sum, the sum in as few lines as fit;
        with many examples the definition is written inline, so the table keeps its room."""
        n, many = self.n, self.n > 5
        # each example's value, in parentheses (outside its group) when negative, even the first
        terms = [Signed(Group(f"t{k}", self.value(self.derivative_name(k)))) for k in range(n)]
        head = Eq(Partial(self.C, self.wL, many), mean_over_examples(n, Partial(EXAMPLE_COST, self.wL, many)))
        mean = Group("mean", self.value(self.mean_name()))
        self.average_expr = Eq(*head.sides, Row(one_over(n), Paren(add(*terms))), mean)
        room = config.frame_width - 2 * EDGE
        one_line = self.math(self.average_expr, 32)
        self.average_source = one_line.source  # the step's formula, even when shown on several lines
        if one_line.width <= room:
            return one_line_group(one_line).to_edge(DOWN, buff=EDGE + 0.05)
        self.formulas.remove(one_line)
        self.typeset.remove(one_line.source)
        size = 25 if many else 28
        for per_line in range(n, 0, -1):  # the fewest lines that fit
            chunks = [terms[i:i + per_line] for i in range(0, n, per_line)]
            # the sum broken into lines: its parenthesis opens on the first and closes on the last
            rows = [[Lit("="), one_over(n), Lit("("), add(*chunks[0])]]
            rows += [[Lit("+"), add(*chunk)] for chunk in chunks[1:]]
            rows[-1] += [Lit(")"), Lit("="), mean]
            rows = [Row(*row) for row in rows]
            widths = [self.measure(r, size) for r in rows]
            if max(widths) <= room - 0.5:
                break
        lines = VGroup(self.math(head, 28 if many else 32), *(self.math(r, size) for r in rows))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        for line in lines[2:]:
            line.shift(0.45 * RIGHT)  # continuation lines, indented past "= 1/n ("
        self.fit(lines, margin=EDGE)
        return lines.move_to(ORIGIN).to_edge(DOWN, buff=EDGE + 0.05)

    @staticmethod
    def measure(expr: Math, size: float) -> float:
        """The width of a formula, typeset only to measure it (not shown, not recorded); uncoloured,
        as colours change no glyph's width."""
        return MathTypst(typst(expr), font_size=size).width

    def part(self, key: str):
        """The group ``key`` of the average formula, on whichever of its lines it is."""
        for line in self.definition:
            try:
                return line.select(key)
            except KeyError:  # on another line
                continue
        raise KeyError(key)

    def labelled(self, name: Symbol) -> Eq:
        """``name = its value``: x_k = 0.50, y_k = 1.00, C_k = 0.439."""
        return Eq(self.sym(name), self.value(name))

    def example_derivative(self, k: int) -> Partial:
        """∂C_k/∂w(L), on one line."""
        return Partial(self.sym(cost(k)), self.wL, inline=True)

    def cell_source(self, column: str, k: int) -> Eq:
        """Example k's cell in a column: its input x, target y, cost C or derivative d (its value
        the group ``v``)."""
        if column in ("x", "y", "C"):
            return self.labelled({"x": net_input(k), "y": target(example=k), "C": cost(k)}[column])
        return Eq(self.example_derivative(k), Group("v", self.value(self.derivative_name(k))))

    def mean_source(self) -> Eq:
        """The average's row, in the derivatives' column."""
        return Eq(Partial(self.C, self.wL, inline=True), self.value(self.mean_name()))

    def cell(self, column: str, row: int):
        return self.math(self.cell_source(column, row), self.font()).move_to(
            self.row_y(row) * UP + self.lefts[column] * RIGHT, aligned_edge=LEFT)

    # --- steps -------------------------------------------------------------------------------

    def show_examples(self) -> None:
        n, L = self.n, self.L
        with self.step("training_examples"):
            # Example 0 is the one the chain scenes followed: its labels sit on the chain.
            self.top_x = self.math(self.labelled(net_input(0)), SMALL_FONT)
            self.top_x.next_to(self.d.neurons[0], UP, 0.25)
            self.top_y = self.math(self.labelled(target(example=0)), SMALL_FONT)
            self.top_y.next_to(self.d.neurons[L], UP, 0.25)
            for neuron in self.d.neurons:  # dark until example 0 runs through again
                neuron.set_fill(opacity=0)
            self.play(FadeIn(self.top_x, shift=0.2 * DOWN), FadeIn(self.top_y, shift=0.2 * DOWN),
                      signal(self.d, [activation_opacity(a) for a in self.lights[0]], run_time=2.4),
                      cue="So far we followed one example: example 0.")
            self.xs, self.ys = VGroup(), VGroup()
            for k in range(n):
                self.xs.add(self.cell("x", k))
                self.ys.add(self.cell("y", k))
            pairs = [(net_input(k), target(example=k)) for k in range(n)]  # (x_k, y_k) = (0.50, 1.00), ...
            self.sums_up(items(*(Eq(Vector(tuple(map(self.sym, pair)), column=False),
                                    Vector(tuple(map(self.value, pair)), column=False)) for pair in pairs)))
            self.play(TransformFromCopy(self.top_x, self.xs[0]), TransformFromCopy(self.top_y, self.ys[0]),
                      run_time=1.2, cue="It is the first row of a training set.")
            rest = VGroup(*(VGroup(x, y) for x, y in zip(self.xs[1:], self.ys[1:])))
            self.play(FadeIn(rest, shift=0.3 * DOWN, lag_ratio=0.2), run_time=1.5,
                      cue=f"Training uses many: here are {n}.")
            self.say(("Each is an input ", general("x"), " and the output ", general("y"), " we want."))
            self.wait(1)

    def run_example(self, k: int, speed: float, cue: str | None, cost_cue: str | tuple | None = None,
                    derivative_cue: str | None = None) -> None:
        """Example k through the chain: its x and y fly up to the chain, a signal lights the chain
        to its activations, its cost C_k appears at the output and flies to its row, then its
        ∂C_k/∂w(L) is born from the last edge and its bar grows."""
        L = self.L
        if k > 0:  # example 0's labels are on the chain already
            new_x = self.math(self.labelled(net_input(k)), SMALL_FONT)
            new_y = self.math(self.labelled(target(example=k)), SMALL_FONT)
            new_x.move_to(self.top_x)
            new_y.move_to(self.top_y)
            self.play(FadeOut(self.top_x, shift=0.3 * UP), FadeOut(self.top_y, shift=0.3 * UP),
                      TransformFromCopy(self.xs[k], new_x), TransformFromCopy(self.ys[k], new_y),
                      Indicate(VGroup(self.xs[k], self.ys[k]), color=HIGHLIGHT, scale_factor=1.05),
                      run_time=0.7 * speed, cue=cue)
            self.top_x, self.top_y = new_x, new_y
            cue = None
        self.play(signal(self.d, [activation_opacity(a) for a in self.lights[k]], run_time=1.2 * speed), cue=cue)
        top_cost = self.math(self.labelled(cost(k)), SMALL_FONT)
        top_cost.next_to(self.d.neurons[L], RIGHT, 0.2)
        if top_cost.get_right()[0] > config.frame_width / 2 - EDGE:
            top_cost.next_to(self.d.neurons[L], DOWN, 0.2)
        self.play(FadeIn(top_cost, shift=0.3 * RIGHT), run_time=0.5 * speed, cue=cost_cue)
        row_cost = self.cell("C", k)
        self.costs.add(row_cost)
        self.play(TransformFromCopy(top_cost, row_cost), FadeOut(top_cost), run_time=0.7 * speed)
        row_d = self.cell("d", k)
        self.derivatives.add(row_d)
        value = self.named[self.derivative_name(k)]
        bar = signed_bar(value, self.scale, self.row_y(k) * UP + self.ZERO_X * RIGHT, height=0.6 * self.row_height())
        self.bars.add(bar)
        flash = self.d.edges[L - 1].copy().set_stroke(HIGHLIGHT, width=10)
        self.play(ShowPassingFlash(flash, time_width=0.8),
                  FadeIn(row_d, target_position=self.d.edges[L - 1].get_center(), scale=0.6),
                  GrowFromEdge(bar, LEFT if value >= 0 else RIGHT), run_time=0.9 * speed, cue=derivative_cue)

    def derivative_per_example(self) -> None:
        with self.step("one_derivative_each"):
            values = [self.named[self.derivative_name(k)] for k in range(self.n)] + [self.named[self.mean_name()]]
            self.scale = bar_scale(values, self.bars_half_width(values))
            self.zero_x = self.ZERO_X
            self.costs, self.derivatives, self.bars = VGroup(), VGroup(), VGroup()
            half = self.row_height() / 2
            self.axis = zero_line(self.ZERO_X, self.row_y(0) + half, self.row_y(self.n - 1) - half)
            self.sums_up(items(*(Eq(self.example_derivative(k), self.value(self.derivative_name(k)))
                                 for k in range(self.n))))
            self.play(Create(self.axis), run_time=0.5, cue="Run each example through the chain:")
            self.run_example(0, 1.0, None, cost_cue=("it has its own cost ", EXAMPLE_COST, ","),
                             derivative_cue="so its own derivative for the last weight.")
            self.say(("Example 0's is the ", self.value(self.derivative_name(0)), " we found before."))
            for k in range(1, self.n):
                cue = "The same way for each example, with its own numbers:" if k == 1 else None
                self.run_example(k, 0.75 if self.n <= 5 else 0.55, cue)
            self.play(Indicate(self.bars, color=HIGHLIGHT, scale_factor=1.05), cue="The bars compare them.")
            self.wait(1)

    def average(self) -> None:
        n = self.n
        with self.step("the_average"):
            y = self.row_y(n)
            rule = Line(self.lefts["x"] * RIGHT, (config.frame_width / 2 - EDGE) * RIGHT, color=MUTED,
                        stroke_width=2).set_y((self.row_y(n - 1) + y) / 2)
            label = self.math(self.mean_source(), self.font())
            label.move_to(y * UP + self.lefts["d"] * RIGHT, aligned_edge=LEFT)
            value = self.named[self.mean_name()]
            bar = signed_bar(value, self.scale, y * UP + self.ZERO_X * RIGHT, color=HIGHLIGHT,
                             height=0.6 * self.row_height())
            mean_x = self.ZERO_X + value * self.scale
            marker = zero_line(mean_x, self.row_y(0) + self.row_height() / 2, y, dashed=True, color=HIGHLIGHT)
            definition = self.definition
            self.sums_up(definition[0] if len(definition) == 1 else self.average_expr)
            terms = VGroup(*(self.part(f"t{k}") for k in range(n)))
            mean = self.part("mean")
            frame = rest_of(definition, *terms, mean)
            # the average cost in the average's row, left of the costs it averages
            average = Eq(self.C, Product(Paren(Frac(Lit("1"), general("n"), inline=True)), SumOver(EXAMPLE_COST),
                                         op=""))
            cost_mean = self.math(average, self.font()).move_to(y * UP + self.lefts["x"] * RIGHT, aligned_edge=LEFT)
            self.play(Create(rule), run_time=1, cue="The cost over all examples is their average,")
            self.play(Write(cost_mean), run_time=1.2, cue=(average, "."))
            values = [row.select("v") for row in self.derivatives]
            self.play(Write(frame), *(TransformFromCopy(v, t) for v, t in zip(values, terms)), run_time=2,
                      cue="So its derivative is the average of theirs:")
            self.play(FadeIn(mean, shift=0.2 * LEFT), FadeIn(label), GrowFromEdge(bar, LEFT if value >= 0 else RIGHT),
                      Create(marker), run_time=1.2)
            settle(self, definition, frame, *terms, mean)  # the parts were drawn one by one: the whole formula stays
            self.play(Indicate(label, color=HIGHLIGHT), Indicate(mean, color=HIGHLIGHT),
                      cue=(self.mean_source(), "."))
            self.wait(1.5)


class GradientVector(ChainScene):
    """∇C of the average cost, on the chain's stage: the average ∂C/∂w(L) lands in its row of the
    gradient column, the other five components (3 weights, 3 biases) are born from their edges
    and neurons, and a bar per component (its value at the bar's tip) compares them."""

    def setup(self) -> None:
        super().setup()
        self.named = self.named | examples_named(self.chain, training_set_of(self.lesson.chain, self.lesson.examples))
        self.n = len(training_set_of(self.lesson.chain, self.lesson.examples).inputs)
        # Top down: w(1), b(1), w(2), b(2), ..., w(L), b(L), as (kind, layer).
        self.components = [(kind, l) for l in range(1, self.L + 1) for kind in ("w", "b")]
        self.C = self.sym(AVERAGE_COST)

    def construct(self) -> None:
        self.d = self.chain_stage()
        self.add(self.d)
        self.layout()
        self.one_component()
        self.the_column()
        self.what_it_says()

    def value_name(self, kind: str, l: int) -> Derivative:
        return derivative(AVERAGE_COST, weight(l) if kind == "w" else bias(l))

    def symbol(self, kind: str, l: int, inline: bool = False) -> Partial:
        """∂C/∂w(l) or ∂C/∂b(l) (``inline``: on one line, so six of them stack legibly under the chain)."""
        return Partial(self.C, self.sym(weight(l) if kind == "w" else bias(l)), inline)

    def source(self, kind: str, l: int):
        """Where the component's parameter is on the chain: edge l (a weight) or neuron l (a bias)."""
        return self.d.edges[l - 1] if kind == "w" else self.d.neurons[l]

    # --- layout ------------------------------------------------------------------------------

    ROW_HEIGHT = 0.72
    COLUMN_TOP = 0.85

    def layout(self) -> None:
        """The column's parts, made once so every step draws the same objects: the symbols, the
        values (both between brackets), ∇C = and the bars' zero line, all below the chain."""
        symbols = GradientColumn([self.math(self.symbol(k, l, inline=True), 30) for k, l in self.components],
                                 self.ROW_HEIGHT)
        values = GradientColumn([self.math(self.value(self.value_name(k, l)), 30) for k, l in self.components],
                                self.ROW_HEIGHT, align=RIGHT, bracket_buff=0.3)
        self.nabla = self.math(Row(gradient_of(self.C), Lit("=")))
        self.equals = self.math(Lit("="))
        self.column = VGroup(self.nabla, symbols, self.equals, values).arrange(RIGHT, buff=0.3)
        self.column.next_to(LEFT * (config.frame_width / 2 - EDGE - 0.1), RIGHT, 0).set_y(
            self.COLUMN_TOP - self.ROW_HEIGHT * len(self.components) / 2 + 0.05)
        self.symbols, self.values = symbols, values
        self.last = self.components.index(("w", self.L))

    # --- steps -------------------------------------------------------------------------------

    def one_component(self) -> None:
        name = self.value_name("w", self.L)
        L = self.L
        with self.step("one_component"):
            n = self.n
            lhs, value = self.symbol("w", L), self.value(name)
            each = Partial(EXAMPLE_COST, self.sym(weight(L)))
            average = self.math(Eq(Group("lhs", lhs), mean_over_examples(n, each), Group("v", value)))
            average.next_to(self.column, RIGHT, 0.6).set_y(self.values.row_center(self.last)[1] + 1.4)
            self.fit(average, margin=EDGE)
            if average.get_right()[0] > config.frame_width / 2 - EDGE:
                average.shift((config.frame_width / 2 - EDGE - average.get_right()[0]) * RIGHT)
            self.sums_up(average)
            flash = self.d.edges[L - 1].copy().set_stroke(HIGHLIGHT, width=10)
            self.play(FadeIn(average, target_position=self.d.edges[L - 1].get_center(), scale=0.5),
                      ShowPassingFlash(flash, time_width=0.8), run_time=1.5,
                      cue=("The average we just computed, ", Eq(lhs, value), ","))
            self.play(self.d.edges[L - 1].animate.set_stroke(width=self.d.edges[L - 1].get_stroke_width() * 2),
                      rate_func=lambda t: np.sin(np.pi * t), run_time=1.2,
                      cue="says how sensitive the cost of all the examples")
            self.say("is to the last weight.")
            brackets = VGroup(self.symbols.left_bracket, self.symbols.right_bracket,
                              self.values.left_bracket, self.values.right_bracket)
            self.play(Create(brackets), FadeIn(self.nabla), FadeIn(self.equals), run_time=1.0,
                      cue=f"It is one of {len(self.components)} such numbers:")
            self.play(TransformFromCopy(average.select("v"), self.values.entries[self.last]),
                      FadeTransform(average.select("lhs").copy(), self.symbols.entries[self.last]), run_time=1.2,
                      cue="its row in a column of them.")
            self.average = average
            self.wait(0.5)

    def the_column(self) -> None:
        with self.step("the_gradient"):
            self.sums_up(Eq(gradient_of(self.C), Vector(tuple(self.symbol(k, l) for k, l in self.components)),
                            Vector(tuple(self.value(self.value_name(k, l)) for k, l in self.components))))
            others = [i for i in range(len(self.components)) if i != self.last]
            births = []
            for i in others:
                kind, l = self.components[i]
                part = self.source(kind, l)
                glow = part.copy().set_stroke(HIGHLIGHT, width=8 if kind == "w" else 6)
                births.append(AnimationGroup(
                    ShowPassingFlash(glow, time_width=0.8),
                    FadeIn(self.symbols.entries[i], target_position=part.get_center(), scale=0.5),
                    FadeIn(self.values.entries[i], target_position=part.get_center(), scale=0.5),
                ))
            self.play(AnimationGroup(*births, lag_ratio=0.45), FadeOut(self.average), run_time=3.0,
                      cue="Do the same for every weight and every bias,")
            self.play(Indicate(self.nabla, color=HIGHLIGHT), cue="and stack the averages in a column:")
            self.say(("the gradient of the cost, ", gradient_of(self.C), "."))
            self.boxes = VGroup(self.symbols.row_box(self.last, HIGHLIGHT), self.values.row_box(self.last, HIGHLIGHT))
            self.play(Create(self.boxes))
            self.wait(1)

    LABEL_ROOM = 1.0  # room for a value written past a bar's tip

    def bar_layout(self, values: list[float]) -> tuple[float, float]:
        """The bars' zero line and scale: as long as the room right of the values column allows,
        the negative side only as wide as the most negative bar (and its value) needs."""
        left, right = self.values.get_right()[0] + 0.5, config.frame_width / 2 - EDGE
        largest = max(map(abs, values)) or 1.0
        negative = max(0.0, -min(values)) / largest  # the negative side, as a share of the longest bar
        positive = max(0.0, max(values)) / largest
        room = right - left - self.LABEL_ROOM * ((negative > 0) + (positive > 0))
        half_width = min(4.0, room / (negative + positive or 1.0))
        zero_x = left + (self.LABEL_ROOM if negative > 0 else 0.0) + negative * half_width
        return zero_x, half_width / largest

    def what_it_says(self) -> None:
        with self.step("what_it_says"):
            values = [self.named[self.value_name(k, l)] for k, l in self.components]
            zero_x, scale = self.bar_layout(values)
            bars, tips = VGroup(), VGroup()
            for i, v in enumerate(values):
                origin = self.values.row_center(i)[1] * UP + zero_x * RIGHT
                color = HIGHLIGHT if i == self.last else MUTED
                bars.add(signed_bar(v, scale, origin, color=color, height=0.32))
                # the value at the bar's tip: small components stay readable
                tips.add(bar_value_label(self.values.entries[i].copy().set_color(color), bars[-1], v))
            top = self.values.row_center(0)[1] + 0.4
            bottom = self.values.row_center(len(values) - 1)[1] - 0.4
            axis = zero_line(zero_x, top, bottom)
            w, b = general("w", "l"), general("b", "l")
            self.sums_up(items(*(Row(Delta(p), Lit("prop"), Neg(Partial(self.C, p))) for p in (w, b))))
            self.play(Create(axis), cue="Each component says how much the cost cares")
            self.say("about its parameter:")
            self.play(*(GrowFromEdge(bar, LEFT if v >= 0 else RIGHT) for bar, v in zip(bars, values)),
                      *(TransformFromCopy(entry, tip) for entry, tip in zip(self.values.entries, tips)),
                      run_time=1.5, cue="the longer the bar, the more a nudge there counts.")
            self.bars = bars
            nudges = []
            largest = max(map(abs, values)) or 1.0  # an all-zero gradient (a dead ReLU chain) glows thin
            for i, (kind, l) in enumerate(self.components):
                part = self.source(kind, l)
                glow = part.copy().set_stroke(HIGHLIGHT, width=2 + 10 * abs(values[i]) / largest)
                nudges.append(ShowPassingFlash(glow, time_width=0.8))
            self.play(AnimationGroup(*nudges, lag_ratio=0.3), run_time=2.0,
                      cue="Step every parameter against its component:")
            # −∇C: a faint bar the other way from each, the way its parameter steps (shortened
            # alike where needed, so none reaches the values column or the frame's edge)
            room_left = zero_x - (self.values.get_right()[0] + 0.25)
            room_right = config.frame_width / 2 - EDGE - zero_x
            longest_left = max([v * scale for v in values if v > 0], default=0.0)
            longest_right = max([-v * scale for v in values if v < 0], default=0.0)
            shrink = min([1.0, *(room / length for room, length in ((room_left, longest_left),
                                                                    (room_right, longest_right)) if length > 0)])
            steps = VGroup(*(
                signed_bar(-v, scale * shrink, self.values.row_center(i)[1] * UP + zero_x * RIGHT, color=HIGHLIGHT,
                           height=0.32, opacity=0.35)
                for i, v in enumerate(values)))
            self.play(*(GrowFromEdge(step, RIGHT if v >= 0 else LEFT) for step, v in zip(steps, values)),
                      run_time=1.5, cue=("that is, along ", Neg(gradient_of(self.C), words_minus="−"),
                                         ": the faint bars."))
            self.wait(1)
