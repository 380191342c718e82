"""GeneralRecursion: the backward rule for any layer, with values, then as matrices beside the
lines of nncore that compute it (read from nncore's source when the scene renders)."""

from __future__ import annotations

import inspect
import textwrap

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Code,
    Create,
    FadeIn,
    FadeOut,
    SurroundingRectangle,
    Text,
    VGroup,
    Write,
)

from lessonmodel.names import C0, activation, bias, derivative, target, weighted_sum
from nncore.network import Network
from scenes.kit.many_neurons_scene import ManyNeuronsScene
from scenes.kit.notation import colored, sym
from scenes.kit.partials import partial
from scenes.kit.style import COLORS, HIGHLIGHT, MUTED, SMALL_FONT

__all__ = ["GeneralRecursion", "backward_source"]

FIRST, LAST = "da[-1] =", "da[l - 1] ="  # the lines of Network.backward from the base case to the recursion


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


class GeneralRecursion(ManyNeuronsScene):
    """The base case, the recursion for any layer l, the backward sweep with values, the matrix
    form beside nncore's own code."""

    def construct(self) -> None:
        self.show_base_case()
        self.show_recursion()
        self.sweep_backwards()
        self.show_matrix_form()
        self.match_code()

    def delta(self, layer: str) -> str:
        """δ^((layer)), in the colour of z (it is ∂C0/∂z)."""
        return colored("z", f"delta^(({layer}))")

    def show_base_case(self) -> None:
        L, j = self.L, self.j
        with self.step("base_case", f"Backpropagation starts at the cost. For each output j, ∂C0/∂a_j(L) = "
                       f"2(a_j(L) - y_j); for j = {j} that is {self.plain(derivative(C0, activation(L, j)))}."):
            rule = self.math(f"{self.d_cost(self.a(L, 'j'))} = 2({self.a(L, 'j')} - {self.y('j')})")
            example = self.math(
                f"j = {j}: quad 2({self.number(activation(L, j))} - {self.number(target(j), True)}) = "
                f"{self.number(derivative(C0, activation(L, j)))}",
                SMALL_FONT,
            )
            self.base = VGroup(rule, example).arrange(RIGHT, buff=0.8)
            self.sums_up(f"{self.d_cost(self.a(L, j))} = 2({self.a(L, j)} - {self.y(j)}) = "
                         f"2({self.number(activation(L, j))} - {self.number(target(j), True)}) = "
                         f"{self.number(derivative(C0, activation(L, j)))}")
            self.fit(self.base).to_edge(UP, buff=0.35)
            self.play(Write(rule))
            self.play(FadeIn(example, shift=0.2 * LEFT))
            self.wait(1.5)

    def show_recursion(self) -> None:
        L, j = self.L, self.j
        with self.step("recursion", "Then the same three rules hold for every layer l. The sum over paths "
                       "carries the derivative back from layer l to layer l-1, and with it come the "
                       f"weights and biases of layer l: for j = {j}, ∂C0/∂b_{j}(L) = "
                       f"{self.plain(derivative(C0, bias(L, j)))}."):
            l, prev = "l", "l-1"
            a_l, a_prev = sym("a", l, "j"), sym("a", prev, "k")
            w, z, b = sym("w", l, "j k"), sym("z", l, "j"), sym("b", l, "j")
            slope = f"{self.sigma}'({z})"
            rows = [
                self.math(f"{self.d_cost(a_prev)} = sum_j {w} {slope} {self.d_cost(a_l)}"),
                self.math(f"{self.d_cost(w)} = {a_prev} {slope} {self.d_cost(a_l)}"),
                self.math(f"{self.d_cost(b)} = {slope} {self.d_cost(a_l)}"),
            ]
            example = self.math(
                f"{self.d_cost(self.b(L, j))} = "
                f"{self.number(derivative(activation(L, j), weighted_sum(L, j)), True)} dot "
                f"{self.number(derivative(C0, activation(L, j)), True)} = {self.number(derivative(C0, bias(L, j)))}",
                SMALL_FONT,
            )
            self.rules = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
            self.sums_up(f"{rows[0].source}, quad {example.source}")
            group = self.fit(VGroup(self.rules, example).arrange(DOWN, buff=0.45))
            group.scale_to_fit_height(min(group.height, 5.6)).next_to(self.base, DOWN, 0.4)
            for row in rows:
                self.play(Write(row), run_time=1.2)
            self.play(FadeIn(example, shift=0.2 * UP))
            self.wait(2)

    def sweep_backwards(self) -> None:
        L = self.L
        self.clear()  # a cut, not a fade: the last clip ends on its picture, this one starts afresh
        with self.step("backwards", "Run it on the network: start with the outputs and walk back one layer "
                       "at a time. Each ∂C0/∂a is the sum over the paths from that neuron to the layer after it."):
            d = self.diagram(width=9.6, height=4.6, max_radius=0.34).move_to(0.3 * DOWN + 0.5 * LEFT)
            title = self.math(f"{self.d_cost(sym('a', 'l', 'j'))}", SMALL_FONT).to_edge(UP, buff=0.25)
            layers = VGroup(
                *(self.math(f"l = {self.layer(l)}", 24).next_to(d.column_bottom(l, 0.1), DOWN, 0.1)
                  for l in range(1, L + 1))
            )
            self.sums_up(", quad ".join(f"{self.d_cost(self.a(l, j))} = {self.number(derivative(C0, activation(l, j)))}"
                                        for l in range(L, 0, -1) for j in range(self.sizes[l])))
            self.play(FadeIn(d), Write(title), FadeIn(layers))
            size = min(SMALL_FONT * 0.85, 80 * d.radius)
            self.sweep = VGroup(d, title, layers)
            for l in range(L, 0, -1):
                labels = VGroup(
                    *(
                        self.math(self.number(derivative(C0, activation(l, j))), size, color=COLORS["C"])
                        .next_to(d.neuron(l, j), RIGHT, 0.08)
                        .add_background_rectangle(opacity=0.85, buff=0.04)
                        for j in range(self.sizes[l])
                    )
                )
                self.sweep.add(labels)
                self.play(FadeIn(labels, shift=0.15 * LEFT), run_time=0.9)
            self.wait(2)

    def show_matrix_form(self) -> None:
        self.clear()  # a cut: the sweep's clip ends on the finished sweep
        with self.step("matrix_form", "As matrices: delta(l), the derivative with respect to z(l), is W(l+1) "
                       "transposed times delta(l+1), times the slopes elementwise. Below, the lines of nncore "
                       "that ran to compute this lesson's derivatives, read from its source as the video was made."):
            z_L, z_l = sym("z", "L"), sym("z", "l")
            self.formulas_m = VGroup(
                self.math(
                    f"{self.delta('L')} = {self.sigma}'({z_L}) dot.o 2({sym('a', 'L')} - {sym('y')})", SMALL_FONT
                ),
                self.math(
                    f"{self.delta('l')} = ({colored('w', 'W^((l+1))')})^top {self.delta('l+1')} "
                    f"dot.o {self.sigma}'({z_l})",
                    SMALL_FONT,
                ),
                self.math(
                    f"{partial(sym('C'), colored('w', 'W^((l))'))} = {self.delta('l')} ({sym('a', 'l-1')})^top "
                    f"quad {partial(sym('C'), sym('b', 'l'))} = {self.delta('l')}",
                    SMALL_FONT,
                ),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
            self.fit(self.formulas_m).to_edge(UP, buff=0.3)
            self.sums_up(self.formulas_m[1])
            code, first_line, path = backward_source()
            self.code_source = code  # what is shown, for the tests
            self.code = Code(
                code_string=code,
                language="python",
                line_numbers_from=first_line,
                formatter_style="monokai",
                paragraph_config={"font": "DejaVu Sans Mono", "font_size": 18, "line_spacing": 0.8},
            )
            self.fit(self.code, margin=0.3)
            caption = Text(f"{path}, Network.backward", font="DejaVu Sans Mono", font_size=16, color=MUTED)
            legend = self.math(
                f"#text[in the code:] #raw(\"dz[l]\") = {self.delta('l')}, quad #raw(\"da[l]\") = "
                f"{partial(sym('C'), sym('a', 'l'))}, quad #text[one row per example, so] "
                "#raw(\"dz[l] @ W\") = (W^top delta)^top",
                24,
            )
            self.fit(legend)
            self.code_legend = legend  # what the next step sums up: the code's names for the formula's
            self.code_block = VGroup(caption, self.code, legend).arrange(DOWN, buff=0.2)
            self.code_block.next_to(self.formulas_m, DOWN, 0.35)
            self.play(Write(self.formulas_m), run_time=2)
            self.play(FadeIn(caption), FadeIn(self.code), run_time=1.5)
            self.play(FadeIn(legend))
            self.wait(2)

    def match_code(self) -> None:
        with self.step("code_is_formula", "Line by line, the code is the formula: the base case, the slope "
                       "times the derivative of a, the weights' gradient, and W transposed times delta."):
            lines = self.code.code_lines
            # formula row -> the code lines (0-based, as shown) that compute it
            matches = ((0, [0, 2]), (1, [4, 2]), (2, [3]))
            self.sums_up(self.code_legend)
            for row, code_rows in matches:
                boxes = VGroup(
                    SurroundingRectangle(self.formulas_m[row], color=HIGHLIGHT, buff=0.06),
                    *(SurroundingRectangle(lines[i], color=HIGHLIGHT, buff=0.04) for i in code_rows if i < len(lines)),
                )
                self.play(Create(boxes), run_time=0.8)
                self.wait(1.2)
                self.play(FadeOut(boxes), run_time=0.5)
            self.wait(1)
