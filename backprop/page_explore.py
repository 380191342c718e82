"""The lesson page's parts to explore after the clips: the nudge sandbox and the network to click.

The sandbox (:func:`sandbox_html`) lays out what :func:`lessonmodel.sandbox.sandbox_spec` says:
a slider per parameter (``<input type=range name="w(3)">``, named as ``backprop values`` names
them), each value in an element with ``data-value`` (its name) and ``data-number`` (its exact
value), number lines, and a nudge that shows ΔC0/Δp beside ∂C0/∂p; the page's script
(``sandbox.js``) recomputes them as a slider moves. The network (:func:`network_html`) is drawn in
SVG from :func:`lessonmodel.network_terms.network_terms`: every edge and neuron can be clicked or
focused (Tab, Enter), and ``network.js`` shows its derivative with the numbers plugged in.
"""

from __future__ import annotations

import json
from html import escape

from lessonmodel.fmt import format_number

__all__ = ["sandbox_html", "network_html", "network_svg"]

POSITIVE, NEGATIVE = "#58C4DD", "#FC6255"  # the lesson's colours of a weight's sign (blue, red)


def _data(value) -> str:
    """JSON for a ``data-`` attribute, escaped for HTML."""
    return escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")), quote=True)


def _slider(s: dict) -> str:
    ident = f"slider-{s['name']}"
    return (f'<div class="slider"><label for="{escape(ident)}">{escape(s["label"])}</label>'
            f'<input type="range" id="{escape(ident)}" name="{escape(s["name"])}" min="{s["min"]:g}" '
            f'max="{s["max"]:g}" step="{s["step"]:g}" value="{s["value"]!r}">'
            f'<output for="{escape(ident)}" data-slider="{escape(s["name"])}">{s["value"]:.2f}</output></div>')


def _values(spec: dict) -> str:
    rows = "".join(
        f'<div><dt>{escape(v["label"])}</dt><dd data-value="{escape(v["name"])}" '
        f'data-number="{spec["initial"][v["name"]]!r}">{format_number(spec["initial"][v["name"]], v["decimals"])}'
        f"</dd></div>"
        for v in spec["values"])
    return f'<dl class="sandbox-values">{rows}</dl>'


def _nudge(spec: dict) -> str:
    parameters = dict.fromkeys((n["parameter"], n["label"]) for n in spec["nudges"])
    deltas = dict.fromkeys(n["delta"] for n in spec["nudges"])
    last = spec["sliders"][spec["depth"] - 1]["name"]  # w(L): the nudge of the lesson
    options = "".join(f'<option value="{escape(p)}"{" selected" if p == last else ""}>{escape(label)}</option>'
                      for p, label in parameters)
    sizes = "".join(f'<option value="{d!r}">{d:g}</option>' for d in deltas)
    return f"""
    <div class="nudge">
      <label>Nudge <select name="nudge-parameter">{options}</select></label>
      <label>by <select name="nudge-delta">{sizes}</select></label>
      <button type="button" data-nudge>Nudge</button>
      <p class="nudge-result" aria-live="polite" hidden><span data-nudge-part="change"></span>
        for <span data-nudge-part="delta"></span>: <span data-nudge-part="ratio"></span>,
        beside <span data-nudge-part="derivative"></span></p>
    </div>"""


def sandbox_html(spec: dict) -> str:
    """The sandbox section (id ``sandbox``)."""
    activations = "".join(f'<option value="{a}"{" selected" if a == spec["activation"] else ""}>{a}</option>'
                          for a in spec["targets"])
    return f"""
<section class="explore" id="sandbox" aria-labelledby="sandbox-title" data-spec="{_data(spec)}">
  <h2 id="sandbox-title">Try it: nudge the chain</h2>
  <p class="small">Move a slider (or focus it and use the arrow keys): every value of the chain follows, computed
    in your browser the way nncore computes the lesson. Nudge a parameter to see ΔC0/Δp approach ∂C0/∂p.</p>
  <div class="sandbox-grid">
    <fieldset class="sliders"><legend>The chain's parameters, input and target</legend>
      <label class="activation">activation <select name="activation">{activations}</select></label>
      {"".join(_slider(s) for s in spec["sliders"])}
    </fieldset>
    <div class="sandbox-out">
      <svg class="number-lines" viewBox="0 0 360 200" role="img" aria-label="number lines of the nudge's path"></svg>
      {_nudge(spec)}
      {_values(spec)}
    </div>
  </div>
</section>"""


