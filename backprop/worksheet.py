"""The practice documents, typeset with Typst: a worksheet per student and the class's answer key.

:func:`worksheet_pdf` draws the student's chain and network with their numbers (lines and
circles, edges coloured by the weight's sign and as wide as its size), lists the examples, and
asks the questions of :func:`lessonmodel.practice.questions_of` with a blank space for each
answer: none of the answers appears on it. :func:`answers_pdf` gives, per student, every answer
with its worked solution (the factors and their product, the terms and their sum), each number
from nncore. Answers have four decimals; the given numbers have the config's two.

Both are deterministic: the document date is none, so the same numbers give the same bytes.
"""

from __future__ import annotations

from lessonmodel.config import LessonConfig
from lessonmodel.fmt import typst_number
from lessonmodel.formula import Eq, Math, typst, typst_markup
from lessonmodel.names import activation, bias, net_input, target, weight
from lessonmodel.notation import activation_notation, cost_notation, general, layer_name, symbol
from lessonmodel.practice import ANSWER_DECIMALS, GIVEN_DECIMALS, Answer, Question, questions_of, worked
from lessonmodel.values import chain_of, network_of, training_set_of
from nncore import Network

__all__ = ["ANSWER_DECIMALS", "worksheet_source", "answers_source", "worksheet_pdf", "answers_pdf"]

COLORS = {"w+": "rgb(\"#3b78c4\")", "w-": "rgb(\"#c43b3b\")", "b": "rgb(\"#b0417a\")", "y": "rgb(\"#a88a00\")",
          "a": "black", "focus": "rgb(\"#e08a00\")"}

_PREAMBLE = """#set document(title: "{title}", date: none)
#set page(paper: "a4", margin: (x: 1.8cm, y: 1.6cm), numbering: "1")
#set text(size: 10pt)
#set par(justify: false)
#show heading: set block(above: 1.2em, below: 0.6em)
#let tall(body) = block(below: 0.9em, {{
  set text(top-edge: "bounds", bottom-edge: "bounds")  // lines as tall as their fractions
  body
}})
"""


def _given(value: float) -> str:
    return typst_number(value, GIVEN_DECIMALS)


def _math(m: Math) -> str:
    """Plain Typst math of a formula (the worksheet prints in black)."""
    return typst(m, groups=False)


def _labelled(m: Math, value: float) -> str:
    """``symbol = value`` as Typst math, the value as given (two decimals)."""
    return f"{_math(m)} = {_given(value)}"


# --- drawings ------------------------------------------------------------------------------------


def _place(x: float, y: float, body: str, width: float = 2.4) -> str:
    """``body`` centred on (x, y) (cm)."""
    return (f"#place(top + left, dx: {x - width / 2:.3f}cm, dy: {y - 0.25:.3f}cm, "
            f"box(width: {width}cm, height: 0.5cm, align(center + horizon)[{body}]))\n")


def _neuron(x: float, y: float, r: float, label: str = "", stroke: str = "black") -> str:
    out = f"#place(top + left, dx: {x - r:.3f}cm, dy: {y - r:.3f}cm, circle(radius: {r}cm, stroke: 0.8pt + {stroke}))\n"
    return out + (_place(x, y, label, 2 * r + 0.6) if label else "")


def _edge(x1: float, y1: float, x2: float, y2: float, w: float, highlight: bool = False) -> str:
    color = COLORS["focus"] if highlight else COLORS["w+" if w >= 0 else "w-"]
    width = 0.4 + 0.6 * min(abs(w), 3.0)
    return (f"#place(top + left, line(start: ({x1:.3f}cm, {y1:.3f}cm), end: ({x2:.3f}cm, {y2:.3f}cm), "
            f"stroke: {width:.2f}pt + {color}))\n")


