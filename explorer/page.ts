/// <reference lib="dom" />
/**
 * The explorer's page: the parameters (with the command line's messages), the grammar, a sample
 * with its derivation tree and the two transformations, live training in a worker, and figures
 * of a loaded `results.jsonl`. Everything it computes comes from the workspace's packages
 * (`model.ts` and `run.ts` only compose them); this file is the DOM around them.
 *
 * @module
 */
import * as E from "fp-ts/lib/Either.js";
import * as vega from "vega";
import { type Dataset, type Grammar, makeGrammar, type SrhmParams } from "@srhm/generators";
import { referenceLr } from "@srhm/networks";
import {
  compileSpec,
  figuresOf,
  parseResults,
  type Sensitivities,
  summarizeResults,
} from "@srhm/experiments";
import {
  applyTransformation,
  derivationTree,
  explorerSample,
  PARAM_FIELDS,
  type ParamForm,
  paramsFromForm,
  pathTo,
  type TreeNode,
} from "./model.ts";
import { DEFAULT_CONFIG, type ExplorerConfig } from "./run.ts";
import type { BrowserBackend, TrainRequest, WorkerMessage } from "./protocol.ts";

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const SVG_NS = "http://www.w3.org/2000/svg";

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const colour = (symbol: number, v: number): string =>
  `hsl(${Math.round((360 * symbol) / v)}, 60%, 42%)`;

// ---------------------------------------------------------------- model, grammar, sample

interface View {
  params: SrhmParams;
  grammar: Grammar;
  sampleSeed: number;
  original: Dataset;
  current: Dataset;
  transformations: number;
}

let view: View | null = null;

function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new FormData(form).entries()) out[k] = String(v);
  return out;
}

function showParamError(message: string | null): void {
  const p = $("param-error");
  p.hidden = message === null;
  p.textContent = message ?? "";
  if (message === null) return;
  // No model: nothing of a former one stays on show (or gets trained).
  view = null;
  for (const id of ["grammar", "sample", "tree", "summary", "sample-command", "moved"]) {
    $(id).replaceChildren();
  }
  $("sample").setAttribute("data-tokens", "[]");
}

/** Longest string drawn token by token. */
const MAX_DRAWN = 4096;

function draw(): void {
  const values = formValues($<HTMLFormElement>("params"));
  const form: ParamForm = Object.fromEntries(PARAM_FIELDS.map((f) => [f, values[f]]));
  const parsed = paramsFromForm(form);
  if (E.isLeft(parsed)) {
    showParamError(parsed.left);
    return;
  }
  const seedText = (values.sampleSeed ?? "").trim();
  const sampleSeed = seedText === "" ? 0 : Number(seedText);
  if (!Number.isSafeInteger(sampleSeed) || sampleSeed < 0) {
    showParamError(`--sample-seed must be an integer >= 0 (got ${JSON.stringify(seedText)})`);
    return;
  }
  try {
    const params = parsed.right;
    const grammar = makeGrammar(params);
    const original = explorerSample(grammar, sampleSeed);
    view = { params, grammar, sampleSeed, original, current: original, transformations: 0 };
  } catch (e) {
    showParamError((e as Error).message);
    return;
  }
  showParamError(null);
  const { params, grammar } = view;
  $("summary").textContent = `d = S^L = ${grammar.d} positions (S = s(s0+1) = ${grammar.S}), ` +
    `m = ${params.m}, nc = ${params.nc}, Pmax = ${grammar.pmax} distinct data`;
  const level = $<HTMLSelectElement>("level");
  level.replaceChildren(
    ...Array.from({ length: params.L }, (_, i) => el("option", {}, String(i + 1))),
  );
  const p = params;
  $("sample-command").textContent = `= deno task experiment sample --L ${p.L} --s ${p.s} ` +
    `--s0 ${p.s0} --v ${p.v} --m ${p.m} --nc ${p.nc} --sparsity ${p.sparsity} --seed ${p.seed} ` +
    `--count 1 --sample-seed ${sampleSeed}`;
  drawGrammar(grammar);
  drawSample([]);
}

