// The nudge sandbox of the lesson page (inlined into index.html by backprop/page.py): the chain's
// parameters, input and target on sliders, every value of the chain live, and a nudge that
// shows ΔC0/Δp beside ∂C0/∂p. What to show comes from the lesson model (the section's
// data-spec, lessonmodel/sandbox.py, with the chain's cost); the numbers are computed here by the
// chain's forward and backward pass under that cost, written as nncore writes them (nncore/network.py, nncore/activations.py), so
// they agree with nncore's to the last few bits.
(() => {
  "use strict";
  const root = document.getElementById("sandbox");
  if (!root) return;
  const spec = JSON.parse(root.dataset.spec);
  const L = spec.depth;
  const field = (name) => root.querySelector(`[name="${CSS.escape(name)}"]`);

  // --- nncore's activations: overflow-safe sigmoid, tanh' from e^(-2|z|), ReLU'(0) = 0 ------------
  const ACTIVATIONS = {
    sigmoid: {
      f: (z) => { const e = Math.exp(-Math.abs(z)); return z >= 0 ? 1 / (1 + e) : e / (1 + e); },
      prime: (z) => { const e = Math.exp(-Math.abs(z)); return e / (1 + e) ** 2; },
    },
    tanh: { f: Math.tanh, prime: (z) => { const e = Math.exp(-2 * Math.abs(z)); return 4 * e / (1 + e) ** 2; } },
    relu: { f: (z) => Math.max(0, z), prime: (z) => (z > 0 ? 1 : 0) },
  };

  // --- nncore's costs of the output a = a(L), z = z(L), against y (nncore/cost.py) ------------------
  const logSigmoid = (z) => -(Math.max(-z, 0) + Math.log1p(Math.exp(-Math.abs(z)))); // ln σ(z), finite
  const COSTS = {
    squared: { // (a - y)^2, ∂C0/∂a = 2(a - y)
      value: (a, z, y) => (a - y) ** 2,
      derivative: (a, z, y) => 2 * (a - y),
    },
    binary_cross_entropy: { // -(y ln a + (1 - y) ln(1 - a)), from z; σ'(z) cancels: ∂C0/∂z = a - y
      value: (a, z, y) => -(y * logSigmoid(z) + (1 - y) * logSigmoid(-z)),
      derivative: (a, z, y) => (y < 1 ? (1 - y) * (1 + Math.exp(z)) : 0) - (y > 0 ? y * (1 + Math.exp(-z)) : 0),
      error: (a, y) => a - y,
    },
  };
  const cost = COSTS[spec.cost];

  // --- the pass: every value of the chain by its quantity ([kind, layer] of lessonmodel.sandbox) ---
  function forward(p) {
    const act = ACTIVATIONS[p.activation];
    const z = [p.x], a = [p.x], slope = [1];
    for (let l = 1; l <= L; l++) {
      z[l] = a[l - 1] * p.w[l - 1] + p.b[l - 1]; // z(l) = w(l) a(l-1) + b(l)
      a[l] = act.f(z[l]); // a(l) = σ(z(l))
      slope[l] = act.prime(z[l]); // σ'(z(l))
    }
    return { z, a, slope, cost: cost.value(a[L], z[L], p.y) };
  }

  function pass(p) {
    const { z, a, slope, cost: c0 } = forward(p);
    const dA = [], dZ = [], dW = [], dB = [];
    dA[L] = cost.derivative(a[L], z[L], p.y); // ∂C0/∂a(L): 2(a(L) - y) for the squared error
    for (let l = L; l >= 1; l--) {
      // ∂C0/∂z(l) = σ'(z(l)) ∂C0/∂a(l); at the output a(L) - y where the cost cancels σ'(z(L))
      dZ[l] = l === L && cost.error ? cost.error(a[L], p.y) : slope[l] * dA[l];
      dW[l] = dZ[l] * a[l - 1]; // ∂C0/∂w(l) = a(l-1) ∂C0/∂z(l)
      dB[l] = dZ[l]; // ∂C0/∂b(l) = ∂C0/∂z(l)
      dA[l - 1] = dZ[l] * p.w[l - 1]; // ∂C0/∂a(l-1) = w(l) ∂C0/∂z(l)
    }
    const of = { z: (l) => z[l], a: (l) => a[l], C: () => c0, error: () => a[L] - p.y, "dC/da": (l) => dA[l],
                 "dC/dz": (l) => dZ[l],
                 "da/dz": (l) => slope[l], "dC/dw": (l) => dW[l], "dC/db": (l) => dB[l], "dz/dw": (l) => a[l - 1] };
    return (quantity) => of[quantity[0]](quantity[1]);
  }

  function nudge(p, parameter, delta) { // ΔC0 and ΔC0/Δ when one weight or bias grows by delta
    const kind = parameter[0], l = Number(parameter.slice(2, -1));
    const moved = { ...p, w: [...p.w], b: [...p.b] };
    moved[kind][l - 1] = p[kind][l - 1] + delta;
    const change = forward(moved).cost - forward(p).cost;
    return { change, ratio: change / delta, after: forward(moved) };
  }

  // --- numbers as lessonmodel.fmt writes them -------------------------------------------------------
  function rounded(value, decimals, exponential) { // correctly rounded, ties to even, as Python does
    const exact = exponential ? Math.abs(value).toExponential(20) : Math.abs(value).toFixed(20);
    const [digits, power] = exact.split("e");
    const cut = digits.indexOf(".") + decimals + (decimals ? 1 : 0);
    const tie = /^50*$/.test(digits.slice(cut).replace(".", ""));
    let text = exponential ? Math.abs(value).toExponential(decimals) : Math.abs(value).toFixed(decimals);
    if (tie) { // halfway: keep the even last digit, as Python's format does
      const down = digits.slice(0, cut).replace(/\.$/, "");
      if (Number(down.slice(-1)) % 2 === 0) text = exponential ? `${down}e${power}` : down;
    }
    return (value < 0 ? "-" : "") + text;
  }

  function format(value, decimals) {
    if (value !== 0 && !(0.5 * 10 ** -decimals <= Math.abs(value) && Math.abs(value) < 1e5)) {
      const [mantissa, power] = rounded(value, 1, true).split("e");
      const exponent = Number(power);
      return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    }
    const text = rounded(value, decimals, false);
    return Number(text) === 0 ? text.replace(/^-/, "") : text;
  }

  function show(element, value, decimals) {
    element.dataset.number = String(value);
    element.textContent = format(value, decimals);
  }

  // --- the page ------------------------------------------------------------------------------------
  const state = () => ({
    activation: field("activation").value,
    w: Array.from({ length: L }, (_, i) => Number(field(`w(${i + 1})`).value)),
    b: Array.from({ length: L }, (_, i) => Number(field(`b(${i + 1})`).value)),
    x: Number(field("x").value),
    y: Number(field("y").value),
  });

  function chooseActivation() { // the target's range and the slopes' names follow the activation
    const activation = field("activation").value;
    const [low, high] = spec.targets[activation];
    const target = field("y");
    target.min = low;
    target.max = high;
    for (const v of spec.values) {
      if (v.labels) root.querySelector(`[data-value="${CSS.escape(v.name)}"]`).previousElementSibling.textContent = v.labels[activation];
    }
  }

  function update() {
    const p = state();
    const value = pass(p);
    for (const s of spec.sliders) root.querySelector(`[data-slider="${CSS.escape(s.name)}"]`).textContent = format(Number(field(s.name).value), 2);
    for (const v of spec.values) {
      for (const element of root.querySelectorAll(`dd[data-value="${CSS.escape(v.name)}"]`)) show(element, value(v.of), v.decimals);
    }
    const result = root.querySelector(".nudge-result");
    if (!result.hidden) showNudge();
    else drawLines(p, null);
  }

  function chosenNudge() {
    const parameter = field("nudge-parameter").value, delta = Number(field("nudge-delta").value);
    return spec.nudges.find((n) => n.parameter === parameter && n.delta === delta);
  }

  function showNudge() {
    const n = chosenNudge();
    const p = state();
    const { change, ratio, after } = nudge(p, n.parameter, n.delta);
    for (const [key, value] of [["ratio", ratio], ["derivative", pass(p)(n.derivative.of)], ["change", change]]) {
      const span = root.querySelector(`[data-nudge-part="${key}"]`);
      const number = document.createElement("output");
      number.dataset.value = n[key].name;
      show(number, value, n[key].decimals);
      span.replaceChildren(`${n[key].label} = `, number);
    }
    root.querySelector('[data-nudge-part="delta"]').textContent = `Δ${n.label} = ${n.delta_text}`;
    root.querySelector(".nudge-result").hidden = false;
    drawLines(p, { parameter: n.parameter, delta: n.delta, after });
  }

  // --- the number lines: the nudged parameter's path up to the cost ---------------------------------
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attributes, text) {
    const element = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, v);
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function drawLines(p, nudged) {
    const parameter = field("nudge-parameter").value, kind = parameter[0], l = Number(parameter.slice(2, -1));
    const before = forward(p), after = nudged ? nudged.after : null;
    const label = (name) => spec.sliders.find((s) => s.name === name)?.label ?? name;
    const rows = [[label(parameter), kind, p[kind][l - 1], nudged ? p[kind][l - 1] + nudged.delta : null]];
    for (let m = l; m <= L; m++) {
      const back = L - m ? `L-${L - m}` : "L";
      rows.push([`z(${back})`, "z", before.z[m], after && after.z[m]], [`a(${back})`, "a", before.a[m], after && after.a[m]]);
    }
    rows.push(["C0", "C", before.cost, after && after.cost]);
    const box = root.querySelector(".number-lines");
    box.setAttribute("viewBox", `0 0 360 ${rows.length * 24 + 8}`);
    // Before a nudge each line spans its kind's range; after it, all lines share one scale around
    // their values (as CostTree's do), wide enough for the largest change to show.
    const reach = nudged ? 2 * Math.max(...rows.map(([, , v, m]) => Math.abs(m - v))) || 1e-9 : 0;
    const span = (row) => (nudged ? [row[2] - reach, row[2] + reach] : spec.lines[p.activation][row[1]]);
    box.replaceChildren(...rows.map((row, i) => line(row, 16 + i * 24, span(row))));
    box.dataset.scale = nudged ? "shared" : "ranges";
  }

  function line([name, , value, moved], y, [low, high]) {
    const x = (v) => 70 + 220 * (Math.min(Math.max(v, low), high) - low) / (high - low || 1);
    const g = svg("g", { class: "line" });
    g.append(svg("text", { x: 4, y: y + 4, class: "line-name" }, name),
             svg("line", { x1: 70, y1: y, x2: 290, y2: y, class: "axis" }));
    if (moved !== null && moved !== undefined) {
      g.append(svg("line", { x1: x(value), y1: y, x2: x(moved), y2: y, class: "change" }),
               svg("circle", { cx: x(moved), cy: y, r: 4, class: "moved" }));
    }
    const shown = moved !== null && moved !== undefined ? moved : value;
    g.append(svg("circle", { cx: x(value), cy: y, r: 5, class: "dot" }),
             svg("text", { x: 296, y: y + 4, class: "line-value" }, format(shown, name === "C0" ? 3 : 2)));
    return g;
  }

  for (const s of spec.sliders) field(s.name).addEventListener("input", update);
  field("activation").addEventListener("change", () => { chooseActivation(); update(); });
  for (const name of ["nudge-parameter", "nudge-delta"]) {
    field(name).addEventListener("change", () => { root.querySelector(".nudge-result").hidden = true; update(); });
  }
  root.querySelector("[data-nudge]").addEventListener("click", showNudge);
  chooseActivation();
  drawLines(state(), null);
  window.backpropSandbox = { format, update };
})();
