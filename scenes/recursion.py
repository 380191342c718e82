"""GeneralRecursion: the backward rule for any layer, run on the network's stage: the base case born
at the outputs, the sum over j on the edges, a right-to-left sweep carrying every ∂C0/∂a back to its
neuron; then as matrices beside the lines of nncore that compute it (read from nncore's source when
the scene renders)."""

from __future__ import annotations

import inspect
import textwrap

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    WHITE,
    AnimationGroup,
    Code,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    Mobject,
    SurroundingRectangle,
    Text,
    TransformFromCopy,
    VGroup,
    Write,
    config,
)

from lessonmodel.formula import Code as CodeText
from lessonmodel.formula import (
    Eq,
    Group,
    Lit,
    Math,
    Paren,
    Partial,
    Product,
    Row,
    Signed,
    SumOver,
    Sym,
    Transpose,
    add,
    items,
)
from lessonmodel.formula import Text as MathText
from lessonmodel.names import C0, activation, bias, derivative, path_term, target, weighted_sum
from lessonmodel.notation import general, symbol
from nncore.network import Network
from scenes.kit.backward_sweep import BackwardSweep, backwards_flash, place_beside
from scenes.kit.born import BornFrom, Flight, rest_of, settle
from scenes.kit.box import Box
from scenes.kit.label_spots import LABEL_ANGLES, LabelSpots
from scenes.kit.many_neurons_scene import ManyNeuronsScene
from scenes.kit.style import COLORS, HIGHLIGHT, MUTED, SENSITIVITY, SMALL_FONT

__all__ = ["GeneralRecursion", "backward_source"]

FIRST, LAST = "da[-1] =", "da[l - 1] ="  # the lines of Network.backward from the base case to the recursion
EDGE_MARGIN = 0.45  # nothing lit nearer the frame's edges than this (the composition rule asks 0.4)

TARGET_ANGLES = (30, 330, 45, 315, 15, 345, 60, 300, 0)  # a target sits towards the cost it enters
# nncore's code on a dark ground whose comments (the formulas, in words) stay light enough to read at
# 480p (monokai's comments are a dim grey-brown)
CODE_STYLE = "native"


def backward_source() -> tuple[str, int, str]:
    """The lines of ``Network.backward`` that compute δ, as they are in nncore now.

    Returns (dedented code, its first line number in the file, the file's path relative to the
    project). The lines run from the base case (``da[-1] = ...``) to the recursion
    (``da[l - 1] = ...``); a ValueError says so if nncore no longer has them.
    """
    lines, start = inspect.getsourcelines(Network.backward)
    try:
        first = next(i for i, line in enumerate(lines) if FIRST in line)
        last = next(i for i, line in enumerate(lines) if LAST in line)
    except StopIteration:
        raise ValueError(f"Network.backward no longer has the lines {FIRST!r} .. {LAST!r}") from None
    path = inspect.getsourcefile(Network)
    relative = path[path.rindex("nncore") :] if "nncore" in path else path
    return textwrap.dedent("".join(lines[first : last + 1])).rstrip(), start + first, relative


def d_cost(by: Math) -> Partial:
    """∂C0/∂``by``: how the example's cost changes with ``by``.

    >>> from lessonmodel.formula import words
    >>> words(d_cost(general("a", "l", "j")))
    '∂C0/∂a_j(l)'
    """
    return Partial(symbol(C0), by)


def delta(layer: str | None = None) -> Sym:
    """δ(``layer``), in the colour of z (it is ∂C0/∂z); without a layer, the δ of any layer."""
    return general("delta", layer, color="z")


def matrix(layer: str | None = None) -> Sym:
    """W(``layer``), the weights of a layer as one matrix, in the weights' colour."""
    return general("W", layer, color="w")


def index_is(letter: str, value: int) -> Eq:
    """An index given its value, ``j = 1``."""
    return Eq(Lit(letter), Lit(str(value)))


def group_labels(expr: Math) -> list[str]:
    """The labels of the groups in ``expr``, in the order written."""
    found = [expr.label] if isinstance(expr, Group) else []
    for child in expr.children():
        found += group_labels(child)
    return found


