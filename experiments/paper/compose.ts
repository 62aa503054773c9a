/**
 * The experiments a paper figure is composed of (`scaling`, `hierarchy`, `architectures`), and the plan of one invocation of them: the experiment's own options declared on a
 * fresh command, the invocation's arguments parsed, the experiment's own plan. Synchronous and
 * free of the registry (which lists `paper` itself).
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import type { AnyExperiment } from "../experiment.ts";
import type { AnyCommand } from "../cli/options.ts";
import { usage, UsageError } from "../cli/usage_error.ts";
import { architectures } from "../architectures/mod.ts";
import { hierarchy } from "../hierarchy/mod.ts";
import { scaling } from "../scaling/mod.ts";
import type { Plan } from "../plan.ts";
import type { Invocation } from "./invocations.ts";

/** The experiments the figures are made of, by name. */
export const COMPOSED: Readonly<Record<string, AnyExperiment>> = {
  scaling: scaling as unknown as AnyExperiment,
  hierarchy: hierarchy as unknown as AnyExperiment,
  architectures: architectures as unknown as AnyExperiment,
};

/**
 * Whether this build has the experiment a figure needs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasComposedExperiment } from "./compose.ts";
 * assert.ok(hasComposedExperiment("scaling") && hasComposedExperiment("architectures"));
 * assert.ok(!hasComposedExperiment("curve"));
 * ```
 */
export function hasComposedExperiment(name: string): boolean {
  return Object.hasOwn(COMPOSED, name);
}

/**
 * The plan of an invocation (`scaling --s 2 --vary s0 ...`), as the experiment's command would
 * make it; a bad argument or an unknown experiment is a `UsageError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planOfInvocation } from "./compose.ts";
 * const plan = planOfInvocation({ experiment: "hierarchy", args: ["--P", "100,200"] });
 * assert.equal(plan.runs.length, 2);
 * assert.equal(plan.experiment, "hierarchy");
 * ```
 */
export function planOfInvocation(invocation: Invocation): Plan {
  const entry = COMPOSED[invocation.experiment];
  if (entry === undefined || !hasComposedExperiment(invocation.experiment)) {
    throw new UsageError(
      `the paper's figures are made of ${Object.keys(COMPOSED).join(", ")} (got ${
        JSON.stringify(invocation.experiment)
      })`,
    );
  }
  const command = entry.options.declare(new Command(invocation.experiment) as unknown as AnyCommand)
    .exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  try {
    command.parse([...invocation.args], { from: "user" });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.replace(/^error: /, "") : String(e));
  }
  return usage(() => entry.plan(entry.options.fromCli(command.opts())));
}
