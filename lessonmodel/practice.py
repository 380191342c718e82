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
    NetworkConfig,
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
    SOFTMAX,
    Activation,
    activation_notation,
    cost_notation,
    general,
    output_notation,
    quantity,
    symbol,
)
from lessonmodel.notation import Cost as CostNotation
from lessonmodel.values import (
    Chain,
    ManyNeurons,
    Named,
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
    "as_operand",
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
    """Targets the output ``function`` can reach: its two ends (sigmoid 0 or 1, tanh -1 or 1), for
    ReLU, with no upper end, a value in [0, 2], for a softmax one-hot (a probability vector)."""
    if function == "softmax":
        hot = int(rng.integers(count))
        return tuple(float(i == hot) for i in range(count))
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
        cost=c.cost,
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
        target=_targets(rng, n.output_layer, n.sizes[-1]),
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
    slopes += list(many.forward.slopes[1:])  # each layer's own: the output's may differ
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
                  "activation": c.activation, "cost": c.cost},
        "examples": {"inputs": e.inputs, "targets": e.targets},
        "network": {"sizes": list(n.sizes), "seed": n.seed, "activation": n.activation, "output": n.output_layer,
                    "cost": n.cost, "target": n.target, "focus": list(n.focus), "input": n.input,
                    "weights": n.weights, "biases": n.biases,
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
    SOFTMAX = "softmax"  # a_j = e^(z_j) / Σ_i e^(z_i): operands z_0, z_1, ... of the layer
    SLOPE = "slope"  # σ'(z)
    COST = "cost"  # C0 over the outputs, e.g. Σ (a - y)^2: operands a1, y1, a2, y2, ...
    ERROR = "error"  # ∂C0/∂a, the cost's derivative, e.g. 2(a - y): operands a, y
    OUTPUT_ERROR = "output error"  # ∂C0/∂z = a - y, where the cost cancels the output's slope: operands a, y
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
    form, when the worked solution shows one (a(L-1) σ'(z(L)) 2(a(L) - y)); ``function``: the
    activation or output (``"sigmoid"``, ``"softmax"``, ...) an ACTIVATE, SOFTMAX or SLOPE answer
    applies, the nncore cost (``"squared"``, ``"binary_cross_entropy"``, ...) of a COST, ERROR or
    OUTPUT_ERROR answer."""

    name: Name
    symbol: Math
    value: float
    combine: Combine
    operands: tuple[Operand, ...]
    formula: Math | None = None
    function: str | None = None


@dataclass(frozen=True)
class Question:
    """A worksheet question: its text (prose and formulas) and the answers it asks for."""

    title: str
    text: Line
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class _Sheet:
    """The named values one part of the worksheet (the chain, or the network of depth L) takes
    its answers and operands from."""

    named: dict
    depth: int

    def s(self, name: Symbol) -> Math:
        return symbol(name, self.depth)

    def q(self, name: Quantity) -> Math:
        return quantity(name, self.depth)

    def op(self, name: Quantity, given: bool = False) -> Operand:
        return Operand(name, self.q(name), self.named[name], given)

    def ans(self, name: Quantity, combine: Combine, operands, formula: Math | None = None,
            function: str | None = None) -> Answer:
        return Answer(name, self.q(name), self.named[name], combine, tuple(operands), formula, function)


def as_operand(answer: Answer, given: bool = False) -> Operand:
    """An answer as an operand of a later answer."""
    return Operand(answer.name, answer.symbol, answer.value, given)


def _path_form(first: Math, parts: list[Math]) -> Product:
    """A path's general form: first σ'(z) · ∂C0/∂a (the slope and the cost's derivative), or
    first (a - y) where the cost cancels the slope (``parts`` holds the output error alone)."""
    if len(parts) == 1:
        return Product(first, Paren(parts[0]), op="")
    return Product(Product(first, parts[0], op=""), parts[1])


def _output_parts(sigma: Activation, cost: CostNotation, a: Math, y: Math, z: Math) -> list[Math]:
    """What an output neuron gives each path through it, in general form: its slope σ'(z) and
    the cost's derivative, or the output error a - y they cancel to."""
    return [cost.output_error(a, y)] if cost.simplifies else [sigma.slope(z), cost.derivative(a, y)]


def _chain_forward(sheet: _Sheet, cfg: ChainConfig, cost: str) -> list[Answer]:
    """z(l) and a(l) of every layer, then the cost: the chain's forward pass."""
    L, forward = sheet.depth, []
    for l in range(1, L + 1):
        a_prev = sheet.op(activation(l - 1), given=l == 1)
        forward.append(sheet.ans(weighted_sum(l), Combine.AFFINE,
                                 [sheet.op(weight(l), True), a_prev, sheet.op(bias(l), True)]))
        forward.append(sheet.ans(activation(l), Combine.ACTIVATE, [sheet.op(weighted_sum(l))],
                                 function=cfg.activation))
    forward.append(sheet.ans(C0, Combine.COST, [sheet.op(activation(L)), sheet.op(target(), True)], function=cost))
    return forward


def _chain_last_layer(sheet: _Sheet, cfg: ChainConfig, chain: Chain) -> tuple[list[Answer], list[Answer], Line]:
    """∂C0/∂w(L) factor by factor (where the cost cancels σ'(z(L)), the output error they make
    too), ∂C0/∂b(L) and ∂C0/∂a(L-1); and the text of the question about ∂C0/∂w(L)."""
    L, cost_name = sheet.depth, chain.net.cost_function.name
    f_w = derivative(weighted_sum(L), weight(L))
    slope, error = derivative(activation(L), weighted_sum(L)), derivative(C0, activation(L))
    y_op = sheet.op(target(), True)
    factors = [
        sheet.ans(f_w, Combine.SAME, [sheet.op(activation(L - 1))]),
        sheet.ans(slope, Combine.SLOPE, [sheet.op(weighted_sum(L))], function=cfg.activation),
        sheet.ans(error, Combine.ERROR, [sheet.op(activation(L)), y_op], function=cost_name),
    ]
    rule = Eq(sheet.q(derivative(C0, weight(L))), Product(*(sheet.q(n) for n in (f_w, slope, error))))
    text = Line(rule, ". Compute each factor, then the product.")
    tail = [sheet.op(slope), sheet.op(error)]
    if chain.net.slope_cancels:
        dc_dz = derivative(C0, weighted_sum(L))
        through = Product(sheet.q(slope), sheet.q(error))
        error_form = cost_notation(chain.net.cost_function).output_error(sheet.s(activation(L)), sheet.s(target()))
        factors.append(sheet.ans(dc_dz, Combine.OUTPUT_ERROR, [sheet.op(activation(L)), y_op], through, cost_name))
        tail = [sheet.op(dc_dz)]
        text = Line(rule, ". Compute each factor; then ", Eq(sheet.q(dc_dz), through),
                    ", where the slope cancels (check it against ", error_form,
                    "); then the product ", Eq(sheet.q(derivative(C0, weight(L))), Product(sheet.q(f_w),
                                                                                            sheet.q(dc_dz))), ".")
    factors.append(sheet.ans(derivative(C0, weight(L)), Combine.PRODUCT, [sheet.op(f_w), *tail]))
    others = [
        sheet.ans(derivative(C0, bias(L)), Combine.PRODUCT,
                  [sheet.op(derivative(weighted_sum(L), bias(L)), True), *tail]),
        sheet.ans(derivative(C0, activation(L - 1)), Combine.PRODUCT,
                  [sheet.op(derivative(weighted_sum(L), activation(L - 1)), True), *tail]),
    ]
    return factors, others, text


def _chain_questions(cfg: LessonConfig) -> list[Question]:
    chain = chain_of(cfg.chain)
    L = chain.depth
    sheet = _Sheet(chain.named() | chain_factors_named(chain), L)
    sigma, cost = activation_notation(cfg.chain.activation), cost_notation(chain.net.cost_function)
    forward = _chain_forward(sheet, cfg.chain, chain.net.cost_function.name)
    factor_answers, others, rule_text = _chain_last_layer(sheet, cfg.chain, chain)
    given = (nncore.FactorKind.DZ_DB, nncore.FactorKind.DZ_DA)  # 1 and w(l): printed on the sheet
    path = chain_path(chain, 1)
    longest = sheet.ans(derivative(C0, weight(1)), Combine.PRODUCT,
                        [Operand(n, sheet.q(n), f.value, f.kind in given) for f, n in path])
    z, w, a, b = (general(letter, "l") for letter in "zwab")
    return [
        Question("The chain, forward", Line(
            "Compute ", Eq(z, add(Product(w, general("a", "l-1"), op=""), b)), " and ", Eq(a, sigma.of(z)),
            " for every layer ", Lit("l"), ", from the input ", sheet.s(activation(0)), ", then the cost ",
            Eq(sheet.s(C0), cost.share(sheet.s(activation(L)), sheet.s(target()))), "."), tuple(forward)),
        Question("The chain rule for the last weight", rule_text, tuple(factor_answers)),
        Question("The bias and the previous activation", Line(
            "Swap the first factor: compute ", sheet.q(derivative(C0, bias(L))), " and ",
            sheet.q(derivative(C0, activation(L - 1))), "."), tuple(others)),
        Question("Back through the whole chain", Line(
            "Compute ", sheet.q(derivative(C0, weight(1))), " as one product of factors along the chain, "
            "from ", sheet.s(weight(1)), " up to the cost."), (longest,)),
    ]


def _many_questions(cfg: LessonConfig) -> list[Question]:
    many = network_of(cfg.network)
    sheet = _Sheet(many_named(many), many.net.depth)
    forward = _network_forward(sheet, many, cfg.network)
    weight_qs, paths = _network_paths(sheet, many, cfg.network)
    L = many.net.depth
    return [
        Question("The network, forward", _network_forward_text(many, cfg.network), tuple(forward)),
        Question("One weight of many", Line(
            "Compute ", Eq(weight_qs[-1].symbol, weight_qs[-1].formula), ": each factor, then the product."),
            tuple(weight_qs)),
        Question("The sum over paths", Line(
            symbol(activation(L - 1, many.focus[1]), L), " reaches the cost through every neuron ", Lit("j"),
            " of layer ", Lit("L"), ". Compute ", Eq(paths[-1].symbol, paths[-1].formula),
            ": one term per path, then their sum."), tuple(paths)),
        _step_question(cfg, many, sheet.named, weight_qs[-1]),
    ]


def _network_forward_text(many: ManyNeurons, cfg: NetworkConfig) -> Line:
    """The network's forward question: z_j(l), a_j(l) (the output's own a_j(L) where the output
    layer differs), then the cost over the outputs."""
    a_j, z_j = general("a", "l", "j"), general("z", "l", "j")
    hidden = Eq(a_j, activation_notation(cfg.activation).of(z_j))
    if cfg.output_layer == cfg.activation:
        layers: tuple = (hidden, " for every neuron")
    else:
        z_L = general("z", "L", "j")
        out = (SOFTMAX.general(z_L, general("z", "L", "i")) if cfg.output_layer == "softmax"
               else output_notation(cfg.output_layer).of(z_L))
        layers = (hidden, " in the hidden layers and ", Eq(general("a", "L", "j"), out), " at the output")
    cost = cost_notation(many.net.cost_function).summed(general("a", "L", "j"), general("y", sub="j"))
    return Line("In the network, compute ", _general_affine("L"), " and ", *layers, ", then ",
                Eq(symbol(C0, many.net.depth), cost), ".")


def _general_affine(layer: str) -> Eq:
    """z_j(l) = Σ_k w_jk(l) a_k(l-1) + b_j(l)."""
    return Eq(general("z", "l", "j"), add(SumOver(Product(general("w", "l", "j k"), general("a", "l-1", "k"), op=""),
                                                  "k"), general("b", "l", "j")))


def _network_forward(sheet: _Sheet, many: ManyNeurons, cfg: NetworkConfig) -> list[Answer]:
    """z_j(l) and a_j(l) of every neuron (a softmax's a_j(L) after every z_i(L) of its layer), then
    the cost: the network's forward pass."""
    net, L = many.net, many.net.depth
    forward = []
    for l in range(1, L + 1):
        function = net.layer_activation(l).name
        sums = []
        for i in range(net.sizes[l]):
            pairs = []
            for m in range(net.sizes[l - 1]):
                pairs += [sheet.op(weight(l, i, m), True), sheet.op(activation(l - 1, m), given=l == 1)]
            sums.append(sheet.ans(weighted_sum(l, i), Combine.AFFINE, pairs + [sheet.op(bias(l, i), True)]))
        if function == "softmax":
            zs = [sheet.op(weighted_sum(l, m)) for m in range(net.sizes[l])]
            forward += sums + [sheet.ans(activation(l, i), Combine.SOFTMAX, zs, function=function)
                               for i in range(net.sizes[l])]
            continue
        for i, z_answer in enumerate(sums):
            forward += [z_answer, sheet.ans(activation(l, i), Combine.ACTIVATE, [sheet.op(weighted_sum(l, i))],
                                            function=function)]
    cost_ops = []
    for i in range(net.sizes[L]):
        cost_ops += [sheet.op(activation(L, i)), sheet.op(target(i), True)]
    forward.append(sheet.ans(C0, Combine.COST, cost_ops, function=net.cost_function.name))
    return forward


def _network_paths(sheet: _Sheet, many: ManyNeurons, cfg: NetworkConfig) -> tuple[list[Answer], list[Answer]]:
    """The answers of ∂C0/∂w_jk(L) (the output neuron's parts, then the product) and of
    ∂C0/∂a_k(L-1) as a sum over paths (each path's parts and term, then the sum). An output
    neuron's parts are its slope σ'(z_i(L)) and ∂C0/∂a_i(L), or, where the cost cancels the
    slope, the one ∂C0/∂z_i(L) = a_i(L) - y_i."""
    net, L, s = many.net, many.net.depth, sheet.s
    j, k = many.focus
    sigma, cost = output_notation(cfg.output_layer), cost_notation(net.cost_function)

    def parts(i: int) -> list[Answer]:
        a_i, y_i = sheet.op(activation(L, i)), sheet.op(target(i), True)
        if cost.simplifies:
            return [sheet.ans(derivative(C0, weighted_sum(L, i)), Combine.OUTPUT_ERROR, [a_i, y_i],
                              function=net.cost_function.name)]
        return [sheet.ans(derivative(activation(L, i), weighted_sum(L, i)), Combine.SLOPE,
                          [sheet.op(weighted_sum(L, i))], function=cfg.output_layer),
                sheet.ans(derivative(C0, activation(L, i)), Combine.ERROR, [a_i, y_i],
                          function=net.cost_function.name)]

    def form(first: Math, i: int | str) -> Product:
        """The general form of a path through output neuron i (a number, or the letter of any)."""
        if isinstance(i, int):
            a_i, y_i, z_i = s(activation(L, i)), s(target(i)), s(weighted_sum(L, i))
        else:
            a_i, y_i, z_i = general("a", "L", i), general("y", sub=i), general("z", "L", i)
        return _path_form(first, _output_parts(sigma, cost, a_i, y_i, z_i))

    w_jk, a_k = weight(L, j, k), activation(L - 1, k)
    weight_qs = parts(j)
    weight_qs.append(sheet.ans(derivative(C0, w_jk), Combine.PRODUCT, [sheet.op(a_k), *map(as_operand, weight_qs)],
                               form(s(a_k), j)))
    paths, terms = [], []
    total = derivative(C0, a_k)
    for i in range(net.sizes[L]):
        own = parts(i)
        if i != j:
            paths += own
        term = sheet.ans(path_term(total, i), Combine.PRODUCT,
                         [sheet.op(weight(L, i, k), True), *map(as_operand, own)], form(s(weight(L, i, k)), i))
        paths.append(replace(term, symbol=Row(Eq(Lit("j"), Lit(str(i))), term.formula, sep=": ")))
        terms.append(as_operand(paths[-1]))
    paths.append(sheet.ans(total, Combine.SUM, terms, SumOver(form(general("w", "L", f"j {k}"), "j"), "j")))
    return weight_qs, paths


def _step_question(cfg: LessonConfig, many, named, weight_answer: Answer) -> Question:
    """One step of gradient descent on the example: the new w_jk(L), ∂C0/∂b_j(L) and the new b_j(L)."""
    net, L = many.net, many.net.depth
    j, k = many.focus
    step = nncore.gradient_descent(net, many.x, many.y, cfg.descent.learning_rate, 1).networks[1]
    eta = Operand(LEARNING_RATE, ETA, cfg.descent.learning_rate, True)
    w_jk, b_j = weight(L, j, k), bias(L, j)
    dz_db = derivative(weighted_sum(L, j), b_j)
    bias_grad = Answer(derivative(C0, b_j), quantity(derivative(C0, b_j), L), named[derivative(C0, b_j)],
                       Combine.PRODUCT, (Operand(dz_db, Lit("1"), 1.0, True), *weight_answer.operands[1:]))

    def stepped(name: Symbol) -> Math:
        return Terms((("", symbol(name, L)), ("-", Product(ETA, quantity(derivative(C0, name), L), op=""))))

    w_given = Operand(w_jk, symbol(w_jk, L), named[w_jk], True)
    b_given = Operand(b_j, symbol(b_j, L), named[b_j], True)
    after = (
        Answer(after_steps(w_jk, 1), stepped(w_jk), float(step.weights[L - 1][j, k]), Combine.STEP,
               (w_given, eta, as_operand(weight_answer))),
        bias_grad,
        Answer(after_steps(b_j, 1), stepped(b_j), float(step.biases[L - 1][j]), Combine.STEP,
               (b_given, eta, as_operand(bias_grad))),
    )
    return Question("One step of gradient descent", Line(
        "With learning rate ", Eq(ETA, Lit(f"{cfg.descent.learning_rate:.2f}")), ", take one step downhill on "
        "this example: the new ", symbol(w_jk, L), ", then ", quantity(derivative(C0, b_j), L), " and the new ",
        symbol(b_j, L), "."), after)


def _example_answer(chain: Chain, avg: Named, i: int, x: float, y: float) -> Answer:
    """∂C_i/∂w(L) of example i, from its factors: a(L-1), σ'(z(L)) and ∂C0/∂a(L), or a(L-1) and
    the output error a(L) - y_i where the cost cancels the slope."""
    L = chain.depth
    sigma, notation = activation_notation(chain.net.activation.name), cost_notation(chain.net.cost_function)
    a_prev, a_L, z_L = (symbol(q, L) for q in (activation(L - 1), activation(L), weighted_sum(L)))
    f = nncore.weight_factors(chain.net, [x], [y])
    own = derivative(cost(i), weight(L))
    operands = [Operand(InExample(activation(L - 1), i), a_prev, f.first)]
    if notation.simplifies:
        operands.append(Operand(InExample(derivative(C0, weighted_sum(L)), i),
                                notation.output_error(a_L, symbol(target(example=i))), f.output_error))
    else:
        slope_name = derivative(activation(L), weighted_sum(L))
        operands += [Operand(InExample(slope_name, i), quantity(slope_name, L), f.da_dz),
                     Operand(InExample(derivative(C0, activation(L)), i),
                             notation.derivative(a_L, symbol(target(example=i))), f.dc_da)]
    formula = _path_form(a_prev, _output_parts(sigma, notation, a_L, general("y", sub="k"), z_L))
    return Answer(InExample(own, i), quantity(own, L), avg[own], Combine.PRODUCT, tuple(operands), formula)


def _examples_question(cfg: LessonConfig, chain: Chain) -> Question:
    ex = training_set_of(cfg.chain, cfg.examples)  # example 0 is the chain's own
    L = chain.depth
    avg = examples_named(chain, ex)
    per_example = [_example_answer(chain, avg, i, x, y) for i, (x, y) in enumerate(zip(ex.inputs, ex.targets))]
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
    forward, the three factors of ∂C0/∂w(L) (and the output error they make where the cost
    cancels the slope), ∂C0/∂b(L) and ∂C0/∂a(L-1), ∂C0/∂w(1) back through the chain, the average
    over the examples, the network forward, ∂C0/∂w_jk(L), ∂C0/∂a_k(L-1) as a sum over paths, and
    one step of gradient descent. Every formula follows the config's costs and outputs."""
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


def _worked_function(answer: Answer, n: list[Num]) -> Math:
    """The worked solution of an answer that applies its ``function`` (an activation, the softmax,
    a cost): symbol = formula with the numbers = value."""
    ops, value = answer.operands, _number(answer)
    match answer.combine:
        case Combine.ACTIVATE:
            return Eq(answer.symbol, output_notation(answer.function).of(n[0]), value)
        case Combine.SOFTMAX:
            return Eq(answer.symbol, SOFTMAX.entry(n[answer.name.j], n), value)
        case Combine.SLOPE:
            sigma = output_notation(answer.function)
            return Eq(answer.symbol, sigma.slope(ops[0].symbol), sigma.slope(n[0]), value)
        case Combine.COST:
            return Eq(answer.symbol, cost_notation(answer.function).written_out(list(zip(n[::2], n[1::2]))), value)
        case Combine.ERROR:
            cost = cost_notation(answer.function)
            return Eq(answer.symbol, cost.derivative(ops[0].symbol, ops[1].symbol), cost.derivative(n[0], n[1]), value)
        case Combine.OUTPUT_ERROR:
            cost = cost_notation(answer.function)
            through = (answer.formula,) if answer.formula is not None else ()
            return Eq(answer.symbol, *through, cost.output_error(ops[0].symbol, ops[1].symbol),
                      cost.output_error(n[0], n[1]), value)
    raise ValueError(f"no worked form for {answer.combine}")


def worked(answer: Answer) -> Math:
    """The worked solution of ``answer``: its symbol = the formula with the numbers = its value
    (for the answer key; long products on two lines, Typst's alignment ``&=``)."""
    ops, value = answer.operands, _number(answer)
    n = [_number(o) for o in ops]
    match answer.combine:
        case Combine.SAME:
            return Eq(answer.symbol, ops[0].symbol, value)
        case Combine.AFFINE:
            pairs = [Product(w, a) for w, a in zip(n[:-1:2], n[1:-1:2])]
            return Eq(answer.symbol, add(*pairs, n[-1]), value)
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
    return _worked_function(answer, n)
