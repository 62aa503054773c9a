/**
 * The explorer (explorer/): its model view and its run against the packages and the command line
 * (no browser), then the page itself in headless Chromium through playwright-core (Debian's
 * `chromium`; the browser tests skip, saying so, where no Chromium binary exists).
 *
 * `SRHM_CHROMIUM=PATH` points at another Chromium; `SRHM_EXPLORER_SCREENSHOT=FILE` saves a
 * screenshot of the trained page (how docs/figures/explorer-trained.png is made).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { makeGrammar, makeParams, sample } from "@srhm/generators";
import { createHash as nodeHash } from "node:crypto";
import { parseResults, runId, runPipeline } from "@srhm/experiments";
import { createHash } from "../explorer/stubs/node_crypto.ts";
import { derivationTree, paramsFromForm, treeLeaves } from "../explorer/model.ts";
import { DEFAULT_CONFIG, runOf, trainRun } from "../explorer/run.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** Runs `deno task experiment ARGS`; stdout, and the message of its `error: ` line. */
async function cli(args: string[]): Promise<{ stdout: string; error: string | null }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "experiment", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  const line = stderr.split("\n").find((l) => l.startsWith("error: "));
  return {
    stdout: new TextDecoder().decode(out.stdout),
    error: line === undefined ? null : line.slice("error: ".length),
  };
}

