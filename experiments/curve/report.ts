/**
 * The report section of learning curves: the parameters, the protocol in one line, the table of
 * points, `P*`, `P*_S`, `P*_D` beside the paper's law, the learning rates a grid chose, and the
 * notes (why a value is missing).
 *
 * @module
 */
import { fmt, table } from "../markdown.ts";
import type { CurveExperimentSummary, CurveSummary } from "./summary.ts";

/**
 * The line of a curve's parameters: the model, the network and the training recipe.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { paramsLine } from "./report.ts";
 * const line = paramsLine({ params: { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 },
 *   network: { kind: "cnn", width: 8 }, training: { lr: 0.1 } } as never);
 * assert.ok(line.startsWith("L=2, s=2, s0=1") && line.includes("CNN width 8"));
 * ```
 */
export function paramsLine(c: Pick<CurveSummary, "params" | "network" | "training">): string {
  const p = c.params;
  const n = c.network;
  const t = c.training;
  return `L=${p.L}, s=${p.s}, s0=${p.s0}, v=${p.v}, m=${p.m}, nc=${p.nc}, sparsity ${p.sparsity}, ` +
    `grammar seed ${p.seed}; ${n.kind?.toUpperCase()} width ${n.width}, bias ${n.bias}, ` +
    `${n.parametrisation}; lr ${t.lr}, batch ${t.batch}, ≤ ${t.maxEpochs} epochs, stop at loss ` +
    `${t.stopLoss}, ${t.encoding} encoding, backend ${t.backend}`;
}

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
  const choices = c.lrChoices ?? [];
  const chosen = choices.length === 0 ? [] : [
    `- learning rate chosen per point (best test error of the grid; ${choices.length} points): ` +
    [...new Set(choices.map((x) => x.lr))].sort((a, b) => a - b).map((lr) =>
      `${lr} × ${choices.filter((x) => x.lr === lr).length}`
    ).join(", ") + ` (run ids in summary.json, \`lrChoices\`)`,
    ...[...new Set(choices.map((x) => x.P))].sort((a, b) => a - b).map((P) =>
      `  - P = ${P}: ${
        choices.filter((x) => x.P === P).map((x) =>
          `seed ${x.grammarSeed}/${x.seed} lr ${x.lr} (${
            Object.entries(x.byLr).map(([lr, e]) => `${lr}: ${fmt(e)}`).join(", ")
          })`
        ).join("; ")
      }`
    ),
  ];
  return [
    paramsLine(c),
    "",
    c.protocol ?? "",
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
    ...chosen,
    ...c.notes.map((n) => `- note: ${n}`),
  ].join("\n");
}

/**
 * The report section of a curve experiment: one sub-section per learning curve.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { curveReportSection } from "./report.ts";
 * const md = curveReportSection({ type: "curve", experiment: "curve", curves: [] } as never);
 * assert.equal(md, "## curve\n\n");
 * ```
 */
export function curveReportSection(s: CurveExperimentSummary): string {
  return `## ${s.experiment}\n\n${s.curves.map(curveSection).join("\n\n")}`;
}

/**
 * The headline of learning curves for stdout: `P*`, `P*_S`, `P*_D` beside the law, one line per
 * curve.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { curveHeadline } from "./report.ts";
 * assert.deepEqual(curveHeadline({ curves: [] }), []);
 * ```
 */
export function curveHeadline(s: { readonly curves: readonly CurveSummary[] }): string[] {
  return s.curves.map((c) =>
    `${c.network.kind} L=${c.params.L} s0=${c.params.s0} v=${c.params.v}: P* = ${fmt(c.pstar)} ` +
    `(law ${fmt(c.predicted)}), P*_S = ${fmt(c.pstarS)}, P*_D = ${fmt(c.pstarD)}`
  );
}
