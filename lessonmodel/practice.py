"""Practice: a lesson config of its own for each student, and the answers to its worksheet.

A class is drawn from one seed: student i (0-based) gets the config drawn from seed + i, so any
student's numbers can be made again alone. The structure (activations, layer sizes, number of
examples, learning rate, steps) is the base config's; the numbers (weights, biases, inputs,
targets, the focused pair j, k) are drawn inside :mod:`lessonmodel.config`'s limits and rounded
to two decimals, so what is printed is what is used. No two students share a config.

:func:`questions_of` selects the worksheet's answers from nncore's values (via
:mod:`lessonmodel.values`): each :class:`Answer` is the value and the numbers it is made from,
so a key can show the worked solution (the factors and their product, the terms and their sum).

Example
-------
>>> from lessonmodel.config import load_config
>>> configs = class_configs(load_config(), students=2, seed=1)
>>> configs[0].chain.weights != configs[1].chain.weights
True
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, replace

import numpy as np

import nncore
from lessonmodel.config import (
    MAX_SEED,
    PARAM_LIMIT,
    ChainConfig,
    ExamplesConfig,
    LessonConfig,
)
from lessonmodel.formula import (
    Eq,
    Frac,
    Line,
    Lit,
    Math,
    Num,
    Paren,
    Partial,
    Product,
    Row,
    SumOver,
    Terms,
    add,
)
from lessonmodel.names import (
    AVERAGE_COST,
    C0,
    LEARNING_RATE,
    Derivative,
    Quantity,
    Symbol,
    activation,
    after_steps,
    bias,
    cost,
    derivative,
    path_term,
    target,
    weight,
    weighted_sum,
)
from lessonmodel.notation import (
    ETA,
    activation_notation,
    cost_derivative,
    general,
    quantity,
    squared_error,
    symbol,
)
from lessonmodel.values import (
    Chain,
    chain_factors_named,
    chain_of,
    chain_path,
    examples_named,
    examples_of,
    many_named,
    network_of,
    training_set_of,
)

__all__ = [
    "MAX_STUDENTS",
    "WEIGHT_RANGE",
    "BIAS_RANGE",
    "INPUT_RANGE",
    "PracticeError",
    "student_seed",
    "check_class",
    "student_config",
    "class_configs",
    "config_toml",
    "Combine",
    "InExample",
    "Operand",
    "Answer",
    "Question",
    "questions_of",
    "ANSWER_DECIMALS",
    "GIVEN_DECIMALS",
    "worked",
]

MAX_STUDENTS = 999  # folders 01 .. 999
# Ranges inside the config's limits (|w|, |b|, |x| <= PARAM_LIMIT) where sigmoids and tanhs are
# neither flat nor saturated, so that every factor is a number worth computing by hand.
WEIGHT_RANGE = (-3.0, 3.0)
BIAS_RANGE = (-2.0, 2.0)
INPUT_RANGE = (0.0, 1.0)
MIN_SLOPE = 0.02  # redraw a student whose σ'(z) of a question is flatter than this (or 0 for ReLU)
ATTEMPTS = 200  # redraws per student before taking the last draw as it is
assert max(map(abs, WEIGHT_RANGE + BIAS_RANGE + INPUT_RANGE)) <= PARAM_LIMIT


class PracticeError(ValueError):
    """A class that cannot be drawn; ``str()`` is one line for the user."""


def student_seed(seed: int, index: int) -> int:
    """The seed of student ``index`` (0-based) of the class drawn from ``seed``."""
    return seed + index


def check_class(students: int, seed: int) -> None:
    """Raise :class:`PracticeError` unless ``students`` students can be drawn from ``seed``."""
    if not 1 <= students <= MAX_STUDENTS:
        raise PracticeError(f"--students must be from 1 to {MAX_STUDENTS}, got {students}")
    if not 0 <= seed <= MAX_SEED:
        raise PracticeError(f"--seed must be from 0 to {MAX_SEED}, got {seed}")
    if student_seed(seed, students - 1) > MAX_SEED:
        room = MAX_SEED - seed + 1
        raise PracticeError(f"too many students for the seed space: seed {seed} leaves room for {room} "
                            f"student(s) (student i uses seed + i, at most {MAX_SEED}), got {students}")


def _round(values) -> tuple:
    """Two decimals, exactly the number the text shows (without a "-0.00")."""
    return tuple(float(f"{v:.2f}") + 0.0 for v in np.asarray(values, dtype=float).ravel())


def _targets(rng: np.random.Generator, function: str, count: int) -> tuple[float, ...]:
    """Targets the activation ``function`` can reach: its two ends (sigmoid 0 or 1, tanh -1 or 1),
    or for ReLU, with no upper end, a value in [0, 2]."""
    act = nncore.get_activation(function)
    if math.isfinite(act.high):
        return tuple(float(v) for v in rng.choice([act.low, act.high], count))
    return _round(rng.uniform(act.low, act.low + 2.0, count))


def _draw(base: LessonConfig, rng: np.random.Generator, name: str) -> LessonConfig:
    c, n = base.chain, base.network
    chain = ChainConfig(
        weights=_round(rng.uniform(*WEIGHT_RANGE, 3)),
        biases=_round(rng.uniform(*BIAS_RANGE, 3)),
        input=_round(rng.uniform(*INPUT_RANGE, 1))[0],
        target=_targets(rng, c.activation, 1)[0],
        activation=c.activation,
    )
    count = len(examples_of(base.examples).inputs)
    examples = ExamplesConfig(count=None, seed=None, inputs=_round(rng.uniform(*INPUT_RANGE, count)),
                              targets=_targets(rng, c.activation, count))
    shapes = list(zip(n.sizes[1:], n.sizes[:-1]))
    weights = tuple(tuple(_round(row) for row in rng.uniform(*WEIGHT_RANGE, shape)) for shape in shapes)
    biases = tuple(_round(rng.uniform(*BIAS_RANGE, rows)) for rows, _ in shapes)
    network = replace(
        n,
        input=_round(rng.uniform(*INPUT_RANGE, n.sizes[0])),
        weights=weights,
        biases=biases,
        target=_targets(rng, n.activation, n.sizes[-1]),
        focus=(int(rng.integers(n.sizes[-1])), int(rng.integers(n.sizes[-2]))),
        # one example: the worksheet's step of gradient descent is on this example's cost
        examples=0, inputs=None, targets=None,
    )
    return LessonConfig(path=name, chain=chain, examples=examples, network=network, descent=base.descent)


def _slopes_usable(cfg: LessonConfig) -> bool:
    """Whether every σ'(z) a question multiplies by is at least :data:`MIN_SLOPE`."""
    chain = chain_of(cfg.chain)
    many = network_of(cfg.network)
    slopes = [chain.net.activation.prime(np.array(chain.forward.z[1:]).ravel())]
    slopes += [many.net.activation.prime(z) for z in many.forward.z[1:]]
    ex = examples_of(cfg.examples)
    slopes += [chain.net.activation.prime(np.ravel(chain.net.forward(ex.inputs[:, None]).z[-1]))]
    return bool(min(float(np.min(s)) for s in slopes) >= MIN_SLOPE)


