/**
 * `deno run -A explorer/measure.ts [--backend auto|webgpu|webgl|wasm] [--runs N]`: the time to
 * 10 % test error of the explorer's default run in headless Chromium (Debian's
 * `/usr/bin/chromium`, or `SRHM_CHROMIUM`), as the page measures it: from the click on "train"
 * (a fresh worker: backend, data, network) to the first evaluation below 0.1, and the seconds of
 * training inside it. Builds the bundles, serves them on a free port, prints one line per run
 * and the median.
 *
 * @module
 */
import { chromium } from "playwright-core";
import { serveExplorer } from "./server.ts";

/** Chromium's flags: no sandbox (as root), no use of a container's small /dev/shm. */
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage"];

/** One measurement. */
export interface Measurement {
  /** The backend the worker used. */
  readonly backend: string;
  /** Seconds from the click to the first test error below 0.1. */
  readonly seconds: number;
  /** Seconds of training at that epoch (the trainer's clock). */
  readonly trainSeconds: number;
  /** That epoch. */
  readonly epoch: number;
}

/**
 * The median of a non-empty list.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { median } from "./measure.ts";
 * assert.equal(median([3, 1, 2]), 2);
 * assert.equal(median([4, 1, 2, 3]), 2.5);
 * ```
 */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

if (import.meta.main) {
  const arg = (name: string, fallback: string) => {
    const i = Deno.args.indexOf(`--${name}`);
    return i >= 0 && i + 1 < Deno.args.length ? Deno.args[i + 1] : fallback;
  };
  const backend = arg("backend", "auto");
  const runs = Number(arg("runs", "3"));
  const executablePath = Deno.env.get("SRHM_CHROMIUM") ?? "/usr/bin/chromium";
  const server = await serveExplorer({ port: 0 });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  console.log(`${browser.version()}, backend ${backend}, load ${Deno.loadavg().join(" ")}`);
  const all: Measurement[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage();
      await page.goto(`${server.url}?backend=${backend}`);
      await page.waitForSelector("body[data-ready=true]");
      await page.click("[data-testid=train]");
      const cell = await page.waitForSelector("[data-testid=time-to-threshold][data-seconds]", {
        timeout: 600_000,
      });
      const m: Measurement = {
        backend: await page.textContent("[data-testid=backend]") ?? "?",
        seconds: Number(await cell.getAttribute("data-seconds")),
        trainSeconds: Number(await cell.getAttribute("data-train-seconds")),
        epoch: Number(await cell.getAttribute("data-epoch")),
      };
      all.push(m);
      console.log(
        `run ${i + 1}: ${m.seconds} s to test error < 0.1 on ${m.backend} ` +
          `(epoch ${m.epoch}, ${m.trainSeconds} s of training), load ${Deno.loadavg()[0]}`,
      );
      await page.close();
    }
  } finally {
    await browser.close();
    await server.shutdown();
  }
  console.log(
    `median: ${median(all.map((m) => m.seconds))} s after "train", ` +
      `${median(all.map((m) => m.trainSeconds))} s of training`,
  );
}