# --- the network -------------------------------------------------------------------------------

WIDTH, HEIGHT, RADIUS = 600, 300, 15


def _positions(sizes: list[int]) -> list[list[tuple[float, float]]]:
    """Each neuron's centre: one column per layer, each column's neurons spread evenly."""
    columns = len(sizes)
    out = []
    for l, n in enumerate(sizes):
        x = 40 + (WIDTH - 80) * l / (columns - 1)
        gap = (HEIGHT - 60) / max(n, 1)
        out.append([(x, 30 + gap * (j + 0.5)) for j in range(n)])
    return out


def _choosable(kind: str, item: dict, drawing: str) -> str:
    """A weight's or a neuron's drawing, focusable and labelled with its name and value."""
    label = f"{item['label']} = {item['text']}"
    return (f'<g class="{kind}" tabindex="0" role="button" data-{"weight" if kind == "edge" else kind}='
            f'"{escape(item["name"])}" aria-label="{escape(label)}"><title>{escape(label)}</title>{drawing}</g>')


def _edge(w: dict, at: list, widest: float) -> str:
    (x1, y1), (x2, y2) = at[w["layer"] - 1][w["k"]], at[w["layer"]][w["j"]]
    ends = f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"'
    colour = POSITIVE if w["value"] >= 0 else NEGATIVE
    width = 1 + 4 * abs(w["value"]) / widest
    drawing = f'<line {ends} stroke="{colour}" stroke-width="{width:.2f}"/><line class="hit" {ends}/>'
    return _choosable("edge", w, drawing)


def _neuron(n: dict, at: list, activation: str) -> str:
    x, y = at[n["layer"]][n["j"]]
    light = min(1.0, abs(n["value"])) if activation != "sigmoid" else min(1.0, max(0.0, n["value"]))
    return _choosable("neuron", n, f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{RADIUS}" class="dark"/>'
                                   f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{RADIUS}" class="lit" '
                                   f'fill-opacity="{0.1 + 0.9 * light:.2f}"/>')


def network_svg(terms: dict) -> str:
    """The network in SVG: edges coloured by the weight's sign, as wide as its size; neurons lit
    by their activation; every one focusable and labelled with its value."""
    at = _positions(terms["sizes"])
    widest = max((abs(w["value"]) for w in terms["weights"]), default=1.0) or 1.0
    edges = "".join(_edge(w, at, widest) for w in terms["weights"])
    neurons = "".join(_neuron(n, at, terms["activation"]) for n in terms["neurons"])
    depth = len(terms["sizes"]) - 1
    names = "".join(f'<text x="{at[l][0][0]:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                    f'{"input" if l == 0 else "layer L" + (f"-{depth - l}" if l < depth else "")}</text>'
                    for l in range(depth + 1))
    return (f'<svg class="network" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
            f'aria-label="the network: every weight and neuron can be chosen">{edges}{neurons}{names}</svg>')


def network_html(terms: dict) -> str:
    """The network section (id ``network``): the drawing and the panel the script fills."""
    return f"""
<section class="explore" id="network" aria-labelledby="network-title" data-terms="{_data(terms)}">
  <h2 id="network-title">Click any edge</h2>
  <p class="small">The lesson's network of {len(terms["sizes"])} layers, for its example 0. Click or focus (Tab,
    then Enter) a weight to see its ∂C0/∂w as the chain rule's product, or a neuron to see its ∂C0/∂a as a sum
    over the paths to the cost, with the lesson's numbers plugged in.</p>
  <div class="network-grid">
    {network_svg(terms)}
    <div class="edge-panel" aria-live="polite"><p class="small">Choose a weight or a neuron.</p></div>
  </div>
</section>"""
