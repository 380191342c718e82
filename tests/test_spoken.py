"""What the voice says, cue by cue: notation as a teacher reads it, numbers as shown, layers by
name, no doubled sign; a table of every kind of cue the lesson has, for each activation. (Every
cue of every scene the suite renders is also checked: captions.speech_problems.)"""

from __future__ import annotations

import pytest
from captions import NOT_SPOKEN

from lessonmodel.formula import Delta, Eq, Frac, Line, Lit, Num, Paren, Partial, Product, SumOver, add, speech, sub
from lessonmodel.names import AVERAGE_COST, C0, LEARNING_RATE, activation, cost, derivative, target, weight
from lessonmodel.names import weighted_sum as z_of
from lessonmodel.notation import (
    ETA,
    activation_notation,
    cost_derivative,
    general,
    gradient_of,
    layer_of,
    squared_error,
    symbol,
)

L = 3
a, y, w, a_prev = symbol(activation(L), L), symbol(target()), symbol(weight(L), L), symbol(activation(L - 1), L)


def value(name, v: float, decimals: int = 3) -> Num:
    return Num(name, v, decimals)


CUES = {  # id -> (the cue as a scene builds it, what the voice says)
    "prose": (Line("Focus on the last two neurons."), "Focus on the last two neurons."),
    "a value": (Line("The output is ", Eq(a, value(activation(L), 0.6594, 4)), "."),
                "The output is a of layer L equals zero point six five nine four."),
    "a derivative": (Line("Multiply: ", Eq(Partial(symbol(C0), w), value(derivative(C0, weight(L)), -0.0741)), "."),
                     "Multiply: d C zero by d w of layer L equals minus zero point zero seven four."),
    "the cost, negative target": (
        Line(Eq(symbol(C0), squared_error(value(activation(L), 0.81, 2), value(target(), -0.5, 2)),
                value(C0, 1.716)), "."),
        "C zero equals, zero point eight one minus negative zero point five zero, squared equals "
        "one point seven one six."),
    "twice the error": (Line(Eq(cost_derivative(a, y), value(None, -0.681)), "."),
                        "two times, a of layer L minus y, equals minus zero point six eight one."),
    "a ratio of changes": (Line("Each ratio ", Frac(Delta(symbol(C0)), Delta(w)), " is the slope of a line"),
                           "Each ratio delta C zero over delta w of layer L is the slope of a line"),
    "indices": (Line("Take one weight, ", general("w", "L", "j k"), "."), "Take one weight, w j k of layer L."),
    "a layer in prose": (Line("Neuron k = 2 of layer ", layer_of(L - 1, L), " feeds every neuron"),
                         "Neuron k = 2 of layer L minus one feeds every neuron"),
    "a weighted sum": (Line("It adds its bias: ", Eq(general("z"), add(Product(general("w"), general("a"), op=""),
                                                                        general("b"))), "."),
                       "It adds its bias: z equals w times a plus b."),
    "a sum over paths": (Line(Eq(Partial(symbol(C0), general("a", "L-1", "k")),
                                 SumOver(Product(general("w", "L", "j k"), Partial(symbol(C0), general("a", "L", "j")),
                                                 op=""), "j"))),
                         "d C zero by d a k of layer L minus one equals the sum over j of w j k of layer L times "
                         "d C zero by d a j of layer L"),
    "an average": (Line(Eq(symbol(AVERAGE_COST), Product(Paren(Frac("1", "n")), SumOver(symbol(cost(None)), None),
                                                         op="")), "."),
                   "C equals one over n times the sum of C."),
    "the gradient": (Line("the gradient of the cost, ", gradient_of(symbol(AVERAGE_COST)), "."),
                     "the gradient of the cost, nabla C."),
    "the learning rate": (Line("times ", Eq(ETA, value(LEARNING_RATE, 1.0, 2)), "."),
                          "times eta equals one point zero zero."),
    "a tiny value": (Line(Eq(sub(a, y), value(None, -5.7e-6)), "."),
                     "a of layer L minus y equals minus five point seven times ten to the minus six."),
    "a label in prose": (Line("The ", Lit("(L)", said="L"), " up there is not an exponent:"),
                         "The L up there is not an exponent:"),
}

SLOPES = {"sigmoid": "sigma prime of z of layer L", "tanh": "tan h prime of z of layer L",
          "relu": "ReLU prime of z of layer L"}


@pytest.mark.parametrize("kind", list(CUES))
def test_every_kind_of_cue_is_said_as_a_teacher_would(kind):
    cue, said = CUES[kind]
    assert speech(cue) == said
    assert not NOT_SPOKEN.search(speech(cue)), speech(cue)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_each_activation_is_said_by_its_own_name(name):
    sigma = activation_notation(name)
    cue = Line("The slope ", Eq(sigma.slope(symbol(z_of(L), L)), value(None, 0.225)), ",")
    assert speech(cue) == f"The slope {SLOPES[name]} equals zero point two two five"
    assert speech(Line(Eq(a, sigma.of(symbol(z_of(L), L))))).endswith(SLOPES[name].replace(" prime", ""))


def test_the_checker_catches_notation_left_for_the_voice():
    for text in ("d C by ∂w", "a(L-1) = 0.5", "minus minus 0.5", "layer L-1", "3.2e-05", "w_jk"):
        assert NOT_SPOKEN.search(text), text
    assert not NOT_SPOKEN.search("the network's cost, layer L minus one, zero point five")
