import { test } from "node:test";
import assert from "node:assert/strict";
import {
  appendResult,
  formatResult,
  latestById,
  parseResults,
  readResults,
  type ResultLine,
} from "../experiments/store.ts";
import { withProtocol } from "../experiments/protocol.ts";

const line = (id: string, status: "ok" | "failed", testError = 0.5): ResultLine => ({
  id,
  status,
  ...(status === "failed" ? { reason: "boom" } : {}),
  run: withProtocol({ id } as never),
  backend: "cpu",
  versions: { srhm: "0.1.0" },
  timings: { total: 1 },
  metrics: status === "ok" ? { testError } : null,
});

test("appendResult then readResults round-trips every line", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/sub/results.jsonl`;
  const lines = [line("a", "ok", 0.1), line("b", "failed"), line("c", "ok", 0.3)];
  for (const l of lines) await appendResult(path, l);
  assert.deepEqual(await readResults(path), lines);
  await Deno.remove(dir, { recursive: true });
});

test("a truncated last line is skipped with a warning", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/results.jsonl`;
  await appendResult(path, line("a", "ok"));
  const whole = JSON.stringify(line("b", "ok"));
  await Deno.writeTextFile(path, whole.slice(0, whole.length - 7), { append: true });
  const warnings: string[] = [];
  const results = await readResults(path, { onWarning: (m) => warnings.push(m) });
  assert.deepEqual(results.map((r) => r.id), ["a"]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /line 2: not valid JSON \(truncated last line\?\)/);
  await Deno.remove(dir, { recursive: true });
});

test("invalid lines in the middle are skipped, the rest kept", () => {
  const text = [
    JSON.stringify(line("a", "ok")),
    '{"id": 3}',
    "[1,2]",
    JSON.stringify({ ...line("b", "ok"), status: "weird" }),
    "",
    JSON.stringify(line("c", "failed")),
  ].join("\n") + "\n";
  const { results, warnings } = parseResults(text);
  assert.deepEqual(results.map((r) => r.id), ["a", "c"]);
  assert.equal(warnings.length, 3);
  assert.match(warnings[0], /^line 2: no string id/);
});

test("readResults of a missing file is empty", async () => {
  assert.deepEqual(await readResults("/nonexistent-dir-srhm/results.jsonl"), []);
});

test("latestById prefers an ok line over a failed one, else the last line", () => {
  const byId = latestById([
    line("a", "failed"),
    line("a", "ok", 0.2),
    line("a", "failed"),
    line("b", "failed"),
    line("b", "failed"),
  ]);
  assert.equal(byId.get("a")?.status, "ok");
  assert.equal(byId.get("a")?.metrics?.testError, 0.2);
  assert.equal(byId.get("b")?.status, "failed");
});

