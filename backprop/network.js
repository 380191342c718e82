// Click any edge (inlined into index.html by backprop/page.py): in the network drawn in SVG, a
// weight w_jk(l) shows its chain-rule product a_k(l-1) · σ'(z_j(l)) · ∂C0/∂a_j(l) (a_k(L-1) ·
// ∂C0/∂z_j(L) where the cost cancels the output's slope), a neuron its ∂C0/∂a as the sum over its
// paths, one term per neuron of the next layer, or, at the output, the cost's own derivative; every
// number and every formula from the lesson model (the section's data-terms,
// lessonmodel/network_terms.py), each number in an element with data-value (its name) and data-number.
(() => {
  "use strict";
  const root = document.getElementById("network");
  if (!root) return;
  const terms = JSON.parse(root.dataset.terms);
  const weights = new Map(terms.weights.map((w) => [w.name, w]));
  const neurons = new Map(terms.neurons.map((n) => [n.name, n]));
  const panel = root.querySelector(".edge-panel");

  function number(value) { // a value as the lesson shows it, negative ones in parentheses in a product
    const span = document.createElement("span");
    span.dataset.value = value.name;
    span.dataset.number = String(value.value);
    span.textContent = value.text;
    return span;
  }
  const factor = (value) => value.value < 0 ? ["(", number(value), ")"] : [number(value)];
  const times = (values) => values.flatMap((v, i) => (i ? [" × ", ...factor(v)] : factor(v)));
  const names = (values) => values.map((v) => v.label).join(" · ");

  function line(className, ...parts) {
    const p = document.createElement("p");
    p.className = className;
    p.append(...parts);
    return p;
  }
  // a line the lesson model wrote: its text, with each value's number in its place
  const written = (row) => line(row.class, ...row.parts.map((part) => (typeof part === "string" ? part : number(part))));

  function showWeight(w) {
    panel.replaceChildren(
      line("panel-title", `${w.label} = `, number(w)),
      line("panel-rule", `${w.derivative.label} = ${names(w.factors)}`),
      line("panel-numbers", "= ", ...times(w.factors), " = ", number(w.derivative)),
      ...w.notes.map(written));
  }

  function showNeuron(n) {
    const out = [line("panel-title", `${n.label} = `, number(n))];
    if (n.lines) {
      out.push(...n.lines.map(written));
    } else {
      out.push(line("panel-rule", `${n.derivative.label} = ${n.rule}`));
      for (const term of n.terms) {
        const row = line("panel-term", `via j = ${term.via}: ${names(term.factors)} = `, ...times(term.factors), " = ",
                         number(term));
        row.dataset.term = String(term.via);
        out.push(row);
      }
      const sum = n.terms.flatMap((t, i) => (i ? [" + ", ...factor(t)] : factor(t)));
      out.push(line("panel-numbers", "sum: ", ...sum, " = ", number(n.derivative)));
    }
    panel.replaceChildren(...out);
  }

  function choose(element) {
    for (const chosen of root.querySelectorAll(".chosen")) chosen.classList.remove("chosen");
    element.classList.add("chosen");
    if (element.dataset.weight) showWeight(weights.get(element.dataset.weight));
    else showNeuron(neurons.get(element.dataset.neuron));
    panel.dataset.showing = element.dataset.weight || element.dataset.neuron;
  }

  for (const element of root.querySelectorAll("[data-weight], [data-neuron]")) {
    element.addEventListener("click", () => choose(element));
    element.addEventListener("focus", () => choose(element));
    element.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        choose(element);
      }
    });
  }
})();