function drawGrammar(grammar: Grammar): void {
  const { L, s, m } = grammar.params;
  const out: HTMLElement[] = [];
  let shown = 0;
  for (let l = L; l >= 1; l--) {
    const rules = grammar.rules[l - 1];
    out.push(el("h3", {}, `level ${l}: ${l === L ? "class" : "symbol"} → ${s} symbols`));
    const table = el("table", { class: "rules" });
    const head = el("tr");
    head.append(el("th", {}, l === L ? "class" : "parent"));
    for (let k = 0; k < m; k++) head.append(el("th", {}, `synonym ${k}`));
    table.append(head);
    for (let parent = 0; parent < rules.length && shown < 400; parent++, shown++) {
      const row = el("tr");
      row.append(el("th", {}, String(parent)));
      for (const tuple of rules[parent]) row.append(el("td", {}, tuple.join(" ")));
      table.append(row);
    }
    out.push(table);
    if (shown >= 400) {
      out.push(el("p", { class: "note" }, "(first 400 rows shown)"));
      break;
    }
  }
  $("grammar").replaceChildren(...out);
}

function drawSample(changed: readonly number[]): void {
  if (view === null) return;
  const ds = view.current;
  const { v } = view.params;
  const d = ds.grammar.d;
  const tokens = [...ds.tokens.subarray(0, d)];
  const box = $("sample");
  box.setAttribute("data-tokens", JSON.stringify(tokens));
  box.setAttribute("data-label", String(ds.labels[0]));
  if (d > MAX_DRAWN) {
    box.replaceChildren(el("p", { class: "note" }, `d = ${d} positions: too long to draw`));
    ($("tree") as unknown as SVGSVGElement).replaceChildren();
    return;
  }
  const changedSet = new Set(changed);
  const S = ds.grammar.S;
  const spans = tokens.map((t, i) => {
    const cls = [
      "tok",
      t < 0 ? "empty" : "",
      changedSet.has(i) ? "changed" : "",
      i > 0 && i % S === 0 ? "patch-gap" : "",
    ].filter((c) => c !== "").join(" ");
    const span = el("span", { class: cls, "data-position": String(i) }, t < 0 ? "·" : String(t));
    if (t >= 0) span.style.background = colour(t, v);
    return span;
  });
  box.replaceChildren(...spans);
  const tree = derivationTree(ds, 0);
  drawTree(tree, d);
  box.onmouseover = (e) => {
    const pos = Number((e.target as HTMLElement).dataset?.position);
    if (Number.isInteger(pos)) highlight(tree, pos);
  };
  box.onmouseleave = () => highlight(tree, -1);
  $("moved").textContent = view.transformations === 0
    ? `class ${ds.labels[0]}`
    : `class ${ds.labels[0]}, ${view.transformations} transformation(s) applied; ` +
      `${changed.length} token(s) changed by the last one`;
}

let treeNodes: { node: TreeNode; g: SVGElement; edge: SVGElement | null }[] = [];

