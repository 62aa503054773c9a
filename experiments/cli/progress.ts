/**
 * The progress bar of long experiments and sweeps on stderr (`cli-progress`, also when stderr is not a
 * terminal): runs done of all, the current run (P, seed) with its epoch and training loss, the
 * time elapsed and an estimate of the time left (mean time per finished run times the runs left:
 * on a learning curve the larger P need fewer epochs, so the runs cost about the same).
 *
 * @module
 */
import cliProgress from "cli-progress";
import process from "node:process";
import type { ExecuteProgress } from "../executor.ts";

const NOT_TTY_PERIOD_MS = 15_000;

/**
 * `h:mm:ss` (or `m:ss`) of a number of seconds; `?` when unknown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clock } from "./progress.ts";
 * assert.ok(clock(75) === "1:15" && clock(3725) === "1:02:05" && clock(undefined) === "?");
 * ```
 */
export function clock(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** A progress bar: `onProgress` for `executePlan` (or `runSweep`), `stop()` to end it. */
export interface ProgressBar {
  /** Draws one progress event (the bar starts at the first one). */
  readonly onProgress: (event: ExecuteProgress) => void;
  /** Ends the bar (a bar never started draws nothing). */
  readonly stop: () => void;
}

/**
 * The progress bar of `executePlan`'s or `runSweep`'s `onProgress`, the one of every command
 * (`curve`, `scaling`, `hierarchy`, `default`, `sweep`). It starts at the first event, over the
 * runs that call has to do (`event.total`), so a call with nothing to do draws nothing; `quiet`
 * draws nothing at all.
 *
 * @example
 * ```ts
 * import { progressBar } from "./progress.ts";
 * const p = progressBar("demo", { quiet: true });
 * p.onProgress({ kind: "start", done: 0, total: 1, run: { P: 8, seed: 0 } as never, elapsed: 0 });
 * p.stop();
 * ```
 */
export function progressBar(label: string, options: { quiet?: boolean } = {}): ProgressBar {
  if (options.quiet === true) return { onProgress: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({
    format:
      `${label} {bar} {value}/{total} runs | {current} | {elapsedClock} elapsed, ~{left} left`,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: NOT_TTY_PERIOD_MS,
    hideCursor: false,
    barsize: 20,
  }, cliProgress.Presets.shades_classic);
  // Off a terminal, cli-progress redraws on a timer, which a training loop that never yields to
  // the event loop starves: redraw by hand at the same period.
  const tty = process.stderr.isTTY === true;
  let lastDraw = Date.now();
  let started = false;
  return {
    onProgress: (e) => {
      if (!started) {
        bar.start(e.total, e.done, { current: "starting", elapsedClock: "0:00", left: "?" });
        started = true;
      }
      const epoch = e.kind === "epoch"
        ? `epoch ${e.epoch}${e.maxEpochs ? `/${e.maxEpochs}` : ""} loss ${e.loss?.toPrecision(3)}`
        : e.kind === "finish"
        ? `${e.status}`
        : "starting";
      bar.update(e.done, {
        current: `P=${e.run.P} seed=${e.run.seed} ${epoch}`,
        elapsedClock: clock(e.elapsed),
        left: clock(e.remaining),
      });
      if (
        !tty &&
        ((e.kind === "finish" && e.done < e.total) || Date.now() - lastDraw >= NOT_TTY_PERIOD_MS)
      ) {
        lastDraw = Date.now();
        (bar as unknown as { render(): void }).render();
      }
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}