class GeneralRecursion(ManyNeuronsScene):
    """The base case born at the outputs, the recursion's sum over j on the edges, the backward
    sweep flowing right to left with every ∂C0/∂a landing beside its neuron, the matrix form beside
    nncore's own code."""

    def setup(self) -> None:
        super().setup()
        # ∂C0/∂a_k(0): nncore's backward pass computes them too (the code below shows it), and the
        # sweep runs down to the inputs
        for k in range(self.sizes[0]):
            self.named.setdefault(derivative(C0, activation(0, k)), float(self.many.grads.activations[0][k]))

    def construct(self) -> None:
        self.set_stage()
        self.show_base_case()
        self.show_recursion()
        self.sweep_backwards()
        self.show_matrix_form()
        self.match_code()

    # --- the stage -----------------------------------------------------------------------------

    def set_stage(self) -> None:
        """The network on its stage, the free space right of it for formulas, the places of labels."""
        d = self.d = self.network_stage()
        self.cost_mark = self.cost_label(d)
        half_w, half_h = config.frame_width / 2, config.frame_height / 2
        self.area = (d.get_right()[0] + 0.35, half_w - EDGE_MARGIN)  # formulas: left and right
        bottom = min(d.column_bottom(l, 0.15)[1] for l in range(self.L + 1))
        self.layer_names = VGroup(
            *(self.math(Eq(Lit("l"), Lit(self.layer(l))), 24)
              .move_to([d.neuron(l, 0).get_x(), bottom, 0], aligned_edge=UP) for l in range(self.L + 1))
        )
        # labels stay above the layers' names: a value below them would belong to no neuron
        self.spots = LabelSpots(d, Box(-half_w + EDGE_MARGIN, self.layer_names.get_top()[1] + 0.02,
                                       self.area[0] - 0.1, half_h - EDGE_MARGIN))
        self.label_size = min(SMALL_FONT * 0.85, 75 * d.radius)
        self.sensitivities: dict[tuple[int, int], Mobject] = {}
        self.flows: list[tuple[float, float, int]] = []  # (start, end, l): values flowing from layer l to l-1

    def in_area(self, group: Mobject) -> Mobject:
        """Shrink ``group`` (never enlarge) into the formulas' free space right of the network, and
        centre it there."""
        left, right = self.area
        room = config.frame_height - 2 * EDGE_MARGIN
        if group.width > right - left:
            group.scale_to_fit_width(right - left)
        if group.height > room:
            group.scale_to_fit_height(room)
        return group.move_to([(left + right) / 2, 0, 0])

    def sensitivity(self, l: int, j: int) -> Mobject:
        """∂C0/∂a_j(l), its value in the sensitivity colour, put beside its neuron (made once)."""
        if (l, j) not in self.sensitivities:
            label = self.math(self.value(derivative(C0, activation(l, j))), self.label_size, color=SENSITIVITY)
            self.sensitivities[(l, j)] = place_beside(self.spots, self.d, label, l, j)
        return self.sensitivities[(l, j)]

    @staticmethod
    def assemble(formula: Mobject, sources: dict[str, Mobject], path_arc: float = 0.0) -> BornFrom:
        """``formula`` built from the stage: each labelled group ``key`` moves in whole from
        ``sources[key]`` (the same number, so it reads all the way), the rest fades in where it is."""
        return BornFrom(formula, [(source, formula.select(key)) for key, source in sources.items()],
                        flight=Flight.OWN, appear=FadeIn, path_arc=path_arc)

    # --- the steps -----------------------------------------------------------------------------

    def show_base_case(self) -> None:
        L, j, d = self.L, self.j, self.d
        outputs = range(self.sizes[L])
        with self.step("base_case"):
            inside = self.values_inside(d, L)
            results = [self.sensitivity(L, i) for i in outputs]  # their places first: they stay
            targets = VGroup(*(self.math(self.value(target(i)), self.label_size, color=COLORS["y"])
                               for i in outputs))
            for i, label in enumerate(targets):
                if not self.spots.place(label, d.neuron(L, i), TARGET_ANGLES + LABEL_ANGLES, by_angle=True):
                    label.add_background_rectangle(opacity=0.85, buff=0.03)  # across an edge, on a patch
            a_j, y_j = general("a", "L", "j"), general("y", None, "j")
            dc = self.cost_notation.derivative  # ∂C0/∂a_j(L): 2(a_j(L) - y_j)
            general_rule = Eq(d_cost(a_j), dc(a_j, y_j))
            rule = self.math(general_rule)
            rows = VGroup(*(self.base_row(i) for i in outputs)).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
            self.base = self.in_area(VGroup(rule, rows).arrange(DOWN, buff=0.5))
            a, y, result = activation(L, j), target(j), derivative(C0, activation(L, j))
            self.sums_up(Eq(d_cost(self.sym(a)), dc(self.sym(a), self.sym(y)), dc(self.value(a), self.value(y)),
                            self.value(result)))
            self.play(FadeIn(d), FadeIn(self.cost_mark), cue="Backpropagation starts at the cost,")
            self.play(FadeIn(inside), FadeIn(targets), *(self.ring(d, L, i) for i in outputs),
                      cue="with the outputs and their targets:")
            self.play(Write(rule), cue=(general_rule, "."))
            # the upper half's values arc over the cost node, the lower half's under it
            self.play(*(self.assemble(rows[i], {"a": inside[i], "y": targets[i]},
                                      path_arc=-0.5 if 2 * i + 1 < len(outputs) else 0.5) for i in outputs),
                      run_time=1.6,
                      cue="Each output's value and target go in,")
            for label in targets:  # used up: the results take the stage
                self.spots.release(label)
            self.play(*(TransformFromCopy(rows[i].select("d"), results[i]) for i in outputs), FadeOut(targets),
                      FadeOut(inside),
                      run_time=1.4,
                      cue=("and out comes ", d_cost(a_j), ": for ", index_is("j", j), ", ", self.value(result), "."))
            self.wait(1)
            self.base_rows = rows

    def base_row(self, j: int) -> Mobject:
        """``j = 0: 2(a - y) = ∂C0/∂a_j(L)`` with the numbers as groups a, y and d."""
        L, v = self.L, self.value
        row = Eq(self.cost_notation.derivative(Group("a", v(activation(L, j))), Group("y", v(target(j)))),
                 Group("d", v(derivative(C0, activation(L, j)))))
        return self.math(Row(index_is("j", j), row, sep=": quad ", words_sep=": "), SMALL_FONT)

    def show_recursion(self) -> None:
        L, j, k, d = self.L, self.j, self.k, self.d
        outputs = range(self.sizes[L])
        with self.step("recursion"):
            a_l, a_prev = general("a", "l", "j"), general("a", "l-1", "k")
            w, z, b = general("w", "l", "j k"), general("z", "l", "j"), general("b", "l", "j")
            # through z_j(l): σ'(z_j(l)) ∂C0/∂a_j(l), or from a softmax output ∂C0/∂z_j(L) itself
            through = [d_cost(z)] if self.fused else [self.sigma.slope(z), d_cost(a_l)]
            recursion = Eq(d_cost(a_prev), SumOver(Product(w, *through, op=""), "j"))
            rules = VGroup(
                self.math(recursion),
                self.math(Eq(d_cost(w), Product(a_prev, *through, op=""))),
                self.math(Eq(d_cost(b), Product(*through, op="") if len(through) > 1 else through[0])),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
            total = derivative(C0, activation(L - 1, k))
            paths = self.sum_of_paths(total)
            v, bias_derivative = self.value, derivative(C0, bias(L, j))
            if self.fused:  # ∂C0/∂b_j(L) = ∂C0/∂z_j(L) = a_j(L) - y_j
                error = self.cost_notation.output_error(v(activation(L, j)), v(target(j)))
                example_expr = Eq(d_cost(self.sym(bias(L, j))), error, Group("v", v(bias_derivative)))
            else:
                example_expr = Eq(d_cost(self.sym(bias(L, j))),
                                  Product(v(derivative(activation(L, j), weighted_sum(L, j))),
                                          Group("d", Signed(v(derivative(C0, activation(L, j)))))),
                                  Group("v", v(bias_derivative)))
            example = self.math(example_expr, SMALL_FONT)
            rule = self.base[0]
            layout = VGroup(rule.copy(), rules[0], paths, rules[1], rules[2], example).arrange(DOWN, buff=0.35)
            for row in (rules[1], rules[2]):
                row.align_to(rules[0], LEFT)
            self.in_area(layout)
            self.sums_up(items(recursion, example_expr))
            self.play(FadeOut(self.base_rows),
                      *(d.neuron(L, i).animate.set_stroke(WHITE, width=2.5) for i in outputs),
                      rule.animate.match_height(layout[0]).move_to(layout[0]), Write(rules[0]), run_time=1.5,
                      cue=("The same rules hold for every layer ", Lit("l"), "."))
            lit = self.light(*d.edges_from(L, k))
            self.play(self.ring(d, L - 1, k), Create(lit), run_time=1.2,
                      cue=(a_prev, " reaches the cost through every ", Lit("j"), ":"))
            flows = [backwards_flash(d.edge(L, i, k)) for i in outputs]
            self.say("each edge carries its term back.")
            began = self.clock
            arriving, pieces = self.arrive(paths, flows, k)
            self.play(arriving, run_time=2.5)
            self.flows.append((began, self.clock, L))
            for line in paths:
                settle(self, line, *pieces[id(line)])
            self.play(TransformFromCopy(paths[-1].select("total"), self.sensitivity(L - 1, k)), run_time=1.2,
                      cue=("Their sum, ", v(total), ", lands beside ", self.sym(activation(L - 1, k)), "."))
            self.play(Write(rules[1:]), run_time=1.5,
                      cue=("With it come the weights and biases of layer ", Lit("l"), ":"))
            self.play(self.assemble(example, {} if self.fused else {"d": self.sensitivity(L, j)}), run_time=1.2)
            self.play(Indicate(example.select("v"), color=HIGHLIGHT),
                      cue=("here ", Eq(d_cost(self.sym(bias(L, j))), v(bias_derivative)), "."))
            self.wait(1.5)
            self.rules, self.paths, self.example, self.lit = rules, paths, example, lit

    def sum_of_paths(self, total) -> VGroup:
        """``∂C0/∂a_k(L-1) = t_0 + t_1 + ... = total``, at most three terms a line; term j is the
        group ``t{j}`` of its line, the total the group ``total`` of the last."""
        L, k = self.L, self.k
        terms = [Group(f"t{i}", Signed(self.value(path_term(total, i)))) for i in range(self.sizes[L])]
        sums = [add(*terms[i : i + 3]) for i in range(0, len(terms), 3)]
        lines: list[Math] = [Eq(d_cost(self.sym(activation(L - 1, k))), sums[0])]
        lines += [Row(Lit("quad", "", ""), Lit("+"), more) for more in sums[1:]]  # a later line goes on adding
        lines[-1] = Eq(lines[-1], Group("total", self.value(total)))
        return VGroup(*(self.math(line, SMALL_FONT) for line in lines)).arrange(DOWN, aligned_edge=LEFT, buff=0.2)

    def arrive(self, paths: VGroup, flows: list[AnimationGroup], k: int) -> tuple[AnimationGroup, dict]:
        """Each path's flash runs back to a_k(L-1); its term then comes into the sum from there; the
        total last. Returns the animation and, by line, the pieces to :func:`settle` after it."""
        start = self.d.neuron(self.L - 1, k).get_center()
        animations, pieces = [], {}
        for line in paths:
            keys = group_labels(line.expr)  # its terms t0, t1, ..., then the total on the last line
            rest = rest_of(line, *(line.select(key) for key in keys))
            pieces[id(line)] = [rest, *(line.select(key) for key in keys)]
            animations.append(FadeIn(rest))
            for key in keys[:-1] if line is paths[-1] else keys:
                i = int(key[1:])
                animations.append(AnimationGroup(flows[i], FadeIn(line.select(key), target_position=start, scale=0.6),
                                                 lag_ratio=0.6))
        return AnimationGroup(AnimationGroup(*animations), FadeIn(paths[-1].select("total")), lag_ratio=0.85), pieces

    def sweep_backwards(self) -> None:
        L, d = self.L, self.d
        with self.step("backwards"):
            legend = self.math(Row(d_cost(general("a", "l", "j")), MathText("beside each neuron", color="sensitivity"),
                                   sep=" quad ", words_sep=" "), SMALL_FONT)
            rule, recursion = self.base[0], self.rules[0]
            layout = VGroup(rule.copy(), recursion.copy(), legend).arrange(DOWN, buff=0.6)
            self.in_area(layout)
            landing = [l for l in range(L - 1, -1, -1)
                       if all(derivative(C0, activation(l, i)) in self.named for i in range(self.sizes[l]))]
            self.sums_up(items(*(Eq(d_cost(self.sym(activation(l, i))), self.value(derivative(C0, activation(l, i))))
                                 for l in [L, *landing] for i in range(self.sizes[l]))))
            self.sweep_notes = VGroup(rule, recursion, legend)
            self.play(FadeOut(self.rules[1:]), FadeOut(self.paths), FadeOut(self.example), FadeOut(self.lit),
                      d.neuron(L - 1, self.k).animate.set_stroke(WHITE, width=2.5),
                      rule.animate.match_height(layout[0]).move_to(layout[0]),
                      recursion.animate.match_height(layout[1]).move_to(layout[1]),
                      FadeIn(legend), FadeIn(self.layer_names), run_time=1.5, cue="Now run it on the whole network:")
            # the kit's sweep, its labels the scene's own (placed with the others, recorded as shown)
            sweep = BackwardSweep(d, self.net, self.many.x, self.many.y, label=self.sensitivity,
                                  landed=self.sensitivities)
            self.play(*sweep.start(), run_time=1.4, cue="start with the outputs,")
            for n, l in enumerate(landing):
                flow = ("and walk back one layer at a time:" if n == 0
                        else "and so on, down to the inputs." if l == 0 else None)
                self.sweep_layer(sweep, l + 1, flow,
                                 ("each ", d_cost(general("a", "l", "j")), " is the sum over the paths") if n == 0
                                 else None)
                if n == 0:
                    self.say("from that neuron to the layer after it,")
            # the swept network as the clip ends on it, for the tests (the next idea shrinks it)
            self.swept = (self.d.copy(), {key: label.copy() for key, label in self.sensitivities.items()})
            self.wait(2)

    def sweep_flashes(self) -> AnimationGroup:
        """The whole backward sweep on the network as it stands: every layer's edges flash right to
        left, the last layer first."""
        layers = [AnimationGroup(*(backwards_flash(edge, width=4.0) for row in self.d.edges[l - 1]
                                   for edge in row))
                  for l in range(self.L, 0, -1)]
        return AnimationGroup(*layers, lag_ratio=1.0)

    def sweep_layer(self, sweep: BackwardSweep, l: int, cue: str | None, land_cue: tuple | None) -> None:
        """Every edge from layer l to layer l-1 flashes right to left, thickening with the term it
        carries; then each ∂C0/∂a_k(l-1) lands beside its neuron."""
        flows = sweep.layer(l)
        if cue is not None:
            self.say(cue)  # first: a cue may wait for the one before it
        began = self.clock
        self.play(*flows, run_time=2.0)
        self.flows.append((began, self.clock, l))
        self.play(*sweep.landing(l), run_time=1.0, cue=land_cue)


    def show_matrix_form(self) -> None:
        with self.step("matrix_form"):
            slope, dc = self.sigma.slope, self.cost_notation.derivative
            a_L, y = general("a", "L"), general("y")
            base = (self.cost_notation.output_error(a_L, y) if self.fused  # a softmax's δ(L) = a(L) - y
                    else Product(slope(general("z", "L")), dc(a_L, y), op="dot.o"))
            rows = (
                Eq(delta("L"), base),
                Eq(delta("l"), Product(Product(Transpose(Paren(matrix("l+1"))), delta("l+1"), op=""),
                                       slope(general("z", "l")), op="dot.o")),
                Row(Eq(d_cost(matrix("l")), Product(delta("l"), Transpose(Paren(general("a", "l-1"))), op="")),
                    Eq(d_cost(general("b", "l")), delta("l")), sep=" quad ", words_sep=", "),
            )
            self.formulas_m = VGroup(*(self.math(row, SMALL_FONT) for row in rows)).arrange(DOWN, aligned_edge=LEFT,
                                                                                            buff=0.3)
            # the swept network stays, small, in the top left corner; the formulas right of it
            thumb = VGroup(self.d, self.cost_mark)
            shrink = min(2.6 / thumb.height, 4.6 / thumb.width)
            corner = thumb.copy().scale(shrink).to_corner(UP + LEFT, buff=EDGE_MARGIN)
            room = config.frame_width / 2 - EDGE_MARGIN - 0.1 - (corner.get_right()[0] + 0.5)
            if self.formulas_m.width > room:
                self.formulas_m.scale_to_fit_width(room)
            self.formulas_m.next_to(corner, RIGHT, 0.5).to_edge(UP, buff=EDGE_MARGIN + 0.12)  # room for the boxes
            self.sums_up(self.formulas_m[1])
            code, first_line, path = backward_source()
            self.code_source = code  # what is shown, for the tests
            self.code = Code(
                code_string=code,
                language="python",
                line_numbers_from=first_line,
                formatter_style=CODE_STYLE,
                paragraph_config={"font": "DejaVu Sans Mono", "font_size": 18, "line_spacing": 0.8},
            )
            self.fit(self.code, margin=EDGE_MARGIN)
            caption = Text(f"{path}, Network.backward", font="DejaVu Sans Mono", font_size=16, color=MUTED)
            # in the code's row-per-example layout the product is transposed; its W and δ are the
            # code's arrays, written plain
            rows_at_once = Eq(CodeText("dz[l] @ W"), Transpose(Paren(Row(Transpose(Sym("W")), Sym("delta")))))
            names = items(Eq(CodeText("dz[l]"), delta("l")), Eq(CodeText("da[l]"), d_cost(general("a", "l"))),
                          Row(MathText("one row per example, so", markup=True), rows_at_once))
            legend = self.math(Row(MathText("in the code:", markup=True), names), 24)
            self.fit(legend, margin=EDGE_MARGIN)
            self.code_legend = legend  # what the next step sums up: the code's names for the formula's
            self.code_block = VGroup(caption, self.code, legend).arrange(DOWN, buff=0.2)
            top = min(self.formulas_m.get_bottom()[1], corner.get_bottom()[1]) - 0.35
            room = top - (-config.frame_height / 2 + EDGE_MARGIN)
            if self.code_block.height > room:
                self.code_block.scale_to_fit_height(room)
            self.code_block.move_to([0, top - self.code_block.height / 2, 0])
            self.play(FadeOut(VGroup(*self.sensitivities.values(), self.layer_names, self.sweep_notes)),
                      thumb.animate.scale(shrink).move_to(corner), run_time=1.2, cue="As matrices:")
            self.play(Write(self.formulas_m), run_time=2,
                      cue=(delta("l"), ", the derivative for ", general("z", "l"), ","))
            self.play(self.sweep_flashes(), Indicate(self.formulas_m[1], color=SENSITIVITY, scale_factor=1.05),
                      run_time=2, cue=("is ", matrix("l+1"), " transposed times ", delta("l+1"), ","))
            slopes = [Indicate(self.d.neuron(l, j), color=SENSITIVITY, scale_factor=1.15)
                      for l in range(1, self.L + 1) for j in range(self.sizes[l])]
            self.play(LaggedStart(*slopes, lag_ratio=0.1), run_time=2.0,  # each neuron's own slope
                      cue="times the slopes, element by element.")
            self.play(FadeIn(caption), FadeIn(self.code), run_time=1.5, cue="Below, the lines of nncore that computed")
            self.say("this lesson's derivatives,")
            self.play(FadeIn(legend), cue="read from its source as the video was made.")
            self.wait(2)

    def match_code(self) -> None:
        with self.step("code_is_formula"):
            self.play(self.sweep_flashes(), run_time=2.0, cue="Line by line, the code is the formula:")
            base = ("the base case, ", delta("L"), ",") if self.fused else (
                "the base case, the slope times the derivative of ", general("a"), ",")
            says = [base,
                    (matrix(), " transposed times ", delta(), ","), "and the weights' gradient."]
            lines = self.code.code_lines
            # formula row -> the code lines (0-based, as shown) that compute it
            matches = ((0, [0, 2]), (1, [4, 2]), (2, [3]))
            self.sums_up(self.code_legend)
            for row, code_rows in matches:
                boxes = VGroup(
                    SurroundingRectangle(self.formulas_m[row], color=HIGHLIGHT, buff=0.06),
                    *(SurroundingRectangle(lines[i], color=HIGHLIGHT, buff=0.04) for i in code_rows if i < len(lines)),
                )
                flow = [self.sweep_flashes()] if row == 1 else []  # the recursion runs on the network again
                self.play(Create(boxes), *flow, run_time=0.8 if row != 1 else 2.0, cue=says[row])
                self.wait(1.2)
                self.play(FadeOut(boxes), run_time=0.5)
            self.wait(1)