function drawTree(tree: TreeNode, d: number): void {
  const box = $("tree") as unknown as SVGSVGElement;
  const L = tree.level;
  const W = Math.max(d * 28, 200);
  const rowH = 140 / (L + 1);
  box.setAttribute("viewBox", `0 0 ${W} 150`);
  box.replaceChildren();
  treeNodes = [];
  if (d > 2048) return;
  const x = (n: TreeNode): number => {
    if (n.level === 0) return (n.start + 0.5) * (W / d);
    const xs = n.children.map(x);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const y = (n: TreeNode): number => 12 + (L - n.level) * rowH;
  const walk = (n: TreeNode, parent: TreeNode | null) => {
    let edge: SVGElement | null = null;
    if (parent !== null) {
      edge = svg("line", { x1: x(parent), y1: y(parent), x2: x(n), y2: y(n) });
      box.append(edge);
    }
    for (const c of n.children) walk(c, n);
    const g = svg("g", { class: "node" });
    g.append(svg("circle", { cx: x(n), cy: y(n), r: 9 }));
    g.append(svg("text", { x: x(n), y: y(n) + 4, "text-anchor": "middle" }, String(n.symbol)));
    const title = n.level === L
      ? `class ${n.symbol}, synonym ${n.production}`
      : n.level === 0
      ? `token ${n.symbol} at position ${n.start}`
      : `level ${n.level} symbol ${n.symbol}, synonym ${n.production}, placement ${n.placement}`;
    g.append(svg("title", {}, title));
    box.append(g);
    treeNodes.push({ node: n, g, edge });
  };
  walk(tree, null);
}

function highlight(tree: TreeNode, position: number): void {
  const path = position < 0 ? [] : pathTo(tree, position);
  const on = new Set(path);
  for (const t of treeNodes) {
    t.g.classList.toggle("on-path", on.has(t.node));
    t.edge?.classList.toggle("on-path", on.has(t.node));
  }
  for (const span of $("sample").children) {
    const p = Number((span as HTMLElement).dataset.position);
    span.classList.toggle("on-path", p === position && path.length > 0);
  }
  $("path").textContent = path.length === 0
    ? "Hover a token to see its derivation."
    : path.map((n) =>
      n.level === tree.level
        ? `class ${n.symbol}`
        : n.level === 0
        ? `token ${n.symbol} (position ${n.start})`
        : `level-${n.level} symbol ${n.symbol}`
    ).join(" → ");
}

function transformSample(kind: "diffeo" | "synonym"): void {
  if (view === null) return;
  const level = Number($<HTMLSelectElement>("level").value);
  // The first one is `sample --transform KIND --level l` with the sample seed; each further one
  // acts on the result, with the next seed.
  const seed = view.sampleSeed + view.transformations;
  try {
    const moved = applyTransformation(view.current, { kind, level }, seed);
    view.current = moved.data;
    view.transformations++;
    drawSample(moved.changed);
  } catch (e) {
    $("moved").textContent = (e as Error).message; // e.g. no other synonym when m = 1
  }
}

// ---------------------------------------------------------------- training

let worker: Worker | null = null;
let control: Int32Array | null = null;
let clicked = 0;
let reached: number | null = null;
let curve: { epoch: number; testError: number; loss: number }[] = [];

function trainConfig(): ExplorerConfig | string {
  if (view === null) return "draw a valid model first";
  const t = formValues($<HTMLFormElement>("train-form"));
  const int = (name: string, min: number): number | string => {
    const x = Number(t[name]);
    return (t[name] ?? "").trim() !== "" && Number.isSafeInteger(x) && x >= min
      ? x
      : `--${name} must be an integer >= ${min} (got ${JSON.stringify(t[name] ?? "")})`;
  };
  const p = view.params;
  const kind = t.kind === "lcn" ? "lcn" : "cnn";
  const lrText = (t.lr ?? "").trim();
  const lr = lrText === "" ? referenceLr(kind, p.s, p.L, p.s0) : Number(lrText);
  if (!(Number.isFinite(lr) && lr > 0)) return `--lr must be > 0 (got ${JSON.stringify(lrText)})`;
  const fields = {
    width: int("width", 1),
    P: int("P", 1),
    test: int("test", 1),
    batch: int("batch", 1),
    maxEpochs: int("maxEpochs", 1),
    evalEvery: int("evalEvery", 1),
    seed: int("seed", 0),
  };
  for (const x of Object.values(fields)) if (typeof x === "string") return x;
  const f = fields as Record<keyof typeof fields, number>;
  return { ...DEFAULT_CONFIG, ...f, params: p, kind, lr };
}

function setState(text: string): void {
  $("state").textContent = text;
}

function startTraining(): void {
  const config = trainConfig();
  const error = $("train-error");
  if (typeof config === "string") {
    error.hidden = false;
    error.textContent = config;
    return;
  }
  error.hidden = true;
  worker?.terminate();
  curve = [];
  reached = null;
  drawCurve();
  $("sensitivities").replaceChildren();
  for (const id of ["epoch", "loss", "test-error", "best-error", "time-to-threshold"]) {
    $(id).textContent = "-";
  }
  const exportLink = $<HTMLAnchorElement>("export");
  exportLink.classList.add("disabled");
  exportLink.removeAttribute("href");
  const shared = globalThis.crossOriginIsolated ? new SharedArrayBuffer(4) : null;
  control = shared === null ? null : new Int32Array(shared);
  clicked = performance.now();
  worker = new Worker("/dist/worker.js", { type: "module" });
  worker.onmessage = (e: MessageEvent<WorkerMessage>) => onWorker(e.data);
  worker.onerror = (e) => onWorker({ type: "error", message: e.message });
  const backend =
    ($<HTMLSelectElement>("train-form").querySelector("[name=backend]") as HTMLSelectElement)
      .value as BrowserBackend;
  const req: TrainRequest = { type: "train", config, backend, liveEvery: 5, control: shared };
  worker.postMessage(req);
  setState("starting (choosing the backend, drawing the data)");
  $<HTMLButtonElement>("stop").disabled = control === null;
  $<HTMLButtonElement>("resume").disabled = true;
}

function onWorker(m: WorkerMessage): void {
  switch (m.type) {
    case "backend":
      $("backend").textContent = m.name;
      $("backend-detail").textContent = m.detail;
      setState("training");
      break;
    case "epoch": {
      const r = m.record;
      $("epoch").textContent = String(r.epoch);
      $("loss").textContent = r.trainLoss.toPrecision(3);
      if (r.testError !== undefined) {
        $("test-error").textContent = r.testError.toFixed(4);
        curve.push({ epoch: r.epoch, testError: r.testError, loss: r.trainLoss });
        const best = Math.min(...curve.map((c) => c.testError));
        $("best-error").textContent = best.toFixed(4);
        if (reached === null && r.testError < 0.1) {
          reached = (performance.now() - clicked) / 1000;
          const cell = $("time-to-threshold");
          cell.textContent = `${reached.toFixed(1)} s after "train" ` +
            `(epoch ${r.epoch}, ${r.seconds.toFixed(1)} s of training)`;
          cell.dataset.seconds = reached.toFixed(2);
          cell.dataset.trainSeconds = r.seconds.toFixed(2);
          cell.dataset.epoch = String(r.epoch);
        }
        drawCurve();
      }
      break;
    }
    case "live":
      drawSensitivities(m.live, `live, weights of epoch ${m.live.epoch}`);
      break;
    case "paused":
      setState(`stopped after epoch ${m.epoch}`);
      break;
    case "resumed":
      setState("training");
      break;
    case "done": {
      setState(
        `done: ${m.status} after ${m.epochs} epochs, best test error ` +
          `${m.testError.toFixed(4)} at epoch ${m.bestEpoch}`,
      );
      drawSensitivities(m.sensitivities, `at the best test error (epoch ${m.bestEpoch})`);
      const link = $<HTMLAnchorElement>("export");
      link.href = URL.createObjectURL(new Blob([m.line + "\n"], { type: "application/json" }));
      link.classList.remove("disabled");
      link.dataset.line = m.line;
      $<HTMLButtonElement>("stop").disabled = true;
      $<HTMLButtonElement>("resume").disabled = true;
      break;
    }
    case "error": {
      setState("failed");
      const error = $("train-error");
      error.hidden = false;
      error.textContent = m.message;
      break;
    }
  }
}

function pause(on: boolean): void {
  if (control === null) return;
  Atomics.store(control, 0, on ? 1 : 0);
  if (!on) Atomics.notify(control, 0);
  $<HTMLButtonElement>("stop").disabled = on;
  $<HTMLButtonElement>("resume").disabled = !on;
  if (on) setState("stopping after this epoch");
}

function drawCurve(): void {
  const box = $("curve") as unknown as SVGSVGElement;
  box.replaceChildren();
  const W = 640, H = 240, left = 48, right = 12, top = 12, bottom = 32;
  const maxEpoch = Math.max(10, ...curve.map((c) => c.epoch));
  const maxErr = Math.max(0.8, ...curve.map((c) => c.testError));
  const x = (e: number) => left + ((W - left - right) * e) / maxEpoch;
  const y = (v: number) => top + (H - top - bottom) * (1 - v / maxErr);
  box.append(svg("line", { x1: left, y1: y(0), x2: W - right, y2: y(0), stroke: "#999" }));
  box.append(svg("line", { x1: left, y1: top, x2: left, y2: y(0), stroke: "#999" }));
  for (const v of [0, 0.2, 0.4, 0.6, 0.8].filter((v) => v <= maxErr)) {
    box.append(svg("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, v.toFixed(1)));
  }
  box.append(svg("line", {
    x1: left,
    y1: y(0.1),
    x2: W - right,
    y2: y(0.1),
    stroke: "#e65100",
    "stroke-dasharray": "4 3",
  }));
  box.append(
    svg("text", { x: W - right, y: y(0.1) - 4, "text-anchor": "end", fill: "#e65100" }, "10 %"),
  );
  box.append(svg("text", { x: (W + left) / 2, y: H - 6, "text-anchor": "middle" }, "epoch"));
  box.append(svg("text", { x: left + 4, y: top + 4 }, "test error"));
  for (const e of [0, maxEpoch]) {
    box.append(svg("text", { x: x(e), y: y(0) + 14, "text-anchor": "middle" }, String(e)));
  }
  if (curve.length > 0) {
    const d = curve.map((c, i) => `${i === 0 ? "M" : "L"}${x(c.epoch)},${y(c.testError)}`).join("");
    box.append(svg("path", { d, fill: "none", stroke: "#1565c0", "stroke-width": 2 }));
  }
}

function drawSensitivities(s: Sensitivities, when: string): void {
  const L = s.S[0].length;
  const table = (name: string, rows: number[][], title: string) => {
    const t = el("table", { class: "sens", "data-testid": `sens-${name}` });
    t.append(el("caption", {}, title));
    const head = el("tr");
    head.append(el("th", {}, "layer \\ level"));
    for (let l = 1; l <= L; l++) head.append(el("th", {}, `l = ${l}`));
    t.append(head);
    rows.forEach((row, k) => {
      const tr = el("tr");
      tr.append(el("th", {}, k === rows.length - 1 ? "logits" : `k = ${k + 1}`));
      for (const v of row) {
        const td = el("td", {}, Number.isFinite(v) ? v.toFixed(3) : String(v));
        const a = Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
        td.style.background = `rgba(21, 101, 192, ${0.08 + 0.6 * a})`;
        tr.append(td);
      }
      t.append(tr);
    });
    return t;
  };
  $("sensitivities").replaceChildren(
    el("p", { class: "note" }, `Sensitivities (${when}), layer k against level l:`),
    table("S", s.S, "S_{k,l}: synonym exchange"),
    table("D", s.D, "D_{k,l}: diffeomorphism"),
  );
}

// ---------------------------------------------------------------- results.jsonl figures

async function loadResults(file: File): Promise<void> {
  const status = $("results-status");
  const { results, warnings } = parseResults(await file.text());
  const ok = results.filter((r) => r.status === "ok");
  const figures = summarizeResults(ok, { bootstrap: 200 }).flatMap(figuresOf);
  status.textContent = `${file.name}: ${results.length} run(s), ${ok.length} ok, ` +
    `${figures.length} figure(s)` + (warnings.length > 0 ? `; ${warnings.join("; ")}` : "");
  const choice = $<HTMLSelectElement>("figure-choice");
  choice.replaceChildren(...figures.map((f, i) => el("option", { value: String(i) }, f.name)));
  choice.hidden = figures.length === 0;
  const show = async () => {
    const f = figures[Number(choice.value)];
    const box = $("figure");
    box.replaceChildren();
    if (f === undefined) return;
    // Every mark tells its values on hover (vega's default handler: the SVG element's title).
    const config = (f.spec as { config?: { mark?: object } }).config ?? {};
    const spec0 = { ...f.spec, config: { ...config, mark: { ...config.mark, tooltip: true } } };
    const { vega: spec } = compileSpec(spec0 as typeof f.spec);
    const tip = $("figure-tip");
    tip.textContent = "Hover a mark for its values.";
    await new vega.View(vega.parse(spec), { renderer: "svg", container: box, hover: true })
      .tooltip((_handler: unknown, _event: unknown, _item: unknown, value: unknown) => {
        if (value === null || value === undefined || value === "") return;
        tip.textContent = typeof value === "object"
          ? Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${v}`).join(
            ", ",
          )
          : String(value);
      })
      .runAsync();
  };
  choice.onchange = () => void show();
  await show();
}

// ---------------------------------------------------------------- wiring

function main(): void {
  $<HTMLFormElement>("params").addEventListener("submit", (e) => {
    e.preventDefault();
    draw();
  });
  $<HTMLFormElement>("params").addEventListener("change", () => draw());
  $("diffeo").addEventListener("click", () => transformSample("diffeo"));
  $("synonym").addEventListener("click", () => transformSample("synonym"));
  $("reset").addEventListener("click", () => {
    if (view === null) return;
    view.current = view.original;
    view.transformations = 0;
    drawSample([]);
  });
  $("train").addEventListener("click", startTraining);
  $("stop").addEventListener("click", () => pause(true));
  $("resume").addEventListener("click", () => pause(false));
  $<HTMLInputElement>("results-file").addEventListener("change", (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) {
      loadResults(file).catch((err) => {
        $("results-status").textContent = `could not read ${file.name}: ${(err as Error).message}`;
      });
    }
  });
  const lr = $<HTMLFormElement>("train-form").querySelector("[name=lr]") as HTMLInputElement;
  lr.placeholder = String(DEFAULT_CONFIG.lr);
  const backend = new URLSearchParams(location.search).get("backend");
  if (backend !== null) {
    ($<HTMLFormElement>("train-form").querySelector("[name=backend]") as HTMLSelectElement)
      .value = backend;
  }
  draw();
  drawCurve();
  document.body.dataset.ready = "true";
}

main();