Deno.test("explorer: the derivation tree's tokens are the datum's informative tokens", () => {
  fc.assert(
    fc.property(
      fc.record({
        L: fc.integer({ min: 1, max: 3 }),
        s: fc.integer({ min: 2, max: 3 }),
        s0: fc.integer({ min: 0, max: 2 }),
        v: fc.integer({ min: 3, max: 5 }),
        sparsity: fc.constantFrom("A" as const, "B" as const),
        seed: fc.nat(1000),
        sampleSeed: fc.nat(1000),
      }),
      ({ sampleSeed, ...raw }) => {
        const grammar = makeGrammar(makeParams({ ...raw, m: 2, nc: 2 }));
        const ds = sample(grammar, { count: 3, seed: sampleSeed, mode: "iid" });
        for (let i = 0; i < ds.count; i++) {
          const tree = derivationTree(ds, i);
          const rendered = new Array(grammar.d).fill(-1);
          for (const leaf of treeLeaves(tree)) rendered[leaf.start] = leaf.symbol;
          assert.deepEqual(rendered, [...ds.tokens.subarray(i * grammar.d, (i + 1) * grammar.d)]);
          assert.equal(tree.symbol, ds.labels[i]);
        }
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("explorer: the browser's SHA-256 (run ids) is Node's", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (text) => {
      assert.equal(
        createHash("sha256").update(text).digest("hex"),
        nodeHash("sha256").update(text).digest("hex"),
      );
    }),
    { numRuns: 200 },
  );
});

Deno.test("explorer: a bad parameter gives the command line's message", async () => {
  const { error } = await cli(["sample", "--L", "0", "--v", "4", "--s0", "-1", "--count", "1"]);
  assert.notEqual(error, null);
  assert.deepEqual(paramsFromForm({ L: "0", v: "4", s0: "-1" }), E.left(error));
});

Deno.test("explorer: a run trains as the experiments' pipeline does", async () => {
  await tf.setBackend("cpu");
  const config = {
    ...DEFAULT_CONFIG,
    params: makeParams({ L: 2, s0: 1, v: 3, m: 2, nc: 2, seed: 4 }),
    width: 8,
    P: 24,
    test: 16,
    batch: 8,
    maxEpochs: 4,
    evalEvery: 2,
    perClass: 3,
  };
  const run = runOf(config, "cpu");
  const live: number[] = [];
  const ours = await trainRun(run, { liveEvery: 2, onLive: (l) => live.push(l.epoch) });
  const theirs = await runPipeline(run);
  assert.ok(live.length >= 1);
  assert.equal(ours.result.testError, theirs.metrics.testError);
  assert.equal(ours.result.epochs, theirs.metrics.epochs);
  assert.equal(ours.result.trainLoss, theirs.metrics.trainLoss);
  assert.deepEqual(ours.sensitivities.S, theirs.metrics.S);
  assert.deepEqual(ours.sensitivities.D, theirs.metrics.D);
});

// ------------------------------------------------------------------------- in a browser

const CHROMIUM = [Deno.env.get("SRHM_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"]
  .find((p): p is string => p !== undefined && p !== "" && exists(p));

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** As root (CI) Chromium needs no sandbox; a container's small /dev/shm must not be used. */
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage"];

if (CHROMIUM === undefined) {
  console.log(
    "explorer browser tests skipped: no Chromium binary (/usr/bin/chromium; set SRHM_CHROMIUM " +
      "or `apt-get install chromium`)",
  );
}

Deno.test({
  name: "explorer: the page in headless Chromium",
  ignore: CHROMIUM === undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const { chromium } = await import("playwright-core");
    const { serveExplorer } = await import("../explorer/server.ts");
    const server = await serveExplorer({ port: 0 });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(e.message));
      const tokens = async () =>
        JSON.parse(await page.getAttribute("[data-testid=sample]", "data-tokens") ?? "null");
      const setParams = async (values: Record<string, string>) => {
        for (const [name, value] of Object.entries(values)) {
          if (name === "sparsity") await page.selectOption(`#params [name=${name}]`, value);
          else await page.fill(`#params [name=${name}]`, value);
        }
        await page.click("[data-testid=draw]");
      };

      await t.step("the page loads with no console error", async () => {
        await page.goto(server.url);
        await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
        assert.deepEqual(errors, []);
        assert.equal((await tokens()).length, 16);
      });

      await t.step(
        "the sample is the command line's for the same parameters and seed",
        async () => {
          for (
            const p of [
              { L: "2", s: "2", s0: "1", v: "4", m: "", nc: "", sparsity: "A", seed: "0", ss: "3" },
              {
                L: "3",
                s: "2",
                s0: "2",
                v: "5",
                m: "3",
                nc: "2",
                sparsity: "B",
                seed: "7",
                ss: "11",
              },
            ]
          ) {
            const { ss, ...params } = p;
            await setParams({ ...params, sampleSeed: ss });
            const args = ["sample", "--count", "1", "--sample-seed", ss];
            for (const [k, v] of Object.entries(params)) if (v !== "") args.push(`--${k}`, v);
            const { stdout } = await cli(args);
            assert.deepEqual(await tokens(), JSON.parse(stdout).tokens);
          }
          assert.equal(await page.isVisible("[data-testid=param-error]"), false);
        },
      );

      await t.step("a transformation is the command line's; what changed is outlined", async () => {
        await setParams({
          L: "2",
          s: "2",
          s0: "1",
          v: "4",
          m: "",
          nc: "",
          sparsity: "A",
          seed: "0",
        });
        await page.fill("#params [name=sampleSeed]", "5");
        await page.click("[data-testid=draw]");
        const before: number[] = await tokens();
        await page.selectOption("#level", "1");
        await page.click("[data-testid=synonym]");
        const after: number[] = await tokens();
        const { stdout } = await cli([
          "sample",
          "--L",
          "2",
          "--v",
          "4",
          "--s0",
          "1",
          "--count",
          "1",
          "--sample-seed",
          "5",
          "--transform",
          "synonym",
          "--level",
          "1",
        ]);
        assert.deepEqual(after, JSON.parse(stdout).transformed);
        const changed = await page.$$eval(
          "[data-testid=sample] .tok.changed",
          (spans) => spans.map((x) => Number(x.getAttribute("data-position"))),
        );
        assert.deepEqual(changed, before.flatMap((x, i) => x !== after[i] ? [i] : []));
        await page.click("[data-testid=reset]");
        assert.deepEqual(await tokens(), before);
      });

      await t.step("a bad parameter shows the command line's message", async () => {
        await setParams({
          L: "2",
          s: "2",
          s0: "1",
          v: "4",
          m: "20",
          nc: "",
          sparsity: "A",
          seed: "x",
        });
        const { error } = await cli([
          "sample",
          "--L",
          "2",
          "--v",
          "4",
          "--s0",
          "1",
          "--m",
          "20",
          "--seed",
          "x",
          "--count",
          "1",
        ]);
        assert.notEqual(error, null);
        assert.equal(await page.textContent("[data-testid=param-error]"), error);
        await setParams({
          L: "2",
          s: "2",
          s0: "1",
          v: "4",
          m: "",
          nc: "",
          sparsity: "A",
          seed: "0",
        });
        assert.equal(await page.isVisible("[data-testid=param-error]"), false);
      });

      await t.step("after train, the default run's test error falls below 0.1", async () => {
        const started = performance.now();
        await page.click("[data-testid=train]");
        await page.waitForFunction(
          "Number(document.querySelector('[data-testid=test-error]')?.textContent) < 0.1",
          undefined,
          { timeout: 240_000, polling: 250 },
        );
        const seconds = (performance.now() - started) / 1000;
        const backend = await page.textContent("[data-testid=backend]");
        assert.ok(["webgpu", "webgl", "wasm"].includes(backend ?? ""));
        console.log(`explorer: test error < 0.1 after ${seconds.toFixed(1)} s on ${backend}`);
        await page.waitForSelector("[data-testid=export]:not(.disabled)", { timeout: 240_000 });
        assert.ok(Number(await page.textContent("[data-testid=test-error]")) < 0.1);
        assert.deepEqual(errors, []);

        // The exported line is a results.jsonl line that `report` reads.
        const line = await page.getAttribute("[data-testid=export]", "data-line") ?? "";
        const [result] = parseResults(line).results;
        assert.equal(result.run.experiment, "explorer");
        assert.equal(result.id, runId(result.run)); // the page's id is the command line's
        assert.ok((result.metrics?.testError ?? 1) < 0.1);
        const dir = await Deno.makeTempDir();
        try {
          await Deno.writeTextFile(`${dir}/results.jsonl`, line + "\n");
          const { error } = await cli(["report", `${dir}/results.jsonl`, "--out", dir]);
          assert.equal(error, null);
          assert.match(await Deno.readTextFile(`${dir}/report.md`), /1024/);
        } finally {
          await Deno.remove(dir, { recursive: true });
        }

        // Loaded back in the page, it becomes figures.
        await page.setInputFiles("[data-testid=results-file]", {
          name: "results.jsonl",
          mimeType: "application/json",
          buffer: Buffer.from(line + "\n"),
        });
        await page.waitForSelector("[data-testid=figure] svg", { timeout: 30_000 });
        const point = await page.$("[data-testid=figure] svg .mark-symbol path");
        assert.ok(point !== null);
        await point.scrollIntoViewIfNeeded();
        const box = await point.boundingBox();
        assert.ok(box !== null);
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.waitForFunction(
          "document.querySelector('[data-testid=figure-tip]')?.textContent?.includes('P: 1024')",
          undefined,
          { timeout: 10_000, polling: 100 },
        );
        const file = Deno.env.get("SRHM_EXPLORER_SCREENSHOT");
        if (file) {
          await page.hover("[data-testid=sample] .tok:not(.empty)");
          await page.screenshot({ path: file, fullPage: true });
        }
      });

      await t.step("stop holds the training after an epoch, resume goes on", async () => {
        await page.click("[data-testid=train]");
        await page.waitForFunction(
          "Number(document.querySelector('[data-testid=epoch]')?.textContent) >= 2",
          undefined,
          { timeout: 120_000, polling: 100 },
        );
        await page.click("[data-testid=stop]");
        await page.waitForFunction(
          "document.querySelector('[data-testid=state]')?.textContent?.startsWith('stopped')",
          undefined,
          { timeout: 60_000, polling: 100 },
        );
        const held = await page.textContent("[data-testid=epoch]");
        await new Promise((r) => setTimeout(r, 1000));
        assert.equal(await page.textContent("[data-testid=epoch]"), held);
        await page.click("[data-testid=resume]");
        await page.waitForFunction(
          `Number(document.querySelector('[data-testid=epoch]')?.textContent) > ${Number(held)}`,
          undefined,
          { timeout: 60_000, polling: 100 },
        );
        assert.deepEqual(errors, []);
      });
    } finally {
      await browser.close();
      await server.shutdown();
    }
  },
});
