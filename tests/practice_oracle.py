"""An independent oracle for the answer keys: every value a practice question names, computed
with autograd from a student's config.toml (read with tomllib, not the project's loader).

The names are the text forms (``str``) of the typed names of lessonmodel.names and
lessonmodel.practice ("a(2)", "dC0/dw_12(2)", "dC0/da_2(1) via 0", "dC1/dw(3) | example 1",
"w_12(3) after 1 steps", ...), read here as text so that the oracle shares no code with them.
Derivatives are autograd's gradients of the cost written out here (the squared error, or the
cross-entropy: binary on a sigmoid, of a probability vector on a softmax, as the config's ``cost``
and ``output`` say); nothing is taken from nncore.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import autograd
import autograd.numpy as anp

__all__ = ["chain_oracle", "network_oracle", "read_config"]

ACT = {
    "sigmoid": lambda z: 1.0 / (1.0 + anp.exp(-z)),
    "tanh": anp.tanh,
    "relu": lambda z: anp.maximum(0.0, z),
    "softmax": lambda z: anp.exp(z - anp.max(z)) / anp.sum(anp.exp(z - anp.max(z))),
}
COST = {  # the config's cost on an output a against its target y, summed over the outputs
    "squared": lambda a, y: anp.sum((a - y) ** 2),
    "cross_entropy": lambda a, y: -anp.sum(y * anp.log(a) + (1.0 - y) * anp.log(1.0 - a)),  # binary, on σ
}
SOFTMAX_COST = {"cross_entropy": lambda a, y: -anp.sum(y * anp.log(a))}  # on a softmax: y sums to 1


def read_config(path: Path) -> dict:
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))


def _slope(act, z: float) -> float:
    return float(autograd.grad(lambda t: act(t))(float(z)))


def chain_oracle(doc: dict):
    """A function name -> value for the chain questions (the chain's own example, which is example
    0 of the training set, and the ``[examples]``, examples 1, 2, ...)."""
    c = doc["chain"]
    act = ACT[c["activation"]]
    loss = COST[c.get("cost", "squared")]
    w, b = [float(v) for v in c["weights"]], [float(v) for v in c["biases"]]
    L = len(w)

    def forward(x, ws=None, bs=None, start=0, a_start=None):
        ws, bs = ws or w, bs or b
        a = [None] * (L + 1)
        z = [None] * (L + 1)
        a[start] = x if a_start is None else a_start
        for l in range(start + 1, L + 1):
            z[l] = ws[l - 1] * a[l - 1] + bs[l - 1]
            a[l] = act(z[l])
        return z, a

    def cost_of_w(l, x, y):
        return lambda t: loss(forward(x, ws=[t if i == l - 1 else v for i, v in enumerate(w)])[1][L], y)

    def cost_of_b(l, x, y):
        return lambda t: loss(forward(x, bs=[t if i == l - 1 else v for i, v in enumerate(b)])[1][L], y)

    def cost_of_a(l, x, y):
        return lambda t: loss(forward(x, start=l, a_start=t)[1][L], y)

    def cost_of_z(y):
        return lambda t: loss(act(t), y)

    def values(x: float, y: float) -> dict:
        z, a = forward(x)
        out = {"x": x, "y": y, "C0": loss(a[L], y), f"dC0/dz({L})": autograd.grad(cost_of_z(y))(z[L])}
        for l in range(L + 1):
            out[f"a({l})"] = a[l]
        for l in range(1, L + 1):
            out |= {f"w({l})": w[l - 1], f"b({l})": b[l - 1], f"z({l})": z[l]}
            out[f"dz({l})/dw({l})"] = a[l - 1]
            out[f"dz({l})/db({l})"] = 1.0
            out[f"dz({l})/da({l - 1})"] = w[l - 1]
            out[f"da({l})/dz({l})"] = _slope(act, z[l])
            out[f"dC0/dw({l})"] = autograd.grad(cost_of_w(l, x, y))(w[l - 1])
            out[f"dC0/db({l})"] = autograd.grad(cost_of_b(l, x, y))(b[l - 1])
        for l in range(L + 1):
            out[f"dC0/da({l})"] = autograd.grad(cost_of_a(l, x, y))(a[l])
        return out

    own = values(float(c["input"]), float(c["target"]))
    ex = doc["examples"]
    inputs, targets = [c["input"], *ex["inputs"]], [c["target"], *ex["targets"]]  # example 0 first
    per_example = [values(float(x), float(y)) for x, y in zip(inputs, targets)]

    def lookup(name: str) -> float:
        m = re.fullmatch(r"(.+) \| example (\d+)", name)
        if m:
            inner, k = m.group(1), int(m.group(2))
            inner = re.sub(rf"^dC{k}/", "dC0/", inner)
            return per_example[k][inner]
        if name == f"dC/dw({L})":
            def mean_cost(t):
                return sum(cost_of_w(L, float(x), float(y))(t) for x, y in zip(inputs, targets)) / len(inputs)
            return autograd.grad(mean_cost)(w[L - 1])
        return own[name]

    return lookup


def network_oracle(doc: dict):
    """A function name -> value for the network questions."""
    n = doc["network"]
    act = ACT[n["activation"]]
    output = n.get("output", n["activation"])
    out_act = ACT[output]
    loss = (SOFTMAX_COST if output == "softmax" else COST)[n.get("cost", "squared")]
    W = [anp.array(m, dtype=float) for m in n["weights"]]
    B = [anp.array(v, dtype=float) for v in n["biases"]]
    x = anp.array(n["input"], dtype=float)
    y = anp.array(n["target"], dtype=float)
    lr = float(doc["descent"]["learning_rate"])
    L = len(W)

    def forward(Ws, Bs, start=0, a_start=None):
        a, z = [None] * (L + 1), [None] * (L + 1)
        a[start] = x if a_start is None else a_start
        for l in range(start + 1, L + 1):
            z[l] = anp.dot(Ws[l - 1], a[l - 1]) + Bs[l - 1]
            a[l] = (out_act if l == L else act)(z[l])
        return z, a

    def cost(Ws, Bs):
        return loss(forward(Ws, Bs)[1][L], y)

    z, a = forward(W, B)
    gW = autograd.grad(cost, 0)(W, B)
    gB = autograd.grad(cost, 1)(W, B)
    gz = autograd.grad(lambda t: loss(out_act(t), y))(z[L])  # ∂C0/∂z_j(L), through the output layer

    def cost_of_a(l):
        return lambda t: loss(forward(W, B, start=l, a_start=t)[1][L], y)

    def unit(j: int):
        return anp.array([float(i == j) for i in range(len(z[L]))])

    def path_term(k: int, j: int) -> float:
        """How a_k(L-1) reaches the cost through neuron j alone: z_j(L) moves, the other z(L) stay."""
        def through_j(t):
            return loss(out_act(z[L] + unit(j) * W[L - 1][j, k] * t), y)
        return autograd.grad(through_j)(0.0)

    def slope(j: int, l: int) -> float:
        """∂a_j(l)/∂z_j(l), the other z(l) held (a softmax's a_j depends on them too)."""
        if l < L:
            return _slope(act, z[l][j])
        return autograd.grad(lambda t: out_act(z[L] + unit(j) * t)[j])(0.0)

    def lookup(name: str) -> float:
        if name == "C0":
            return float(cost(W, B))
        if name == "learning rate":
            return lr
        if re.fullmatch(r"dz_(\d)\((\d)\)/db_\1\(\2\)", name):
            return 1.0
        m = re.fullmatch(r"dC0/da_(\d)\((\d)\) via (\d)", name)
        if m:
            return path_term(int(m.group(1)), int(m.group(3)))
        m = re.fullmatch(r"([wb])_(\d+)\((\d)\) after 1 steps?", name)
        if m:
            kind, idx, l = m.group(1), m.group(2), int(m.group(3))
            if kind == "w":
                j, k = int(idx[0]), int(idx[1])
                return W[l - 1][j, k] - lr * gW[l - 1][j, k]
            return B[l - 1][int(idx)] - lr * gB[l - 1][int(idx)]
        m = re.fullmatch(r"y_(\d)", name)
        if m:
            return y[int(m.group(1))]
        m = re.fullmatch(r"([wbza])_(\d+)\((\d)\)", name)
        if m:
            kind, idx, l = m.group(1), m.group(2), int(m.group(3))
            if kind == "w":
                return W[l - 1][int(idx[0]), int(idx[1])]
            return {"b": lambda: B[l - 1][int(idx)], "z": lambda: z[l][int(idx)], "a": lambda: a[l][int(idx)]}[kind]()
        m = re.fullmatch(r"da_(\d)\((\d)\)/dz_\d\(\d\)", name)
        if m:
            return slope(int(m.group(1)), int(m.group(2)))
        m = re.fullmatch(rf"dC0/dz_(\d)\({L}\)", name)
        if m:
            return gz[int(m.group(1))]
        m = re.fullmatch(r"dC0/d([wba])_(\d+)\((\d)\)", name)
        if m:
            kind, idx, l = m.group(1), m.group(2), int(m.group(3))
            if kind == "w":
                return gW[l - 1][int(idx[0]), int(idx[1])]
            if kind == "b":
                return gB[l - 1][int(idx)]
            return autograd.grad(cost_of_a(l))(a[l])[int(idx)]
        raise KeyError(name)

    return lookup
