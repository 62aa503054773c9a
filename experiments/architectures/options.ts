/**
 * The command-line options of `architectures`:
 *
 *     deno task experiment architectures [--scale small|paper] [--seeds N] [--nets list]
 *         [--backend name] [--out DIR] [--retry-failed] [--quiet]
 *
 * @module
 */
import { Option } from "@commander-js/extra-typings";
import { BACKEND_NAMES } from "@srhm/networks/config";
import { NET_KINDS, type NetKind } from "@srhm/networks/kinds";
import { type AnyCommand, choiceList, integer } from "../cli/options.ts";
import { type ArchitecturesOptions, FIGURE1_NETS } from "./plan.ts";

/** What commander parses for `architectures`. */
export interface ArchitecturesCliOptions {
  /** `--scale`. */
  readonly scale: "small" | "paper";
  /** `--seeds`. */
  readonly seeds?: number;
  /** `--nets`. */
  readonly nets?: NetKind[];
  /** `--backend`. */
  readonly backend: string;
}

/**
 * Declares the options on the experiment's command.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { declareArchitecturesOptions } from "./options.ts";
 * const c = declareArchitecturesOptions(new Command("architectures") as never);
 * assert.ok(c.options.some((o) => o.long === "--nets"));
 * ```
 */
export function declareArchitecturesOptions(command: AnyCommand): AnyCommand {
  return command
    .addOption(
      new Option("--scale <scale>", "small (a CPU version) or paper (the authors' sizes)")
        .choices(["small", "paper"] as const).default("small" as const),
    )
    .addOption(
      new Option("--seeds <N>", "seeds per network (default: 2 small, 3 paper)").argParser(
        integer(1),
      ),
    )
    .addOption(
      new Option("--nets <list>", `networks, comma-separated (default ${FIGURE1_NETS.join(",")})`)
        .argParser(choiceList(NET_KINDS)),
    )
    .addOption(new Option("--backend <name>", "backend").choices(BACKEND_NAMES).default("auto"))
    .option("--out <dir>", "output directory (default results/<experiment>-<timestamp>/)")
    .option("--retry-failed", "also compute again the runs recorded as failed")
    .option("--quiet", "no progress on stderr") as unknown as AnyCommand;
}

/**
 * The plan's options from what commander parsed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { architecturesOptionsFromCli } from "./options.ts";
 * const o = architecturesOptionsFromCli({ scale: "paper", seeds: 3, backend: "auto" });
 * assert.deepEqual(o, { scale: "paper", seeds: 3, backend: "auto" });
 * ```
 */
export function architecturesOptionsFromCli(o: ArchitecturesCliOptions): ArchitecturesOptions {
  return {
    scale: o.scale,
    ...(o.seeds === undefined ? {} : { seeds: o.seeds }),
    ...(o.nets === undefined ? {} : { nets: o.nets }),
    backend: o.backend,
  };
}
