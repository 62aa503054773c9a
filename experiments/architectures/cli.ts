/**
 * The `architectures` command:
 *
 *     deno task experiment architectures [--scale small|paper] [--seeds N] [--nets list]
 *         [--backend name] [--out DIR] [--quiet]
 *
 * trains the networks of the paper's Figure 1 on its SRHM and writes `results.jsonl`,
 * `summary.json`, `architectures.svg`/`.png` and `report.md` into `--out DIR` (default
 * `results/architectures-<scale>`); running it again on the same DIR resumes.
 *
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import { BACKEND_NAMES, NET_KINDS, type NetKind } from "@srhm/networks";
import { UsageError } from "../cli/usage_error.ts";
import { type ArchitecturesOptions, FIGURE1_NETS } from "./plan.ts";
import { runArchitectures } from "./run.ts";

/** The raw option strings of `architectures`. */
export interface ArchitecturesCliOptions {
  scale?: string;
  seeds?: string;
  nets?: string;
  backend?: string;
  out?: string;
  quiet?: boolean;
}

/**
 * The plan's options from the command line. Throws a `UsageError` naming the option and its bound.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { architecturesOptionsFromCli } from "./cli.ts";
 * const o = architecturesOptionsFromCli({ scale: "paper", seeds: "3", nets: "cnn,vgg11" });
 * assert.deepEqual(o, { scale: "paper", seeds: 3, nets: ["cnn", "vgg11"], backend: "auto" });
 * assert.throws(() => architecturesOptionsFromCli({ seeds: "0" }), /--seeds must be an integer >= 1/);
 * assert.throws(() => architecturesOptionsFromCli({ nets: "cnn,alexnet" }), /--nets: alexnet/);
 * ```
 */
export function architecturesOptionsFromCli(o: ArchitecturesCliOptions): ArchitecturesOptions {
  const scale = o.scale ?? "small";
  if (scale !== "small" && scale !== "paper") {
    throw new UsageError(`--scale must be small or paper (got ${scale})`);
  }
  const seeds = o.seeds === undefined ? undefined : Number(o.seeds);
  if (seeds !== undefined && !(Number.isSafeInteger(seeds) && seeds >= 1)) {
    throw new UsageError(`--seeds must be an integer >= 1 (got ${o.seeds})`);
  }
  const nets = o.nets === undefined ? undefined : o.nets.split(",").map((x) => x.trim());
  for (const n of nets ?? []) {
    if (!(NET_KINDS as readonly string[]).includes(n)) {
      throw new UsageError(`--nets: ${n} is not one of ${NET_KINDS.join(", ")}`);
    }
  }
  const backend = o.backend ?? "auto";
  if (!(BACKEND_NAMES as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(", ")} (got ${backend})`);
  }
  return {
    scale,
    ...(seeds === undefined ? {} : { seeds }),
    ...(nets === undefined ? {} : { nets: nets as NetKind[] }),
    backend,
  };
}

/**
 * Registers `architectures` on the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { registerArchitecturesCommand } from "./cli.ts";
 * const program = new Command();
 * registerArchitecturesCommand(program);
 * assert.ok(program.commands.some((c) => c.name() === "architectures"));
 * ```
 */
export function registerArchitecturesCommand(program: Command): void {
  program
    .command("architectures")
    .description(
      "the paper's Figure 1: test error against sensitivity for cnn, lcn and five standard deep " +
        "networks on one SRHM",
    )
    .option("--scale <scale>", "small (default: a CPU version) or paper (the authors' sizes)")
    .option("--seeds <N>", "seeds per network (default: 2 small, 3 paper)")
    .option("--nets <list>", `networks, comma-separated (default ${FIGURE1_NETS.join(",")})`)
    .option("--backend <name>", `${BACKEND_NAMES.join(", ")} (default auto)`)
    .option("--out <DIR>", "output directory (default results/architectures-<scale>)")
    .option("--quiet", "no progress lines on stderr")
    .action(async (opts) => {
      const options = architecturesOptionsFromCli(opts as ArchitecturesCliOptions);
      const out = (opts as ArchitecturesCliOptions).out ?? `results/architectures-${options.scale}`;
      const quiet = (opts as ArchitecturesCliOptions).quiet ?? false;
      const outcome = await runArchitectures(options, out, {
        onProgress: (e) => {
          if (!quiet && e.kind === "finish") {
            console.error(
              `[${e.done}/${e.total}] ${e.run.network.kind} seed ${e.run.seed}: ${e.status} ` +
                `(${e.elapsed.toFixed(0)} s)`,
            );
          }
        },
      });
      for (const c of outcome.summary.correlation) {
        console.log(
          `${c.measure}: Spearman ${c.spearman.toFixed(3)} [${c.interval[0].toFixed(2)}, ` +
            `${c.interval[1].toFixed(2)}]`,
        );
      }
      console.log(out);
    });
}