def student_config(base: LessonConfig, seed: int | list[int], name: str = "") -> LessonConfig:
    """The config of the student with ``seed``: the base's structure, numbers of its own.

    Draws again (from the same seed's stream) while a slope a question needs is nearly flat,
    at most :data:`ATTEMPTS` times. ``name`` becomes the config's ``path``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(ATTEMPTS):
        cfg = _draw(base, rng, name)
        if _slopes_usable(cfg):
            return cfg
    return cfg


def _numbers(cfg: LessonConfig) -> tuple:
    """Every number a student is given: two students with equal ones would share answers."""
    c, e, n = cfg.chain, cfg.examples, cfg.network
    return (c.weights, c.biases, c.input, c.target, e.inputs, e.targets, n.input, n.weights, n.biases, n.target)


def class_configs(base: LessonConfig, students: int, seed: int) -> list[LessonConfig]:
    """The configs of a class: student i from :func:`student_seed` (seed, i), named ``"01"``, ...

    Every section a student is given numbers in differs between any two students (the chain,
    the examples, the network): a draw that repeats one of an earlier student's is drawn again.
    """
    check_class(students, seed)
    width = max(2, len(str(students)))
    configs: list[LessonConfig] = []
    seen: list[set] = [set(), set(), set()]
    for i in range(students):
        rng_seed = student_seed(seed, i)
        attempt = 0
        while True:
            cfg = student_config(base, rng_seed if attempt == 0 else [rng_seed, attempt], f"{i + 1:0{width}}")
            parts = _numbers(cfg)
            sections = (parts[0:4], parts[4:6], parts[6:])
            if not any(s in seen[k] for k, s in enumerate(sections)):
                break
            attempt += 1
        for k, s in enumerate(sections):
            seen[k].add(s)
        configs.append(cfg)
    return configs


def _toml(value) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.2f}"  # every drawn number has two decimals
        return text if float(text) == value else repr(value)
    return "[" + ", ".join(_toml(v) for v in value) + "]"


def config_toml(cfg: LessonConfig, title: str = "") -> str:
    """The TOML text of a student's config: every number written out, readable by
    :func:`lessonmodel.config.load_config` (which gives this same config back)."""
    c, e, n, d = cfg.chain, cfg.examples, cfg.network, cfg.descent
    tables = {
        "chain": {"weights": c.weights, "biases": c.biases, "input": c.input, "target": c.target,
                  "activation": c.activation},
        "examples": {"inputs": e.inputs, "targets": e.targets},
        "network": {"sizes": list(n.sizes), "seed": n.seed, "activation": n.activation, "target": n.target,
                    "focus": list(n.focus), "input": n.input, "weights": n.weights, "biases": n.biases,
                    **({"inputs": n.inputs, "targets": n.targets} if n.inputs is not None
                       else {"examples": n.examples})},
        "descent": {"learning_rate": d.learning_rate, "steps": d.steps},
    }
    lines = [f"# {title}"] if title else []
    for section, table in tables.items():
        lines += ["", f"[{section}]"] + [f"{key} = {_toml(value)}" for key, value in table.items()]
    return "\n".join(lines).lstrip("\n") + "\n"


# --- the worksheet's questions and their answers ---------------------------------------------


class Combine(enum.Enum):
    """How an answer is made from its operands (the worked solution shows this)."""

    SAME = "same"  # the value of its one operand (∂z/∂w = a(l-1))
    AFFINE = "affine"  # z = Σ w·a + b: operands w1, a1, w2, a2, ..., b
    ACTIVATE = "activate"  # a = σ(z)
    SLOPE = "slope"  # σ'(z)
    COST = "cost"  # Σ (a - y)^2: operands a1, y1, a2, y2, ...
    ERROR = "error"  # 2(a - y)
    PRODUCT = "product"
    SUM = "sum"
    MEAN = "mean"
    STEP = "step"  # w - η g: operands w, η, g


@dataclass(frozen=True)
class InExample:
    """``quantity`` of the chain run on training example ``example`` (example 0 is the chain's
    own, 1, 2, ... the [examples]): ``a(2) | example 1``."""

    quantity: Quantity
    example: int

    def __str__(self) -> str:
        return f"{self.quantity} | example {self.example}"


Name = Quantity | InExample
"""The name of an answer or operand: a name of :mod:`lessonmodel.names`, or one in an example."""


@dataclass(frozen=True)
class Operand:
    """One number an answer is made from; ``name`` as in :mod:`lessonmodel.values`, ``given`` if
    the worksheet prints it (a parameter, an input, a target, the learning rate)."""

    name: Name
    symbol: Math
    value: float
    given: bool = False


@dataclass(frozen=True)
class Answer:
    """One value a question asks for, with what it is made from and how; ``formula``: its general
    form, when the worked solution shows one (a(L-1) σ'(z(L)) 2(a(L) - y))."""

    name: Name
    symbol: Math
    value: float
    combine: Combine
    operands: tuple[Operand, ...]
    formula: Math | None = None


@dataclass(frozen=True)
class Question:
    """A worksheet question: its text (prose and formulas) and the answers it asks for."""

    title: str
    text: Line
    answers: tuple[Answer, ...]


def _chain_questions(cfg: LessonConfig) -> list[Question]:
    chain = chain_of(cfg.chain)
    L = chain.depth
    named = chain.named() | chain_factors_named(chain)
    sigma = activation_notation(cfg.chain.activation)

    def s(name: Symbol) -> Math:
        return symbol(name, L)

    def op(name: Quantity, given: bool = False) -> Operand:
        return Operand(name, quantity(name, L), named[name], given)

    def ans(name: Quantity, combine: Combine, operands, formula: Math | None = None) -> Answer:
        return Answer(name, quantity(name, L), named[name], combine, tuple(operands), formula)

    forward = []
    for l in range(1, L + 1):
        a_prev = op(activation(l - 1), given=l == 1)
        forward.append(ans(weighted_sum(l), Combine.AFFINE, [op(weight(l), True), a_prev, op(bias(l), True)]))
        forward.append(ans(activation(l), Combine.ACTIVATE, [op(weighted_sum(l))]))
    forward.append(ans(C0, Combine.COST, [op(activation(L)), op(target(), True)]))

    def factors_answer(name: Derivative, path: list[tuple[nncore.PathFactor, Derivative]]) -> Answer:
        given = (nncore.FactorKind.DZ_DB, nncore.FactorKind.DZ_DA)  # 1 and w(l): printed on the sheet
        operands = [Operand(n, quantity(n, L), f.value, f.kind in given) for f, n in path]
        return ans(name, Combine.PRODUCT, operands)

    f_w = derivative(weighted_sum(L), weight(L))
    f_b = derivative(weighted_sum(L), bias(L))
    f_a = derivative(weighted_sum(L), activation(L - 1))
    slope, error = derivative(activation(L), weighted_sum(L)), derivative(C0, activation(L))
    factor_answers = [
        ans(f_w, Combine.SAME, [op(activation(L - 1))]),
        ans(slope, Combine.SLOPE, [op(weighted_sum(L))]),
        ans(error, Combine.ERROR, [op(activation(L)), op(target(), True)]),
        ans(derivative(C0, weight(L)), Combine.PRODUCT, [op(f_w), op(slope), op(error)]),
    ]
    others = [
        ans(derivative(C0, bias(L)), Combine.PRODUCT, [op(f_b, True), op(slope), op(error)]),
        ans(derivative(C0, activation(L - 1)), Combine.PRODUCT, [op(f_a, True), op(slope), op(error)]),
    ]
    longest = factors_answer(derivative(C0, weight(1)), chain_path(chain, 1))
    z, w, a, b = (general(letter, "l") for letter in "zwab")
    rule = Eq(quantity(derivative(C0, weight(L)), L),
              Product(*(quantity(n, L) for n in (f_w, slope, error))))
    return [
        Question("The chain, forward", Line(
            "Compute ", Eq(z, add(Product(w, general("a", "l-1"), op=""), b)), " and ", Eq(a, sigma.of(z)),
            " for every layer ", Lit("l"), ", from the input ", s(activation(0)), ", then the cost ",
            Eq(s(C0), squared_error(s(activation(L)), s(target()))), "."), tuple(forward)),
        Question("The chain rule for the last weight", Line(
            rule, ". Compute each factor, then the product."), tuple(factor_answers)),
        Question("The bias and the previous activation", Line(
            "Swap the first factor: compute ", quantity(derivative(C0, bias(L)), L), " and ",
            quantity(derivative(C0, activation(L - 1)), L), "."), tuple(others)),
        Question("Back through the whole chain", Line(
            "Compute ", quantity(derivative(C0, weight(1)), L), " as one product of factors along the chain, "
            "from ", s(weight(1)), " up to the cost."), (longest,)),
    ]


def _many_questions(cfg: LessonConfig) -> list[Question]:
    many = network_of(cfg.network)
    named = many_named(many)
    L = many.net.depth
    forward = _network_forward(many, named)
    weight_qs, paths = _network_paths(cfg, many, named)
    return [
        Question("The network, forward", Line(
            "In the network, compute ", _general_affine("L"), " and ",
            Eq(general("a", "l", "j"), activation_notation(cfg.network.activation).of(general("z", "l", "j"))),
            " for every neuron, then ", Eq(symbol(C0, L), SumOver(squared_error(general("a", "L", "j"),
                                                                                general("y", sub="j")), "j")),
            "."), tuple(forward)),
        Question("One weight of many", Line(
            "Compute ", Eq(weight_qs[-1].symbol, weight_qs[-1].formula), ": each factor, then the product."),
            tuple(weight_qs)),
        Question("The sum over paths", Line(
            symbol(activation(L - 1, many.focus[1]), L), " reaches the cost through every neuron ", Lit("j"),
            " of layer ", Lit("L"), ". Compute ", Eq(paths[-1].symbol, paths[-1].formula),
            ": one term per path, then their sum."), tuple(paths)),
        _step_question(cfg, many, named, weight_qs[-1]),
    ]


def _general_affine(layer: str) -> Eq:
    """z_j(l) = Σ_k w_jk(l) a_k(l-1) + b_j(l)."""
    return Eq(general("z", "l", "j"), add(SumOver(Product(general("w", "l", "j k"), general("a", "l-1", "k"), op=""),
                                                  "k"), general("b", "l", "j")))


def _network_forward(many, named) -> list[Answer]:
    """z_j(l) and a_j(l) of every neuron, then the cost: the network's forward pass."""
    net, L = many.net, many.net.depth

    def op(name: Quantity, given: bool = False) -> Operand:
        return Operand(name, quantity(name, L), named[name], given)

    def ans(name: Quantity, combine: Combine, operands) -> Answer:
        return Answer(name, quantity(name, L), named[name], combine, tuple(operands))

    forward = []
    for l in range(1, L + 1):
        for i in range(net.sizes[l]):
            pairs = []
            for m in range(net.sizes[l - 1]):
                pairs += [op(weight(l, i, m), True), op(activation(l - 1, m), given=l == 1)]
            forward.append(ans(weighted_sum(l, i), Combine.AFFINE, pairs + [op(bias(l, i), True)]))
            forward.append(ans(activation(l, i), Combine.ACTIVATE, [op(weighted_sum(l, i))]))
    cost_ops = []
    for i in range(net.sizes[L]):
        cost_ops += [op(activation(L, i)), op(target(i), True)]
    forward.append(ans(C0, Combine.COST, cost_ops))
    return forward


def _network_paths(cfg: LessonConfig, many, named) -> tuple[list[Answer], list[Answer]]:
    """The answers of ∂C0/∂w_jk(L) (its slope, error and product) and of ∂C0/∂a_k(L-1) as a sum
    over paths (each path's slope, error and term, then the sum)."""
    net, L = many.net, many.net.depth
    j, k = many.focus
    sigma = activation_notation(cfg.network.activation)

    def s(name: Symbol) -> Math:
        return symbol(name, L)

    def op(name: Quantity, given: bool = False) -> Operand:
        return Operand(name, quantity(name, L), named[name], given)

    def ans(name: Quantity, combine: Combine, operands, formula: Math | None = None) -> Answer:
        return Answer(name, quantity(name, L), named[name], combine, tuple(operands), formula)

    def slope(i: int) -> Answer:
        return ans(derivative(activation(L, i), weighted_sum(L, i)), Combine.SLOPE, [op(weighted_sum(L, i))])

    def error(i: int) -> Answer:
        return ans(derivative(C0, activation(L, i)), Combine.ERROR, [op(activation(L, i)), op(target(i), True)])

    def as_op(a: Answer, given: bool = False) -> Operand:
        return Operand(a.name, a.symbol, a.value, given)

    def path(i: int) -> Product:
        """w_ik(L) σ'(z_i(L)) · 2(a_i(L) - y_i): the general form of one factor product."""
        return Product(Product(s(weight(L, i, k)), sigma.slope(s(weighted_sum(L, i))), op=""),
                       cost_derivative(s(activation(L, i)), s(target(i))))

    w_jk, a_k = weight(L, j, k), activation(L - 1, k)
    general_weight = Product(Product(s(a_k), sigma.slope(s(weighted_sum(L, j))), op=""),
                             cost_derivative(s(activation(L, j)), s(target(j))))
    weight_qs = [slope(j), error(j)]
    weight_qs.append(ans(derivative(C0, w_jk), Combine.PRODUCT, [op(a_k), *map(as_op, weight_qs)], general_weight))
    paths, terms = [], []
    total = derivative(C0, a_k)
    for i in range(net.sizes[L]):
        if i != j:
            paths += [slope(i), error(i)]
        term = ans(path_term(total, i), Combine.PRODUCT, [op(weight(L, i, k), True), as_op(slope(i)), as_op(error(i))],
                   path(i))
        paths.append(replace(term, symbol=Row(Eq(Lit("j"), Lit(str(i))), path(i), sep=": ")))
        terms.append(as_op(paths[-1]))
    sum_form = SumOver(Product(Product(general("w", "L", f"j {k}"), sigma.slope(general("z", "L", "j")), op=""),
                               cost_derivative(general("a", "L", "j"), general("y", sub="j"))), "j")
    paths.append(ans(total, Combine.SUM, terms, sum_form))
    return weight_qs, paths


def _step_question(cfg: LessonConfig, many, named, weight_answer: Answer) -> Question:
    """One step of gradient descent on the example: the new w_jk(L), ∂C0/∂b_j(L) and the new b_j(L)."""
    net, L = many.net, many.net.depth
    j, k = many.focus
    step = nncore.gradient_descent(net, many.x, many.y, cfg.descent.learning_rate, 1).networks[1]
    eta = Operand(LEARNING_RATE, ETA, cfg.descent.learning_rate, True)
    w_jk, b_j = weight(L, j, k), bias(L, j)
    slope_, error_ = weight_answer.operands[1:]
    dz_db = derivative(weighted_sum(L, j), b_j)
    bias_grad = Answer(derivative(C0, b_j), quantity(derivative(C0, b_j), L), named[derivative(C0, b_j)],
                       Combine.PRODUCT, (Operand(dz_db, Lit("1"), 1.0, True), slope_, error_))

    def stepped(name: Symbol) -> Math:
        return Terms((("", symbol(name, L)), ("-", Product(ETA, quantity(derivative(C0, name), L), op=""))))

    def as_op(a: Answer) -> Operand:
        return Operand(a.name, a.symbol, a.value)

    w_given = Operand(w_jk, symbol(w_jk, L), named[w_jk], True)
    b_given = Operand(b_j, symbol(b_j, L), named[b_j], True)
    after = (
        Answer(after_steps(w_jk, 1), stepped(w_jk), float(step.weights[L - 1][j, k]), Combine.STEP,
               (w_given, eta, as_op(weight_answer))),
        bias_grad,
        Answer(after_steps(b_j, 1), stepped(b_j), float(step.biases[L - 1][j]), Combine.STEP,
               (b_given, eta, as_op(bias_grad))),
    )
    return Question("One step of gradient descent", Line(
        "With learning rate ", Eq(ETA, Lit(f"{cfg.descent.learning_rate:.2f}")), ", take one step downhill on "
        "this example: the new ", symbol(w_jk, L), ", then ", quantity(derivative(C0, b_j), L), " and the new ",
        symbol(b_j, L), "."), after)


def _examples_question(cfg: LessonConfig, chain: Chain) -> Question:
    ex = training_set_of(cfg.chain, cfg.examples)  # example 0 is the chain's own
    L = chain.depth
    avg = examples_named(chain, ex)
    sigma = activation_notation(cfg.chain.activation)
    a_prev, slope_name = symbol(activation(L - 1), L), derivative(activation(L), weighted_sum(L))
    own_formula = Product(Product(a_prev, sigma.slope(symbol(weighted_sum(L), L)), op=""),
                          cost_derivative(symbol(activation(L), L), general("y", sub="k")))
    per_example = []
    for i, (x, y) in enumerate(zip(ex.inputs, ex.targets)):
        f = nncore.weight_factors(chain.net, [x], [y])
        own = derivative(cost(i), weight(L))
        per_example.append(Answer(
            InExample(own, i), quantity(own, L), avg[own], Combine.PRODUCT,
            (Operand(InExample(activation(L - 1), i), a_prev, f.first),
             Operand(InExample(slope_name, i), quantity(slope_name, L), f.da_dz),
             Operand(InExample(derivative(C0, activation(L)), i),
                     cost_derivative(symbol(activation(L), L), symbol(target(example=i))), f.dc_da)),
            own_formula))
    mean_name = derivative(AVERAGE_COST, weight(L))
    mean = Answer(mean_name, quantity(mean_name, L), avg[mean_name], Combine.MEAN,
                  tuple(Operand(a.name, a.symbol, a.value) for a in per_example))
    n = len(ex.inputs)
    each = Partial(general("C", sub="k", color="C"), symbol(weight(L), L))
    return Question("The average over the examples", Line(
        f"The chain has {n} training examples ", Paren(Row(general("x", sub="k"), general("y", sub="k"), sep=", ")),
        " (in the table; example 0 is the one above). For each, run the chain forward from ",
        Eq(symbol(activation(0), L), general("x", sub="k")), " and compute ", each,
        "; then the derivative of the average cost, ",
        Eq(quantity(mean_name, L), Product(Frac("1", str(n)), SumOver(each, "k"), op="")), "."),
        tuple(per_example) + (mean,))


def questions_of(cfg: LessonConfig) -> list[Question]:
    """The worksheet's questions for ``cfg``, in the lesson's order, with their answers: the chain
    forward, the three factors of ∂C0/∂w(L), ∂C0/∂b(L) and ∂C0/∂a(L-1), ∂C0/∂w(1) back through
    the chain, the average over the examples, the network forward, ∂C0/∂w_jk(L), ∂C0/∂a_k(L-1)
    as a sum over paths, and one step of gradient descent."""
    chain = chain_of(cfg.chain)
    chain_qs = _chain_questions(cfg)
    return chain_qs + [_examples_question(cfg, chain)] + _many_questions(cfg)


# --- worked solutions ------------------------------------------------------------------------------

ANSWER_DECIMALS = 4
GIVEN_DECIMALS = 2
LONG_PRODUCT = 4  # factors: a longer product puts its numbers on a line of their own


def _number(operand: Operand | Answer) -> Num:
    """An operand as the answer key writes it: two decimals if given, four if computed."""
    given = isinstance(operand, Operand) and operand.given
    return Num(None, operand.value, GIVEN_DECIMALS if given else ANSWER_DECIMALS)


def worked(answer: Answer, activation_name: str) -> Math:
    """The worked solution of ``answer``: its symbol = the formula with the numbers = its value
    (for the answer key; long products on two lines, Typst's alignment ``&=``)."""
    ops, value = answer.operands, _number(answer)
    sigma = activation_notation(activation_name)
    n = [_number(o) for o in ops]
    match answer.combine:
        case Combine.SAME:
            return Eq(answer.symbol, ops[0].symbol, value)
        case Combine.AFFINE:
            pairs = [Product(w, a) for w, a in zip(n[:-1:2], n[1:-1:2])]
            return Eq(answer.symbol, add(*pairs, n[-1]), value)
        case Combine.ACTIVATE:
            return Eq(answer.symbol, sigma.of(n[0]), value)
        case Combine.SLOPE:
            return Eq(answer.symbol, sigma.slope(ops[0].symbol), sigma.slope(n[0]), value)
        case Combine.COST:
            return Eq(answer.symbol, add(*(squared_error(a, y) for a, y in zip(n[::2], n[1::2]))), value)
        case Combine.ERROR:
            return Eq(answer.symbol, cost_derivative(ops[0].symbol, ops[1].symbol), cost_derivative(n[0], n[1]), value)
        case Combine.PRODUCT:
            symbols = answer.formula or Product(*(o.symbol for o in ops))
            if len(ops) > LONG_PRODUCT:  # the numbers on a line of their own, not wrapped mid-product
                return Row(answer.symbol, Lit("&="), symbols, Lit("\\"), Lit("&="), Eq(Product(*n), value))
            return Eq(answer.symbol, symbols, Product(*n), value)
        case Combine.SUM:
            return Eq(answer.symbol, add(*n), value)
        case Combine.MEAN:
            return Eq(answer.symbol, Product(Frac("1", str(len(ops))), Paren(add(*n)), op=""), value)
        case Combine.STEP:
            w, eta, g = n
            return Eq(answer.symbol, Terms((("", w), ("-", Product(eta, g)))), value)
    raise ValueError(f"no worked form for {answer.combine}")