def _chain_drawing(cfg: LessonConfig) -> str:
    chain = chain_of(cfg.chain)
    L, r, gap = chain.depth, 0.45, 4.0
    body = ""
    xs = [1.2 + gap * l for l in range(L + 1)]
    for l in range(1, L + 1):
        body += _edge(xs[l - 1] + r, 1.2, xs[l] - r, 1.2, chain.w(l))
        w_color = COLORS["w+" if chain.w(l) >= 0 else "w-"]
        body += _place((xs[l - 1] + xs[l]) / 2, 0.75,
                       f"#text(fill: {w_color})[${_labelled(symbol(weight(l), L), chain.w(l))}$]", 3)
        body += _place(xs[l], 2.0, f"#text(fill: {COLORS['b']})[${_labelled(symbol(bias(l), L), chain.b(l))}$]", 3)
    for l in range(L + 1):
        body += _neuron(xs[l], 1.2, r, f"${_math(symbol(net_input() if l == 0 else activation(l), L))}$")
    body += _place(xs[0], 2.0, f"${_math(Eq(symbol(activation(0), L), symbol(net_input())))} = {_given(chain.x)}$", 3.4)
    body += _place(xs[L] + 1.6, 1.2, f"#text(fill: {COLORS['y']})[${_labelled(symbol(target()), chain.y)}$]", 2.2)
    return f"#box(width: 100%, height: 2.5cm)[\n{body}]\n"


def _network_drawing(cfg: LessonConfig) -> str:
    many = network_of(cfg.network)
    net, sizes = many.net, many.net.sizes
    L = net.depth
    j_focus, k_focus = many.focus
    r, dx, dy = 0.4, 4.2, 1.25
    height = dy * (max(sizes) - 1) + 2 * r + 0.6
    pos = [[(1.6 + dx * l, height / 2 + dy * (i - (n - 1) / 2)) for i in range(n)] for l, n in enumerate(sizes)]
    body = ""
    for l in range(1, L + 1):
        for j, (x2, y2) in enumerate(pos[l]):
            for k, (x1, y1) in enumerate(pos[l - 1]):
                focus = l == L and (j, k) == (j_focus, k_focus)
                body += _edge(x1 + r, y1, x2 - r, y2, float(net.weights[l - 1][j, k]), focus)
    for l, column in enumerate(pos):
        for i, (x, y) in enumerate(column):
            stroke = COLORS["focus"] if (l, i) in ((L, j_focus), (L - 1, k_focus)) else "black"
            body += _neuron(x, y, r, f"${_math(symbol(activation(l, i), L))}$", stroke)
            if l == 0:
                body += _place(x - 1.2, y, f"${_given(float(many.x[i]))}$", 1.2)
            else:
                b = _labelled(general("b"), float(net.biases[l - 1][i]))
                body += _place(x + 0.62, y - 0.5, f"#text(size: 8pt, fill: {COLORS['b']})[${b}$]", 1.6)
            if l == L:
                y_i = _labelled(symbol(target(i)), float(many.y[i]))
                body += _place(x + 1.35, y, f"#text(fill: {COLORS['y']})[${y_i}$]", 1.8)
    return f"#box(width: 100%, height: {height:.2f}cm)[\n{body}]\n"


def _weight_tables(cfg: LessonConfig) -> str:
    """The network's weights, one matrix per layer: row j, column k is w_jk(l)."""
    net = network_of(cfg.network).net
    cells = []
    for l, w in enumerate(net.weights, start=1):
        rows = "; ".join(", ".join(_given(float(v)) for v in row) for row in w)
        cells.append(f"[${_math(general('W', layer_name(l, net.depth), color='w'))} = mat({rows})$]")
    return f"#grid(columns: {len(cells)}, column-gutter: 1.2cm, {', '.join(cells)})\n"


def _examples_table(cfg: LessonConfig) -> str:
    ex = training_set_of(cfg.chain, cfg.examples)  # example 0: the chain's own x and y
    header = "[$k$], " + ", ".join(f"[{k}]" for k in range(len(ex.inputs)))
    xs = f"[${_math(general('x', sub='k'))}$], " + ", ".join(f"[${_given(float(x))}$]" for x in ex.inputs)
    ys = f"[${_math(general('y', sub='k'))}$], " + ", ".join(f"[${_given(float(y))}$]" for y in ex.targets)
    return (f"#table(columns: {len(ex.inputs) + 1}, align: center, stroke: 0.4pt + gray, "
            f"{header}, {xs}, {ys})\n")


