/**
 * The protocol of a run: every choice of training and measuring that moves `P*`, `P*_S` or
 * `P*_D`, beside the model and the network (issue 9). The defaults are the authors' (docs/protocol.md:
 * transformations, training, measurements); each has a named alternative:
 *
 * | field | the authors' (default) | alternative |
 * |---|---|---|
 * | `training.lr` | their table (`referenceLr`) | `--lr x` (one rate), `--lr-grid` |
 * | `network.fcnScale` | `channels` | `fan-in` |
 * | `training.stopCheck` | `eval` (only at evaluation epochs) | `epoch` |
 * | `training.balanced` | `true` (class-balanced sets) | `false` |
 * | `training.mode` | `distinct` (this project's; the SRHM code ran `iid`) | `iid` |
 * | `measure.synonymVariant` | `redraw` | `other` |
 * | `measure.cumulative` | `true` | `false` |
 * | `measure.denominator` | `batch-pairs` | `independent` |
 *
 * `makeRun` writes every field into the run, defaults included, so a results line always says
 * the protocol it ran under (and the run id covers it). Lines written before these fields existed
 * lack them: `legacyProtocol` reads them with the values that code used (the alternatives above,
 * `measure.variant` renamed `synonymVariant`), so `report` and `plot` still read old directories.
 * `protocol_line.ts` states a protocol in one line.
 *
 * @module
 */
import type { StopCheck } from "@srhm/networks/lr";
import type { Run, RunMeasure, RunNetwork, RunSpec, RunTraining } from "./run.ts";

// When the stopping loss is checked: `eval` (the authors') or `epoch`. The type is
// `@srhm/networks`' own, from its light subpath `lr` (no TensorFlow.js), so that plans load alone.
export type { StopCheck };
/** The denominator of `S` and `D`: `batch-pairs` (the authors') or `independent`. */
export type Denominator = "batch-pairs" | "independent";
/** The synonym exchange of `S`: `redraw` (the authors') or `other`. */
export type SynonymVariant = "redraw" | "other";
/** Which seeds `--seeds N` varies: `all` (grammar, data, init) or `data` (data and init). */
export type SeedScope = "all" | "data";

/** The stop checks, the authors' first. */
export const STOP_CHECK_CHOICES: readonly StopCheck[] = ["eval", "epoch"];
/** The denominators, the authors' first. */
export const DENOMINATORS: readonly Denominator[] = ["batch-pairs", "independent"];
/** The synonym variants, the authors' first. */
export const SYNONYM_VARIANTS: readonly SynonymVariant[] = ["redraw", "other"];
/** The seed scopes, the default first. */
export const SEED_SCOPES: readonly SeedScope[] = ["all", "data"];

/** The protocol fields of a run, each part complete. */
export interface ProtocolFields {
  /** Network part. */
  readonly network: { readonly fcnScale: "channels" | "fan-in" };
  /** Training part. */
  readonly training: {
    readonly mode: "distinct" | "iid";
    readonly stopCheck: StopCheck;
    readonly balanced: boolean;
  };
  /** Measure part. */
  readonly measure: {
    readonly synonymVariant: SynonymVariant;
    readonly cumulative: boolean;
    readonly denominator: Denominator;
  };
}

/** The authors' protocol: the defaults of every run made now. */
export const AUTHORS_PROTOCOL: ProtocolFields = Object.freeze(
  {
    network: Object.freeze({ fcnScale: "channels" }),
    training: Object.freeze({ mode: "distinct", stopCheck: "eval", balanced: true }),
    measure: Object.freeze({
      synonymVariant: "redraw",
      cumulative: true,
      denominator: "batch-pairs",
    }),
  } as const,
);

/** What this project ran before issue 9, for lines that do not say. */
export const LEGACY_PROTOCOL: ProtocolFields = Object.freeze(
  {
    network: Object.freeze({ fcnScale: "fan-in" }),
    training: Object.freeze({ mode: "distinct", stopCheck: "epoch", balanced: false }),
    measure: Object.freeze({
      synonymVariant: "other",
      cumulative: false,
      denominator: "independent",
    }),
  } as const,
);

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;

/**
 * A run spec with every protocol field written: the given values, the authors' where absent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withProtocol } from "./protocol.ts";
 * import type { RunSpec } from "./plan.ts";
 * const spec = { network: {}, training: {}, measure: { cumulative: false } } as unknown as RunSpec;
 * const r = withProtocol(spec);
 * assert.equal(r.measure.synonymVariant, "redraw");
 * assert.equal(r.measure.cumulative, false);
 * assert.equal(r.training.stopCheck, "eval");
 * ```
 */
export function withProtocol<T extends RunSpec | Run>(spec: T): T {
  return fill(spec, AUTHORS_PROTOCOL);
}

/**
 * A run read from a results file with its protocol complete: a field it lacks was not written by
 * the code that made it, which ran the `LEGACY_PROTOCOL`'s value; `measure.variant` (the old name)
 * becomes `measure.synonymVariant`. A complete run comes back equal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { legacyProtocol } from "./protocol.ts";
 * import type { RunSpec } from "./plan.ts";
 * const old = { network: {}, training: { lr: 0.1 }, measure: { variant: "redraw" } };
 * const r = legacyProtocol(old as unknown as RunSpec);
 * assert.equal(r.measure.synonymVariant, "redraw");
 * assert.equal(r.measure.cumulative, false);
 * assert.equal(r.measure.denominator, "independent");
 * assert.equal("variant" in r.measure, false);
 * ```
 */
export function legacyProtocol<T extends RunSpec | Run>(run: T): T {
  const measure = { ...(run.measure ?? {}) } as Record<string, unknown>;
  if ("variant" in measure) {
    if (measure.synonymVariant === undefined) measure.synonymVariant = measure.variant;
    delete measure.variant;
  }
  return fill({ ...run, measure } as T, LEGACY_PROTOCOL);
}

function fill<T extends RunSpec | Run>(spec: T, protocol: ProtocolFields): T {
  return {
    ...spec,
    network: { ...protocol.network, ...defined(spec.network ?? {}) } as RunNetwork,
    training: { ...protocol.training, ...defined(spec.training ?? {}) } as RunTraining,
    measure: { ...protocol.measure, ...defined(spec.measure ?? {}) } as RunMeasure,
  };
}
