/**
 * Markdown reports from experiment summaries: the parameters, the table of points, `P*`, `P*_S`,
 * `P*_D` beside the paper's law, scaling fits beside the paper's exponent, the hierarchy tables,
 * the notes (why a value is missing) and the figures.
 *
 * @module
 */
import type { HierarchySummary } from "./hierarchy.ts";
import type { ExperimentSummary } from "./summarize.ts";
import type { CurveSummary, ScalingSummary } from "./summary.ts";

/**
 * A number for a table: 3 significant digits, `—` for `null`/`NaN`, integers as integers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fmt } from "./report.ts";
 * assert.ok(fmt(0.123456) === "0.123" && fmt(null) === "—" && fmt(1234.5) === "1235");
 * ```
 */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "-∞";
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return Number(x.toPrecision(3)).toString();
}

const table = (header: string[], rows: string[][]): string =>
  [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

const paramsLine = (c: CurveSummary): string => {
  const p = c.params;
  const n = c.network;
  const t = c.training;
  return `L=${p.L}, s=${p.s}, s0=${p.s0}, v=${p.v}, m=${p.m}, nc=${p.nc}, sparsity ${p.sparsity}, ` +
    `grammar seed ${p.seed}; ${n.kind?.toUpperCase()} width ${n.width}, bias ${n.bias}, ` +
    `${n.parametrisation}; lr ${t.lr}, batch ${t.batch}, ≤ ${t.maxEpochs} epochs, stop at loss ` +
    `${t.stopLoss}, ${t.encoding} encoding, backend ${t.backend}`;
};

/**
 * The Markdown section of one learning curve.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { curveSection } from "./report.ts";
 * import { summarizeCurve } from "./summary.ts";
 * const params = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
 * const line = (P: number, e: number) => ({ id: `${P}`, status: "ok" as const, backend: "cpu",
 *   versions: {}, timings: {}, metrics: { testError: e },
 *   run: { experiment: "curve", P, seed: 0, params, network: { kind: "cnn" }, training: {} } as never });
 * const md = curveSection(summarizeCurve([line(300, 0.3), line(900, 0.05)]));
 * assert.ok(md.includes("P*"));
 * ```
 */
export function curveSection(c: CurveSummary): string {
  const rows = c.points.map((p) => [
    String(p.P),
    `${fmt(p.testError)}${p.seeds > 1 ? ` ± ${fmt(p.testErrorStd)}` : ""}`,
    fmt(p.S[1]?.[0]),
    fmt(p.D[1]?.[0]),
    fmt(p.S[0]?.[0]),
    fmt(p.D[0]?.[0]),
    `${p.seeds}${p.failed > 0 ? ` (+${p.failed} failed)` : ""}`,
    fmt(p.epochs),
    fmt(p.seconds),
  ]);
  const ratio = (x: number | null) =>
    x !== null && c.pstar !== null ? ` (${fmt(x / c.pstar)} × P*)` : "";
  return [
    paramsLine(c),
    "",
    table(
      [
        "P",
        "test error",
        `S_2 (S_{2,1})`,
        "D_2",
        "S_1",
        "D_1",
        "seeds",
        "epochs",
        "train s",
      ],
      rows,
    ),
    "",
    `- P* (test error ${fmt(c.thresholds.error)}): **${
      fmt(c.pstar)
    }**; the paper's law ${c.law}: ` +
    `${fmt(c.predicted)}${c.ratio !== null ? ` (measured / predicted = ${fmt(c.ratio)})` : ""}`,
    `- P*_S (S_2 < ${fmt(c.thresholds.S)}): ${fmt(c.pstarS)}${ratio(c.pstarS)}`,
    `- P*_D (D_2 < ${fmt(c.thresholds.D)}): ${fmt(c.pstarD)}${ratio(c.pstarD)}`,
    ...c.notes.map((n) => `- note: ${n}`),
  ].join("\n");
}

/**
 * The Markdown section of a scaling summary (one network kind).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scalingSection } from "./report.ts";
 * const md = scalingSection({ kind: "cnn", variable: "s0", x: "s0+1", exponent: 2.1, interval: [1.8, 2.4],
 *   standardError: 0.1, prefactor: 150, predictedExponent: 2, fitOn: "mean-curve", points: [], curves: [], notes: [] });
 * assert.ok(md.includes("2.1") && md.includes("[1.8, 2.4]"));
 * ```
 */
export function scalingSection(s: ScalingSummary): string {
  const rows = s.points.map((p) => [
    String(p.s0),
    String(p.v),
    String(p.L),
    fmt(p.x),
    fmt(p.pstar),
    fmt(p.predicted),
    p.pstar !== null && p.predicted !== null ? fmt(p.pstar / p.predicted) : "—",
    fmt(p.pstarS),
    fmt(p.pstarD),
    ...(s.fitOn === "per-seed" ? [p.pstarSeeds.map(fmt).join(", ")] : []),
  ]);
  const header = ["s0", "v", "L", s.x, "P*", "law", "P*/law", "P*_S", "P*_D"];
  return [
    `${s.kind.toUpperCase()}: P* against ${s.x}`,
    "",
    table(s.fitOn === "per-seed" ? [...header, "P* per seed"] : header, rows),
    "",
    `- fitted exponent: **${fmt(s.exponent)}**, 95 % bootstrap interval ` +
    `${s.interval ? `[${fmt(s.interval[0])}, ${fmt(s.interval[1])}]` : "—"}, standard error ` +
    `${fmt(s.standardError)}, fitted on ${
      s.fitOn === "per-seed" ? "each seed's P*" : "the P* of each curve"
    }; the paper's exponent: ${fmt(s.predictedExponent)}` +
    (s.interval && s.predictedExponent !== null
      ? ` (${
        s.interval[0] <= s.predictedExponent && s.predictedExponent <= s.interval[1]
          ? "inside"
          : "outside"
      } the interval)`
      : ""),
    ...s.notes.map((n) => `- note: ${n}`),
    "",
    ...s.curves.map((c) => `#### ${s.variable} = ${c.params[s.variable]}\n\n${curveSection(c)}\n`),
  ].join("\n");
}

/**
 * The Markdown section of a hierarchy summary: `S_{k,l}` and `D_{k,l}` per P.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hierarchySection } from "./report.ts";
 * import { summarizeHierarchy } from "./hierarchy.ts";
 * const params = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
 * const line = { id: "a", status: "ok" as const, backend: "cpu", versions: {}, timings: {},
 *   run: { experiment: "hierarchy", P: 100, seed: 0, params, network: { kind: "cnn" }, training: {} } as never,
 *   metrics: { testError: 0.01, S: [[0.9, 0.8], [0.05, 0.7], [0.01, 0.1]], D: [[0.5, 0.5], [0.05, 0.3], [0.01, 0.05]] } };
 * assert.ok(hierarchySection(summarizeHierarchy([line])).includes("S_{1,1}"));
 * ```
 */
export function hierarchySection(h: HierarchySummary): string {
  const L = h.params.L;
  const cols: { k: number; l: number }[] = [];
  for (let k = 0; k <= L; k++) for (let l = 0; l < L; l++) cols.push({ k, l });
  const name = (k: number) => (k === L ? "out" : String(k + 1));
  const tableOf = (what: "S" | "D") =>
    table(
      ["P", ...cols.map(({ k, l }) => `${what}_{${name(k)},${l + 1}}`)],
      h.points.map((p) => [String(p.P), ...cols.map(({ k, l }) => fmt(p[what][k]?.[l]))]),
    );
  const first = (xs: (number | null)[]) =>
    xs.map((k, l) =>
      `level ${l + 1}: ${k === null ? "none" : k === L + 1 ? "logits" : `layer ${k}`}`
    )
      .join("; ");
  return [
    curveSection(h),
    "",
    "Synonym sensitivities S_{k,l} (k: layer, `out` = logits; l: level):",
    "",
    tableOf("S"),
    "",
    "Diffeomorphism sensitivities D_{k,l}:",
    "",
    tableOf("D"),
    "",
    `At the largest P, the first layer from which S stays below ${fmt(h.small.S)}: ` +
    `${first(h.firstInsensitiveS)}; D below ${fmt(h.small.D)}: ${first(h.firstInsensitiveD)}. ` +
    `The paper: layer l+1 for level l.`,
  ].join("\n");
}

/**
 * A whole report: a title, one section per experiment summary, and the figures (relative paths).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderReport } from "./report.ts";
 * const md = renderReport([], { title: "empty", figures: ["curve.svg"] });
 * assert.ok(md.startsWith("# empty") && md.includes("![curve.svg](curve.svg)"));
 * ```
 */
export function renderReport(
  summaries: readonly ExperimentSummary[],
  options: { title: string; figures?: readonly string[]; preamble?: readonly string[] },
): string {
  const sections = summaries.map((s) => {
    if (s.type === "scaling") {
      return `## scaling\n\n${s.kinds.map(scalingSection).join("\n\n")}`;
    }
    if (s.type === "hierarchy") {
      return `## hierarchy\n\n${s.curves.map(hierarchySection).join("\n\n")}`;
    }
    return `## ${s.experiment}\n\n${s.curves.map(curveSection).join("\n\n")}`;
  });
  const figures = (options.figures ?? []).filter((f) => f.endsWith(".svg") || f.endsWith(".png"));
  const shown = figures.filter((f) =>
    f.endsWith(".png") || !figures.includes(f.replace(/\.svg$/, ".png"))
  );
  return [
    `# ${options.title}`,
    "",
    ...(options.preamble ?? []).flatMap((p) => [p, ""]),
    ...sections.flatMap((s) => [s, ""]),
    ...(shown.length > 0 ? ["## Figures", "", ...shown.map((f) => `![${f}](${f})`), ""] : []),
  ].join("\n");
}