def _head(net: Network, hidden: str) -> str:
    """What the output layer and the cost are, where they are not the lesson's first ones (the
    hidden layers' activation and the squared error): ``, output softmax, cost: cross-entropy``."""
    out = "" if net.output_activation.name == hidden else f", output {net.output_activation.name}"
    if net.cost_function.name != "squared":
        out += f", cost: {cost_notation(net.cost_function).prose}"
    return out


def _given_numbers(cfg: LessonConfig) -> str:
    chain, many = cfg.chain, cfg.network
    sizes = ", ".join(map(str, many.sizes))
    chain_head = _head(chain_of(chain).net, chain.activation)
    return (
        "== Your chain\n"
        f"One neuron per layer, activation ${_sigma(chain.activation)}${chain_head}; the example's input $x$ and "
        "target $y$.\n\n"
        + _chain_drawing(cfg)
        + "The chain's training examples; example 0 is its own $x$ and $y$:\n"
        + _examples_table(cfg)
        + "== Your network\n"
        + f"Layer sizes {sizes}, activation ${_sigma(many.activation)}${_head(network_of(many).net, many.activation)}; "
          "inputs on the left, biases beside the "
          "neurons, targets on the right. Edges: blue positive, red negative, wider for larger weights; the "
          "weight the questions single out is orange.\n\n"
        + _network_drawing(cfg)
        + _weight_tables(cfg)
    )


# --- questions and worked solutions ---------------------------------------------------------------


def _sigma(name: str) -> str:
    return _math(activation_notation(name).token)


def _blank(answer: Answer) -> str:
    return (f"#tall[$display({_math(answer.symbol)}) =$ "
            "#box(width: 4.2cm, height: 0.9em, stroke: (bottom: 0.5pt + gray))]\n")


def _question(number: int, question: Question, body: str) -> str:
    return f"#block(breakable: true)[*{number}. {question.title}.* {typst_markup(question.text)}\n\n{body}]\n"


def worksheet_source(cfg: LessonConfig, student: str) -> str:
    """Typst source of the worksheet of ``student`` (their numbers, the questions, no answers)."""
    title = f"Backpropagation practice: student {student}"
    out = _PREAMBLE.format(title=title)
    out += f"= {title}\n"
    out += ("Work with your own numbers. Give answers to four decimals and keep full precision in between "
            "(a calculator helps). A superscript $(l)$ is a layer, not a power; the last layer is $L$ "
            f"($L = {chain_of(cfg.chain).depth}$ in the chain, $L = {network_of(cfg.network).net.depth}$ "
            "in the network) and the one before it $L-1$.\n")
    out += _given_numbers(cfg)
    out += "#pagebreak()\n== Questions\n"
    for i, q in enumerate(questions_of(cfg), start=1):
        out += _question(i, q, "".join(_blank(a) for a in q.answers))
    return out


def answers_source(configs: list[LessonConfig]) -> str:
    """Typst source of the answer key of a class: per student, every answer worked out."""
    out = _PREAMBLE.format(title="Backpropagation practice: answers")
    for s, cfg in enumerate(configs):
        if s:
            out += "#pagebreak()\n"
        out += f"= Answers: student {cfg.path}\n"
        for i, q in enumerate(questions_of(cfg), start=1):
            lines = "".join(f"#tall[$display({_math(worked(a))})$]\n" for a in q.answers)
            out += f"#block(breakable: true)[*{i}. {q.title}.*\n{lines}]\n"
    return out


def _compile(source: str) -> bytes:
    import typst

    return typst.compile(source.encode("utf-8"), format="pdf")


def worksheet_pdf(cfg: LessonConfig, student: str) -> bytes:
    """The worksheet of ``student`` as PDF bytes."""
    return _compile(worksheet_source(cfg, student))


def answers_pdf(configs: list[LessonConfig]) -> bytes:
    """The answer key of the class as PDF bytes."""
    return _compile(answers_source(configs))
