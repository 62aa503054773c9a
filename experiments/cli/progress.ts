/**
 * The progress bar of long experiments on stderr (`cli-progress`, also when stderr is not a
 * terminal): runs done of all, the current run (P, seed) with its epoch and training loss, the
 * time elapsed and an estimate of the time left (mean time per finished run times the runs left:
 * on a learning curve the larger P need fewer epochs, so the runs cost about the same).
 *
 * @module
 */
import cliProgress from "cli-progress";
import process from "node:process";
import type { ExecuteProgress } from "../executor.ts";
import type { Run } from "../plan.ts";

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

/**
 * A progress reporter for `executePlan`'s `onProgress`, over the runs `todo` (in the order they
 * will run). `stop()` ends the bar.
 *
 * @example
 * ```ts
 * import { progressReporter } from "./progress.ts";
 * const p = progressReporter("demo", [], { quiet: true });
 * p.stop();
 * ```
 */
export function progressReporter(
  label: string,
  todo: readonly Run[],
  options: { quiet?: boolean } = {},
): { onProgress: (e: ExecuteProgress) => void; stop: () => void } {
  if (options.quiet === true || todo.length === 0) return { onProgress: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({
    format:
      `${label} {bar} {value}/{total} runs | {current} | {elapsedClock} elapsed, ~{left} left`,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: NOT_TTY_PERIOD_MS,
    hideCursor: false,
    barsize: 20,
  }, cliProgress.Presets.shades_classic);
  bar.start(todo.length, 0, { current: "starting", elapsedClock: "0:00", left: "?" });
  // Off a terminal, cli-progress redraws on a timer, which a training loop that never yields to
  // the event loop starves: redraw by hand at the same period.
  const tty = process.stderr.isTTY === true;
  let lastDraw = Date.now();
  return {
    onProgress: (e) => {
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
    stop: () => bar.stop(),
  };
}
