"""The lesson's checkpoints: predict, then see.

Before an idea reveals a result, the lesson page pauses the clip and asks the learner to predict
it: which way the cost moves when w(L) grows, which factor of ∂C0/∂w(L) is smallest, the value of
∂C0/∂b(L), ... Every question and answer is computed here from the config's values (nncore's, by
:mod:`lessonmodel.values`), and every number is written as the screen writes it
(:mod:`lessonmodel.fmt`, with the digits :mod:`lessonmodel.precision` gives it), so the questions
change with the config. They follow its cost and output: every formula of a cost (C0, ∂C0/∂a(L),
and ∂C0/∂z_j(L) = a_j(L) - y_j where the cost cancels the output's slope) is written from
:func:`lessonmodel.notation.cost_notation`. A question whose answer would
be ambiguous for a config, as the screen shows the numbers (two factors equal to the shown
decimals, a sign that is zero as shown, an average exactly between two examples), is left out.

Each checkpoint names the values whose appearance gives its answer away (``reveals``): the page
pauses at the start of the first narration cue during which one of them is said or shown, in the
scene the checkpoint belongs to. ``given`` are the values the question itself states (already on
screen by then).

>>> from lessonmodel.config import load_config
>>> [c.id for c in checkpoints_of(load_config())][:3]
['cost', 'nudge-direction', 'smallest-factor']
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lessonmodel.config import LessonConfig
from lessonmodel.fmt import decimals_for, format_number
from lessonmodel.formula import Eq, Lit, Math, words
from lessonmodel.names import (
    AVERAGE_COST,
    C0,
    ERROR,
    LEARNING_RATE,
    Quantity,
    activation,
    after_steps,
    bias,
    change,
    cost,
    derivative,
    measured,
    nudged,
    path_term,
    ratio,
    target,
    weight,
    weighted_sum,
)
from lessonmodel.notation import SQUARED, Cost, cost_notation, quantity, slope_written, symbol, written
from lessonmodel.precision import Table, chain_table, network_table
from lessonmodel.values import (
    NUDGE_SIZES,
    Chain,
    Descent,
    ManyNeurons,
    chain_of,
    descent_of,
    examples_named,
    many_named,
    network_of,
    nudge_named,
    training_set_of,
)

__all__ = ["Choice", "Checkpoint", "checkpoints_of", "shown", "as_shown", "parse_answer", "NUDGE"]

NUDGE = NUDGE_SIZES[0]  # the nudge of w(L) whose effect the learner predicts (CostTree's first)


@dataclass(frozen=True)
class Choice:
    """One answer to pick: ``key`` is stable (the page's ``data-choice``), ``text`` what it says."""

    key: str
    text: str
    correct: bool = False


@dataclass(frozen=True)
class Checkpoint:
    """One question of the lesson, with its answer and the reason for it.

    Parameters
    ----------
    id
        Stable while the story stays (the page's ``data-checkpoint``).
    scene
        The scene whose idea it precedes (its question speaks of that scene's picture).
    question, explanation
        What the learner is asked; why the answer is what it is, with the lesson's numbers.
    reveals, given
        The values that give the answer away; the values the question states.
    choices
        The answers to pick from (exactly one correct), or none for a number question.
    answer, tolerance
        A number question's answer and how far from it an answer may be (stated in the question).
    answer_text
        The answer as the screen writes it (the right choice's text for a choice question).
    """

    id: str
    scene: str
    question: str
    explanation: str
    reveals: tuple[Quantity, ...]
    given: tuple[Quantity, ...] = ()
    choices: tuple[Choice, ...] = ()
    answer: float | None = None
    tolerance: float | None = None
    answer_text: str = ""

    @property
    def tolerance_text(self) -> str:
        """The tolerance as the page states it (``±0.005``), empty for a choice question."""
        return "" if self.tolerance is None else f"±{self.tolerance:g}"

    @property
    def kind(self) -> str:
        """``"choice"`` or ``"number"``."""
        return "choice" if self.choices else "number"

    def accepts(self, answer: str) -> bool:
        """Whether ``answer`` (a choice's key, or a number as typed) is right."""
        if self.choices:
            return any(c.correct and c.key == answer for c in self.choices)
        number = parse_answer(answer)
        return number is not None and abs(number - self.answer) <= self.tolerance * (1 + 1e-9)


def parse_answer(text: str) -> float | None:
    """A number as a learner types it: ``-0.15``, ``−0.15`` (a minus sign), ``0,15``, ``1.5e-3``;
    None when it is not one."""
    cleaned = text.strip().replace("−", "-").replace(",", ".").replace(" ", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def shown(name: Quantity, value: float, digits: Table | None = None) -> str:
    """``value`` as the screen writes the value called ``name`` (with the digits the lesson's
    ``digits`` give it, :mod:`lessonmodel.precision`)."""
    if digits is None:
        return format_number(value, decimals_for(name))
    return format_number(value, digits.decimals(name), digits.sci(name))


def as_shown(name: Quantity, value: float, digits: Table | None = None) -> float:
    """``value`` rounded as the screen writes it (what a learner reads and computes with)."""
    return float(shown(name, value, digits))


def _in_parens(text: str) -> str:
    """A negative number in parentheses, for products: ``0.48 × (-0.681)``."""
    return f"({text})" if text.startswith("-") else text


def _nice_up(value: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is at least ``value``."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value * (1 - 1e-12))


def _tolerance(exact: float, from_shown: float, name: Quantity, digits: Table) -> float:
    """How far an answer may be from ``exact``: the error of computing it from the shown numbers
    (``from_shown``), twice over, and at least 5 units of the answer's last decimal and 1 % of it."""
    unit = 10.0 ** -digits.decimals(name)
    return _nice_up(max(5 * unit, 2 * abs(from_shown - exact), 0.01 * abs(exact)))


def _zero_as_shown(name: Quantity, value: float, digits: Table) -> bool:
    """Whether the value reads as zero as printed (its sign cannot be told)."""
    return round(value, digits.decimals(name)) == 0


def checkpoints_of(cfg: LessonConfig) -> list[Checkpoint]:
    """Every checkpoint of the lesson for ``cfg``, in story order, the ambiguous ones left out."""
    chain = chain_of(cfg.chain)
    many = network_of(cfg.network)
    # numbers as the lesson prints them: with the digits its arithmetic needs
    on_chain, on_network = chain_table(cfg.chain, cfg.examples), network_table(cfg.network)
    found = [
        _cost(chain, on_chain),
        _nudge_direction(chain, on_chain),
        _smallest_factor(chain, cfg.chain.activation, on_chain),
        _average_nearer(chain, examples_named(chain, training_set_of(cfg.chain, cfg.examples)), on_chain),
        _bias_derivative(chain, cfg.chain.activation, on_chain),
        _previous_activation(chain, on_chain),
        _smallest_weight_derivative(chain, on_chain),
        _weight_derivative_jk(many, cfg.network.activation, on_network),
        _paths_sum(many, on_network),
        _descent_trend(descent_of(cfg), on_network),
    ]
    return [c for c in found if c is not None]


# --- the chain ---------------------------------------------------------------------------------


def _value(name: Quantity, v: dict, digits: Table) -> Lit:
    """The value called ``name`` as the screen writes it, a token of a formula (in parentheses
    after an operator when it is negative)."""
    return Lit(shown(name, v[name], digits))


def _output(L: int, j: int | None = None) -> tuple[Math, Math]:
    """a_j(L) and y_j as formulas (a(L) and y on the chain)."""
    return symbol(activation(L, j), L), symbol(target(j), L)


def _cost_at_shown(chain: Chain, v: dict, digits: Table) -> float:
    """C0 computed (by nncore's cost) from a(L) and y as shown; the exact C0 where the shown a(L)
    leaves the cost's range (a log of 0)."""
    a, y = (as_shown(n, v[n], digits) for n in (activation(chain.depth), target()))
    with np.errstate(divide="ignore", invalid="ignore"):
        value = chain.net.cost_function.value([a], [y])
    return value if math.isfinite(value) else v[C0]


def _cost(chain: Chain, digits: Table) -> Checkpoint:
    v, notation = chain.named(), cost_notation(chain.net.cost_function)
    a, y = activation(chain.depth), target()
    text = {n: shown(n, v[n], digits) for n in (a, y, C0)}
    c0 = symbol(C0)
    tolerance = _tolerance(v[C0], _cost_at_shown(chain, v, digits), C0, digits)
    worked = notation.share(_value(a, v, digits), _value(y, v, digits))
    return Checkpoint(
        "cost", "NeuronChain",
        f"The output is a(L) = {text[a]} and we want y = {text[y]}. "
        f"What is the cost {words(Eq(c0, notation.share(*_output(chain.depth))))}?",
        f"{words(Eq(c0, worked, Lit(text[C0])))}.",
        reveals=(C0,), given=(a, y), answer=v[C0], tolerance=tolerance, answer_text=text[C0])


def _nudge_direction(chain: Chain, digits: Table) -> Checkpoint | None:
    L = chain.depth
    w, a = weight(L), activation(L)
    moved = nudge_named(chain, NUDGE)
    after = {q: moved[nudged(q, w, NUDGE)] for q in (w, a, C0, change(C0))}
    if _zero_as_shown(nudged(change(C0), w, NUDGE), after[change(C0)], digits):
        return None
    v = chain.named()
    falls = after[change(C0)] < 0
    step = nudged(change(w), w, NUDGE)  # the nudge, as the screen writes it (0.500)
    said = {q: shown(nudged(q, w, NUDGE), value, digits) for q, value in after.items()}
    others = [n for n in moved if n.quantity not in (w, change(w))]
    others += [nudged(ratio(C0, w), w, d) for d in NUDGE_SIZES] + [derivative(C0, w)]
    return Checkpoint(
        "nudge-direction", "CostTree",
        f"Nudge w(L) up by Δw(L) = {shown(step, NUDGE, digits)}, from {shown(w, v[w], digits)} to {said[w]}. "
        "Does the cost C0 "
        f"(now {shown(C0, v[C0], digits)}) rise or fall?",
        f"a(L) goes from {shown(a, v[a], digits)} to {said[a]}, so C0 goes from {shown(C0, v[C0], digits)} "
        f"to {said[C0]}: "
        f"ΔC0 = {said[change(C0)]}.",
        reveals=tuple(others), given=(step, w, nudged(w, w, NUDGE), C0),
        choices=(Choice("rises", "C0 rises", not falls), Choice("falls", "C0 falls", falls)),
        answer_text="C0 falls" if falls else "C0 rises")


def _same(a: float, b: float, scale: float) -> bool:
    """Whether two numbers computed from shown ones are equal but for float rounding."""
    return abs(a - b) <= 1e-9 * max(scale, 1e-300)


def _smallest(values: dict[str, float]) -> str | None:
    """The key of the value smallest in size, or None when two tie for it."""
    ranked = sorted(values, key=lambda key: abs(values[key]))
    if len(ranked) > 1 and abs(values[ranked[0]]) == abs(values[ranked[1]]):
        return None
    return ranked[0]


def _pick(options: list[tuple[str, str]], right: str) -> tuple[Choice, ...]:
    return tuple(Choice(key, text, key == right) for key, text in options)


def _smallest_of(ident: str, scene: str, question: str, candidates: list[tuple[str, str, Quantity]],
                 v: dict, digits: Table, **record) -> Checkpoint | None:
    """Which of ``candidates`` (key, label, name) is smallest in size, as shown: None on a tie."""
    right = _smallest({key: as_shown(n, v[n], digits) for key, _, n in candidates})
    if right is None:
        return None
    labels = {key: label for key, label, _ in candidates}
    said = ", ".join(f"{label} = {shown(n, v[n], digits)}" for _, label, n in candidates)
    return Checkpoint(ident, scene, question, f"{said}: the smallest in size is {labels[right]}.",
                      choices=_pick(list(labels.items()), right), answer_text=labels[right], **record)


def _error_given(notation: Cost, L: int) -> tuple[Quantity, ...]:
    """What a question states for the cost's derivative ∂C0/∂a(L) to be worked out: the error
    a(L) - y for the squared error's 2(a(L) - y), a(L) and y for any other cost's."""
    return (ERROR,) if notation is SQUARED else (activation(L), target())


def _stated(names: tuple[Quantity, ...], v: dict, digits: Table, depth: int) -> str:
    """``a(L-1) = 0.48, z(L) = 0.66 and a(L) - y = -0.34``: the values a question states."""
    said = [f"{written(n, depth)} = {shown(n, v[n], digits)}" for n in names]
    return " and ".join([", ".join(said[:-1]), said[-1]]) if len(said) > 1 else said[0]


def _smallest_factor(chain: Chain, act: str, digits: Table) -> Checkpoint | None:
    L, v = chain.depth, chain.named()
    previous, slope, dc = activation(L - 1), derivative(activation(L), weighted_sum(L)), derivative(C0, activation(L))
    z, slope_label = weighted_sum(L), slope_written(act, weighted_sum(L), L)
    notation = cost_notation(chain.net.cost_function)
    cost_label = words(notation.derivative(*_output(L)))  # 2(a(L) - y), (a(L) - y)/(a(L) (1 - a(L)))
    given = (previous, z, *_error_given(notation, L))
    return _smallest_of(
        "smallest-factor", "ChainRule",
        f"∂C0/∂w(L) = a(L-1) · {slope_label} · {cost_label}, with {_stated(given, v, digits, L)}. "
        "Which factor is smallest in size?",
        [("a", "a(L-1)", previous), ("slope", slope_label, slope), ("cost", cost_label, dc)], v,
        reveals=(slope, dc), given=given, digits=digits)


def _cancelling(chain: Chain, v: dict, digits: Table) -> str:
    """Where the cost cancels σ'(z(L)): why ∂C0/∂z(L) is a(L) - y, with the numbers."""
    L, notation = chain.depth, cost_notation(chain.net.cost_function)
    a, y = _output(L)
    dz, numbers = derivative(C0, weighted_sum(L)), [_value(n, v, digits) for n in (activation(L), target())]
    slope = slope_written(chain.net.activation.name, weighted_sum(L), L)
    return (f" The slope {slope} = {words(notation.cancelled(a))} cancels against ∂C0/∂a(L): "
            f"{words(Eq(quantity(dz, L), notation.output_error(a, y), notation.output_error(*numbers)))}"
            f" = {shown(dz, v[dz], digits)}.")


def _bias_derivative(chain: Chain, act: str, digits: Table) -> Checkpoint:
    L, v = chain.depth, chain.named()
    slope, dc, db = derivative(activation(L), weighted_sum(L)), derivative(C0, activation(L)), derivative(C0, bias(L))
    text = {n: shown(n, v[n], digits) for n in (slope, dc, db)}
    from_shown = as_shown(slope, v[slope], digits) * as_shown(dc, v[dc], digits)
    tolerance = _tolerance(v[db], from_shown, db, digits)
    if chain.net.slope_cancels:  # the lesson has shown ∂C0/∂z(L) = a(L) - y (ChainRule.slope_cancels)
        dz = derivative(C0, weighted_sum(L))
        given = text[dz] = shown(dz, v[dz], digits)
        return Checkpoint(
            "bias-derivative", "BiasAndPreviousActivation",
            f"∂z(L)/∂b(L) = 1, and the slope cancelled against ∂C0/∂a(L): ∂C0/∂z(L) = {given}. What is ∂C0/∂b(L)?",
            f"∂C0/∂b(L) = 1 × {_in_parens(given)} = {text[db]}.{_cancelling(chain, v, digits)}",
            reveals=(db,), given=(dz,), answer=v[db],
            tolerance=_tolerance(v[db], as_shown(dz, v[dz], digits), db, digits), answer_text=text[db])
    cost_factor = words(Eq(quantity(dc, L), cost_notation(chain.net.cost_function).derivative(*_output(L))))
    return Checkpoint(
        "bias-derivative", "BiasAndPreviousActivation",
        f"∂z(L)/∂b(L) = 1, and the other two factors stay: {slope_written(act, weighted_sum(L), L)} = "
        f"{text[slope]} and {cost_factor} = {text[dc]}. What is ∂C0/∂b(L)?",
        f"∂C0/∂b(L) = 1 × {text[slope]} × {_in_parens(text[dc])} = {text[db]}.",
        reveals=(db,), given=(slope, dc), answer=v[db], tolerance=tolerance, answer_text=text[db])


def _previous_activation(chain: Chain, digits: Table) -> Checkpoint | None:
    L, v = chain.depth, chain.named()
    w, previous = weight(L), activation(L - 1)
    dw, da = derivative(C0, weight(L)), derivative(C0, activation(L - 1))
    sizes = {"smaller": abs(as_shown(da, v[da], digits)), "larger": abs(as_shown(dw, v[dw], digits))}
    if sizes["smaller"] == sizes["larger"] or as_shown(w, v[w], digits) == as_shown(previous, v[previous], digits):
        return None
    right = "larger" if sizes["smaller"] > sizes["larger"] else "smaller"
    return Checkpoint(
        "previous-activation", "BiasAndPreviousActivation",
        f"For ∂C0/∂a(L-1) the first factor is w(L) = {shown(w, v[w], digits)} instead of a(L-1) = "
        f"{shown(previous, v[previous], digits)}. Is ∂C0/∂a(L-1) larger or smaller in size than "
        f"∂C0/∂w(L) = {shown(dw, v[dw], digits)}?",
        f"∂C0/∂a(L-1) = {shown(da, v[da], digits)}: {right} in size than ∂C0/∂w(L) = {shown(dw, v[dw], digits)}, "
        f"as |w(L)| is {right} than |a(L-1)|.",
        reveals=(da,), given=(w, previous, dw),
        choices=_pick([("larger", "larger in size"), ("smaller", "smaller in size")], right),
        answer_text=f"{right} in size")


def _smallest_weight_derivative(chain: Chain, digits: Table) -> Checkpoint | None:
    L, v = chain.depth, chain.named()
    candidates = [(written(weight(l), L), written(derivative(C0, weight(l)), L), derivative(C0, weight(l)))
                  for l in range(L, 0, -1)]
    last = derivative(C0, weight(L))
    return _smallest_of(
        "smallest-weight-derivative", "BackwardsThroughChain",
        "Further back, the products get longer: more weights, more slopes. "
        f"∂C0/∂w(L) = {shown(last, v[last], digits)}. "
        f"Which is smallest in size?", candidates, v,
        reveals=tuple(n for _, _, n in candidates if n != last), given=(last,), digits=digits)


def _average_nearer(chain: Chain, named: dict, digits: Table) -> Checkpoint | None:
    w = weight(chain.depth)
    own = []
    while derivative(cost(len(own)), w) in named:  # example k's own ∂C_k/∂w(L), k = 0, 1, ...
        own.append(derivative(cost(len(own)), w))
    if len(own) < 3:  # with two examples the average is always exactly between them
        return None
    mean = derivative(AVERAGE_COST, w)
    d = [as_shown(n, named[n], digits) for n in own]
    far = max(range(1, len(own)), key=lambda k: abs(d[k] - d[0]))
    m = as_shown(mean, named[mean], digits)
    near = {0: abs(m - d[0]), far: abs(m - d[far])}
    if d[far] == d[0] or _same(near[0], near[far], max(map(abs, (m, d[0], d[far])))):
        return None
    right = min(near, key=near.get)
    text = {k: shown(own[k], named[own[k]], digits) for k in (0, far)}
    return Checkpoint(
        "average-nearer", "AverageOverExamples",
        f"∂C/∂w(L) averages the {len(own)} examples' ∂C_k/∂w(L). Is it nearer example 0's ({text[0]}) "
        f"or example {far}'s ({text[far]})?",
        f"∂C/∂w(L) = {shown(mean, named[mean], digits)}: {format_number(near[0], 3)} from example 0's, "
        f"{format_number(near[far], 3)} from example {far}'s.",
        reveals=(mean,), given=(own[0], own[far]),
        choices=_pick([("0", "example 0's"), (str(far), f"example {far}'s")], str(right)),
        answer_text=f"example {right}'s")


# --- many neurons --------------------------------------------------------------------------------


def _weight_derivative_jk(many: ManyNeurons, act: str, digits: Table) -> Checkpoint:
    if many.net.output_activation.name == "softmax":  # no one slope: the lesson shows two factors
        return _weight_derivative_jk_cancelled(many, digits)
    L, (j, k) = many.net.depth, many.focus
    v = many_named(many)
    names = (activation(L - 1, k), derivative(activation(L, j), weighted_sum(L, j)), derivative(C0, activation(L, j)))
    dw = derivative(C0, weight(L, j, k))
    text = [shown(n, v[n], digits) for n in names]
    tolerance = _tolerance(v[dw], math.prod(as_shown(n, v[n], digits) for n in names), dw, digits)
    slope = slope_written(act, weighted_sum(L, j), L)
    cost = words(cost_notation(many.net.cost_function).derivative(*_output(L, j)))  # 2(a_j(L) - y_j)
    return Checkpoint(
        "weight-derivative-jk", "WeightDerivativeWithIndices",
        f"∂C0/∂w_{j}{k}(L) = a_{k}(L-1) · {slope} · {cost}, with a_{k}(L-1) = "
        f"{text[0]}, {slope} = {text[1]} and {cost} = {text[2]}. What is it?",
        f"∂C0/∂w_{j}{k}(L) = {' × '.join(_in_parens(t) for t in text)} = {shown(dw, v[dw], digits)}.",
        reveals=(dw,), given=names, answer=v[dw], tolerance=tolerance, answer_text=shown(dw, v[dw], digits))


def _weight_derivative_jk_cancelled(many: ManyNeurons, digits: Table) -> Checkpoint:
    """From a softmax output the factors of ∂C0/∂w_jk(L) are a_k(L-1) and ∂C0/∂z_j(L) =
    a_j(L) - y_j (the softmax's Jacobian cancels the cross-entropy's ∂C0/∂a), as the lesson shows them."""
    L, (j, k) = many.net.depth, many.focus
    v, notation = many_named(many), cost_notation(many.net.cost_function)
    dw, dz = derivative(C0, weight(L, j, k)), derivative(C0, weighted_sum(L, j))
    given = (activation(L - 1, k), dz)
    tolerance = _tolerance(v[dw], math.prod(as_shown(n, v[n], digits) for n in given), dw, digits)
    text = {n: shown(n, v[n], digits) for n in (*given, dw)}
    simplified = words(Eq(quantity(dz, L), notation.output_error(*_output(L, j))))
    return Checkpoint(
        "weight-derivative-jk", "WeightDerivativeWithIndices",
        f"∂C0/∂w_{j}{k}(L) = a_{k}(L-1) · ∂C0/∂z_{j}(L): through the softmax's Jacobian the cost's derivative "
        f"simplifies to {simplified}. With a_{k}(L-1) = {text[given[0]]} and ∂C0/∂z_{j}(L) = {text[dz]}, what is it?",
        f"∂C0/∂w_{j}{k}(L) = {text[given[0]]} × {_in_parens(text[dz])} = {text[dw]}.",
        reveals=(dw,), given=given, answer=v[dw], tolerance=tolerance, answer_text=text[dw])


def _paths_sum(many: ManyNeurons, digits: Table) -> Checkpoint | None:
    L, k = many.net.depth, many.focus[1]
    if many.net.sizes[L] < 2:  # one path: its term is the whole derivative, nothing to add up
        return None
    v = many_named(many)
    total = derivative(C0, activation(L - 1, k))
    terms = [path_term(total, j) for j in range(many.net.sizes[L])]
    said = [shown(t, v[t], digits) for t in terms]
    listed = " and ".join([", ".join(said[:-1]), said[-1]])
    reveals = (total, measured(total))
    signs = {math.copysign(1, as_shown(t, v[t], digits)) for t in terms}
    start = f"a_{k}(L-1) reaches the cost along {len(terms)} paths, whose shares are {listed}."
    because = f"∂C0/∂a_{k}(L-1) = {' + '.join(_in_parens(s) for s in said)} = {shown(total, v[total], digits)}."
    if len(signs) == 1:
        tolerance = _tolerance(v[total], sum(as_shown(t, v[t], digits) for t in terms), total, digits)
        return Checkpoint("paths-sum", "SumOverPaths", f"{start} What is ∂C0/∂a_{k}(L-1)?",
                          because, reveals=reveals, given=tuple(terms), answer=v[total], tolerance=tolerance,
                          answer_text=shown(total, v[total], digits))
    if _zero_as_shown(total, v[total], digits):
        return None
    right = "negative" if v[total] < 0 else "positive"
    return Checkpoint("paths-sum", "SumOverPaths", f"{start} The paths disagree: is ∂C0/∂a_{k}(L-1) positive or "
                      f"negative?", because, reveals=reveals, given=tuple(terms),
                      choices=_pick([("positive", "positive"), ("negative", "negative")], right), answer_text=right)


def _descent_trend(descent: Descent, digits: Table) -> Checkpoint | None:
    trend = descent.trend
    if descent.steps == 0 or trend == "overflowed":
        return None
    symbol, first = descent.cost_symbol, after_steps(descent.cost_symbol, 0)
    start = descent.history.costs[0]
    words = {"fell": "falls", "rose": "rises", "stayed": "stays the same"}
    reveals = [after_steps(symbol, s) for s in range(1, descent.steps + 1)]
    if descent.count > 1:
        reveals += [after_steps(cost(k), s) for s in range(1, descent.steps + 1) for k in range(descent.count)]
    last = descent.history.costs[descent.steps]
    whose = f"the average cost C over its {descent.count} examples" if descent.count > 1 else "its cost C0"
    return Checkpoint(
        "descent-trend", "GradientDescent",
        f"The network takes {descent.steps} steps of gradient descent with η = "
        f"{shown(LEARNING_RATE, descent.learning_rate, digits)}, starting at {symbol} = {shown(first, start, digits)}. "
        f"Over the steps, does {whose} fall, rise or stay the same?",
        f"{symbol} goes from {shown(first, start, digits)} to {shown(first, last, digits)} "
        f"in {descent.steps} steps: it "
        f"{words[trend]}.",
        reveals=tuple(reveals), given=(LEARNING_RATE, first),
        choices=_pick([("falls", "it falls"), ("rises", "it rises"), ("stays", "it stays the same")],
                      {"fell": "falls", "rose": "rises", "stayed": "stays"}[trend]),
        answer_text=f"it {words[trend]}")
