/**
 * CLI command `default` (what `deno task experiment` runs without a command, with or without its
 * options: `deno task experiment --backend cpu`): a small but real reproduction that finishes in
 * about 20 seconds on a 2-core CPU. The CNN learning curve of the
 * SRHM with `s = 2, L = 2, s0 = 1, v = m = nc = 4` (sparsity A, grammar seed 0) on the `small`
 * preset (width 64, mini-batches of 32, at most 300 epochs, 2000 test data, 7 values of P
 * log-spaced from P_pred / 4 to 4 P_pred around the paper's `P* = 2.5 (s0+1)^2 nc m^L = 640`),
 * with the sensitivities `S_{k,l}`, `D_{k,l}` on 20 fresh data per class. It writes
 * `results.jsonl`, `summary.json` (`P*`, `P*_S`, `P*_D`, the prediction, the points), PNG and SVG
 * figures and `report.md` into `--out DIR` (default `results/default-<UTC timestamp>/`), and
 * prints `P*`, `P*_S`, `P*_D` beside the law. It is exactly `curve` with no options, so the same
 * DIR resumes either.
 *
 * @module
 */
import { type Command, Option } from "@commander-js/extra-typings";
import { BACKEND_NAMES } from "@srhm/networks/config";
import { makeParams, type SrhmParams } from "@srhm/generators";
import type { Plan } from "../plan.ts";
import { defaultOut, executeWithProgress, planFromArgsNow, workersOption } from "./experiments.ts";

/** The default model's parameters. */
export const DEFAULT_PARAMS: SrhmParams = makeParams({ L: 2, s: 2, s0: 1, v: 4, sparsity: "A" });

/**
 * The plan of the default experiment (the learning curve of `DEFAULT_PARAMS` on the `small`
 * preset; `backend` as for `curve`, default `auto`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultPlan } from "./default.ts";
 * const plan = defaultPlan();
 * assert.ok(plan.runs.length === 7 && plan.runs[0].params.s0 === 1);
 * ```
 */
export function defaultPlan(backend?: string): Plan {
  const plan = planFromArgsNow("curve", backend === undefined ? [] : ["--backend", backend]);
  const p = plan.runs[0].params;
  const d = DEFAULT_PARAMS;
  if (p.L !== d.L || p.s !== d.s || p.s0 !== d.s0 || p.v !== d.v || p.m !== d.m || p.nc !== d.nc) {
    throw new Error("the curve defaults no longer match DEFAULT_PARAMS");
  }
  return plan;
}

/**
 * Registers the `default` command.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { registerDefaultCommand } from "./default.ts";
 * const program = new Command();
 * registerDefaultCommand(program);
 * assert.ok(program.commands[0].name() === "default");
 * ```
 */
export function registerDefaultCommand(program: Command): void {
  program
    .command("default", { isDefault: true })
    .description(
      "the default run (also without its name): CNN learning curve of s=2, L=2, s0=1, v=m=nc=4 " +
        "with P*, P*_S, P*_D (about 20 s on 2 CPU cores)",
    )
    .option("--out <dir>", "output directory (default results/default-<timestamp>/)")
    .addOption(
      new Option("--backend <name>", "TensorFlow.js backend").choices(BACKEND_NAMES)
        .default("auto" as const),
    )
    .option("--workers <N>", "processes computing the runs on this machine (default 1)")
    .option("--allow-mixed-versions", "resume results written by another version of the code")
    .option("--quiet", "no progress on stderr")
    .action(async (opts) => {
      const out = opts.out ?? defaultOut("default");
      const plan = defaultPlan(opts.backend);
      const workers = workersOption(opts.workers);
      if (opts.quiet !== true) {
        console.error(
          "default experiment: CNN learning curve of the SRHM s=2, L=2, s0=1, v=m=nc=4 " +
            "(paper: P* = 2.5 (s0+1)^2 nc m^L = 640)",
        );
      }
      await executeWithProgress(plan, out, {
        quiet: opts.quiet,
        workers,
        allowMixedVersions: opts.allowMixedVersions,
        title: "Default experiment: CNN learning curve, s=2, L=2, s0=1, v=m=nc=4",
      });
    });
}