test("non-finite metrics and timings survive a round trip (not turned into null)", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/r.jsonl`;
  const r: ResultLine = {
    ...line("inf", "ok"),
    timings: { total: Infinity },
    metrics: { testError: 0.1, S: [[Infinity, NaN], [-Infinity, 0.5]], D: [[0, NaN]] },
  };
  await appendResult(path, r);
  const text = await Deno.readTextFile(path);
  assert.ok(!text.includes("null"), text);
  const [back] = await readResults(path);
  assert.deepEqual(back.metrics?.S, [[Infinity, NaN], [-Infinity, 0.5]]);
  assert.deepEqual(back.metrics?.D, [[0, NaN]]);
  assert.equal(back.timings.total, Infinity);
  // Strings outside metrics and timings are left as they are; a null from older files stays null.
  const old = parseResults(
    JSON.stringify({ ...line("old", "ok"), reason: "NaN", metrics: { testError: 0, S: [[null]] } }),
  );
  assert.equal(old.results[0].reason, "NaN");
  assert.deepEqual(old.results[0].metrics?.S, [[null]]);
  await Deno.remove(dir, { recursive: true });
});

test("a crash at any byte of an append: the torn line is never glued to the next record", async () => {
  // The file holds a then the first k bytes of b's line (a crash mid-append, k = 0 .. all of
  // it); then c is appended. For every k: a and c are read; b is read only when its whole record
  // was written (its newline aside); nothing else; at most one warning (the torn line).
  const dir = await Deno.makeTempDir();
  const path = `${dir}/r.jsonl`;
  const a = line("a", "ok", 0.1);
  const b: ResultLine = { ...line("b", "ok", 0.2), metrics: { testError: 0.2, S: [[NaN, 1]] } };
  const c = line("c", "failed");
  const bText = new TextEncoder().encode(formatResult(b) + "\n");
  const aBytes = new TextEncoder().encode(formatResult(a) + "\n");
  let points = 0;
  for (let k = 0; k <= bText.length; k++) {
    const torn = new Uint8Array(aBytes.length + k);
    torn.set(aBytes);
    torn.set(bText.subarray(0, k), aBytes.length);
    await Deno.writeFile(path, torn);
    await appendResult(path, c);
    const warnings: string[] = [];
    const ids = (await readResults(path, { onWarning: (m) => warnings.push(m) })).map((r) => r.id);
    const whole = k >= bText.length - 1;
    assert.deepEqual(ids, whole ? ["a", "b", "c"] : ["a", "c"], `k = ${k}`);
    assert.equal(warnings.length, whole || k === 0 ? 0 : 1, `k = ${k}: ${warnings}`);
    points++;
  }
  assert.equal(points, bText.length + 1);
  console.log(`${points} crash points (every byte of a ${bText.length}-byte line) checked`);
  await Deno.remove(dir, { recursive: true });
});

test("a record glued to torn bytes by an older version is recovered", () => {
  const torn = JSON.stringify(line("x", "ok")).slice(0, 25);
  const text = JSON.stringify(line("a", "ok")) + "\n" + torn + JSON.stringify(line("b", "ok")) +
    "\n";
  const { results, warnings } = parseResults(text);
  assert.deepEqual(results.map((r) => r.id), ["a", "b"]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /line 2: torn bytes before a record/);
});

test("appends of concurrent writers never interleave (exclusive lock)", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/r.jsonl`;
  const big = (id: string): ResultLine => ({
    ...line(id, "ok"),
    metrics: { testError: 0.5, history: Array.from({ length: 5000 }, (_, i) => i / 7) },
  });
  const ids = Array.from({ length: 40 }, (_, i) => `w${i}`);
  await Promise.all(ids.map((id) => appendResult(path, big(id))));
  const warnings: string[] = [];
  const back = await readResults(path, { onWarning: (m) => warnings.push(m) });
  assert.deepEqual(warnings, []);
  assert.deepEqual(back.map((r) => r.id).sort(), [...ids].sort());
  await Deno.remove(dir, { recursive: true });
});

test("a line written before issue 9 reads with the protocol its code ran; its id stays", () => {
  const old = JSON.stringify({
    id: "0123456789abcdef",
    status: "ok",
    run: {
      experiment: "curve",
      network: { kind: "fcn", width: 8 },
      training: { lr: 0.1 },
      measure: { sensitivities: true, perClass: 4, variant: "redraw" },
    },
    backend: "cpu",
    versions: {},
    timings: {},
    metrics: { testError: 0.2 },
  });
  const [r] = parseResults(old).results;
  assert.equal(r.id, "0123456789abcdef");
  assert.deepEqual(r.run.measure, {
    sensitivities: true,
    perClass: 4,
    synonymVariant: "redraw",
    cumulative: false,
    denominator: "independent",
  });
  assert.equal(r.run.training.stopCheck, "epoch");
  assert.equal(r.run.training.balanced, false);
  assert.equal(r.run.training.mode, "distinct");
  assert.equal(r.run.network.fcnScale, "fan-in");
  // a line with every field comes back as written
  const complete = line("x", "ok");
  assert.deepEqual(parseResults(JSON.stringify(complete)).results[0], complete);
});
