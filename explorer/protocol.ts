/**
 * The messages between the explorer's page and its training worker (`worker.ts`).
 *
 * Pausing: the page hands the worker a `SharedArrayBuffer` of one `Int32` (the page is
 * cross-origin isolated); `1` asks the worker to wait after the current epoch, `0` lets it go on
 * (the page stores the value and calls `Atomics.notify`). The run is the same as without pauses.
 *
 * @module
 */
import type { EpochRecord, TrainStatus } from "@srhm/networks";
import type { Sensitivities } from "@srhm/experiments";
import type { ExplorerConfig, LiveSensitivities } from "./run.ts";

/**
 * The backends the page may ask for: `auto` tries WebGPU, then WebGL, then wasm.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BROWSER_BACKENDS } from "./protocol.ts";
 * assert.equal(BROWSER_BACKENDS[0], "auto");
 * ```
 */
export const BROWSER_BACKENDS = ["auto", "webgpu", "webgl", "wasm"] as const;

/** One of {@link BROWSER_BACKENDS}. */
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];

/** Page → worker: train this configuration. */
export interface TrainRequest {
  readonly type: "train";
  readonly config: ExplorerConfig;
  readonly backend: BrowserBackend;
  /** Live sensitivities every this many epochs (0: only at the end). */
  readonly liveEvery: number;
  /** The pause flag (see the module comment), or null when the page is not isolated. */
  readonly control: SharedArrayBuffer | null;
}

/** Worker → page. */
export type WorkerMessage =
  | {
    readonly type: "backend";
    readonly name: string;
    readonly detail: string;
  }
  | { readonly type: "epoch"; readonly record: EpochRecord }
  | { readonly type: "live"; readonly live: LiveSensitivities }
  | { readonly type: "paused"; readonly epoch: number }
  | { readonly type: "resumed" }
  | {
    readonly type: "done";
    readonly testError: number;
    readonly epochs: number;
    readonly bestEpoch: number;
    readonly status: TrainStatus;
    readonly sensitivities: Sensitivities;
    /** The run's `results.jsonl` line. */
    readonly line: string;
  }
  | { readonly type: "error"; readonly message: string };
