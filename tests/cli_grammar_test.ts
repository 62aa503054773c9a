import { test } from "node:test";
import assert from "node:assert/strict";
import { makeDecoder, makeGrammar, makeParams, sample, transform } from "@srhm/generators";
import { cliProcess } from "./cli_process.ts";

const cli = cliProcess;

test("grammar prints one JSON object: params, pmax (decimal string), d, rules", async () => {
  const r = await cli([
    "grammar",
    "--L",
    "2",
    "--v",
    "4",
    "--s0",
    "1",
    "--sparsity",
    "B",
    "--seed",
    "5",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split("\n").length, 1);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j), ["params", "pmax", "d", "rules"]);
  assert.deepEqual(Object.keys(j.params), ["L", "s", "s0", "v", "m", "nc", "sparsity", "seed"]);
  const p = makeParams({ L: 2, v: 4, s0: 1, sparsity: "B", seed: 5 });
  assert.deepEqual(j.params, { ...p });
  const g = makeGrammar(p);
  assert.equal(j.pmax, g.pmax.toString());
  assert.equal(typeof j.pmax, "string");
  assert.equal(j.d, 16);
  assert.deepEqual(j.rules, g.rules);
  // rules[l-1][parent] = m productions of s symbols; level L's parents are the nc classes
  assert.equal(j.rules.length, 2);
  assert.equal(j.rules[1].length, p.nc);
  assert.equal(j.rules[0][0].length, p.m);
  assert.equal(j.rules[0][0][0].length, p.s);
});

test("grammar --out FILE writes the object there and nothing on stdout; pmax beyond 2^53 exact", async () => {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    const r = await cli([
      "grammar",
      "--L",
      "5",
      "--v",
      "8",
      "--s0",
      "1",
      "--m",
      "8",
      "--nc",
      "3",
      "--out",
      file,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    const j = JSON.parse(await Deno.readTextFile(file));
    assert.equal(j.pmax, (3n * 32n ** 31n).toString());
    assert.equal(j.params.nc, 3);
    assert.equal(j.d, 4 ** 5);
  } finally {
    await Deno.remove(file);
  }
});

test("sample prints JSON lines {label, tokens} matching the library; transformed copies keep labels", async () => {
  const base = ["--L", "2", "--v", "4", "--s0", "1", "--seed", "2"];
  const [plain, diffeo, synonym, iid] = await Promise.all([
    cli(["sample", ...base, "--count", "40", "--sample-seed", "9"]),
    cli([
      "sample",
      ...base,
      "--count",
      "40",
      "--sample-seed",
      "9",
      "--transform",
      "diffeo",
      "--level",
      "1",
    ]),
    cli([
      "sample",
      ...base,
      "--count",
      "20",
      "--transform",
      "synonym",
      "--level",
      "2",
      "--variant",
      "redraw",
      "--cumulative",
    ]),
    cli(["sample", ...base, "--count", "300", "--mode", "iid"]),
  ]);
  const g = makeGrammar(makeParams({ L: 2, v: 4, s0: 1, seed: 2 }));
  const decode = makeDecoder(g);
  const ds = sample(g, { count: 40, seed: 9 });
  for (const r of [plain, diffeo, synonym, iid]) assert.equal(r.code, 0, r.stderr);
  const lines = plain.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 40);
  lines.forEach((l, i) => {
    assert.deepEqual(Object.keys(l), ["label", "tokens"]);
    assert.equal(l.label, ds.labels[i]);
    assert.deepEqual(l.tokens, Array.from(ds.tokens.slice(i * 16, (i + 1) * 16)));
  });
  const moved = transform(ds, { kind: "diffeo", level: 1, cumulative: false }, 9);
  diffeo.stdout.trim().split("\n").map((l) => JSON.parse(l)).forEach((l, i) => {
    assert.deepEqual(Object.keys(l), ["label", "tokens", "transformed"]);
    assert.deepEqual(l.tokens, lines[i].tokens);
    assert.deepEqual(l.transformed, Array.from(moved.tokens.slice(i * 16, (i + 1) * 16)));
    assert.equal(decode(l.transformed), l.label);
  });
  for (const l of synonym.stdout.trim().split("\n").map((x) => JSON.parse(x))) {
    assert.equal(decode(l.transformed), l.label);
    assert.equal(l.tokens.length, 16);
  }
  const iidLines = iid.stdout.trim().split("\n");
  assert.equal(iidLines.length, 300);
  assert.ok(iidLines.every((l) => decode(JSON.parse(l).tokens) === JSON.parse(l).label));
});

test("sample is reproducible and --out writes the lines to a file", async () => {
  const file = await Deno.makeTempFile({ suffix: ".jsonl" });
  try {
    const args = [
      "sample",
      "--L",
      "3",
      "--v",
      "3",
      "--s0",
      "2",
      "--sparsity",
      "B",
      "--count",
      "27",
      "--balanced",
      "--nc",
      "3",
      "--m",
      "3",
    ];
    const [a, b, c] = await Promise.all([cli(args), cli(args), cli([...args, "--out", file])]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
    assert.equal(c.stdout, "");
    assert.equal(await Deno.readTextFile(file), a.stdout);
    const labels = a.stdout.trim().split("\n").map((l) => JSON.parse(l).label);
    for (let k = 0; k < 3; k++) assert.equal(labels.filter((x) => x === k).length, 9);
  } finally {
    await Deno.remove(file);
  }
});

test("bad arguments: exit code 2, one line on stderr, nothing on stdout", async () => {
  const cases: [string[], RegExp][] = [
    [["grammar", "--L", "0", "--v", "4"], /L must be an integer >= 1 \(got 0\)/],
    [
      ["grammar", "--L", "2", "--v", "x", "--s0", "-1"],
      /--s0 must be an integer >= 0 \(got -1\); --v must be an integer >= 2 \(got "x"\)/,
    ],
    [
      ["grammar", "--L", "2", "--v", "4", "--m", "8", "--nc", "8"],
      /--m \* --nc must be <= v\^s at level L \(8 \* 8 = 64 > 16\)/,
    ],
    [["grammar", "--v", "4"], /--L is required/],
    [["grammar", "--L", "2", "--v", "4", "--bogus"], /unknown option/],
    [["grammar", "--L", "30", "--v", "4"], /L must be <= 20/],
    [["sample", "--L", "2", "--v", "4"], /--count is required/],
    [
      ["sample", "--L", "2", "--v", "4", "--count", "-3"],
      /--count <N>. argument .-3. is invalid\. must be an integer >= 0/,
    ],
    [
      ["sample", "--L", "2", "--v", "4", "--count", "257"],
      /count must be <= Pmax for distinct data \(count = 257 > Pmax = 256\)/,
    ],
    [
      ["sample", "--L", "2", "--v", "4", "--count", "5", "--mode", "many"],
      /--mode must be distinct or iid/,
    ],
    [
      ["sample", "--L", "2", "--v", "4", "--count", "5", "--transform", "rotate", "--level", "1"],
      /--transform must be diffeo or synonym/,
    ],
    [
      ["sample", "--L", "2", "--v", "4", "--count", "5", "--transform", "diffeo"],
      /--transform needs --level/,
    ],
    [
      ["sample", "--L", "2", "--v", "4", "--count", "5", "--transform", "diffeo", "--level", "3"],
      /--level must be an integer in 1..L = 1..2/,
    ],
    [["sample", "--L", "2", "--v", "4", "--count", "5", "--level", "1"], /need --transform/],
    [
      ["sample", "--L", "2", "--v", "4", "--count", "6", "--balanced"],
      /count must be a multiple of nc/,
    ],
    [[
      "sample",
      "--L",
      "1",
      "--v",
      "4",
      "--m",
      "1",
      "--count",
      "2",
      "--transform",
      "synonym",
      "--level",
      "1",
    ], /needs m >= 2/],
  ];
  const runs = await Promise.all(cases.map(([args]) => cli(args)));
  runs.forEach((r, k) => {
    const [args, pattern] = cases[k];
    const what = args.join(" ");
    assert.equal(r.code, 2, `${what}: ${r.stderr}`);
    assert.equal(r.stdout, "", what);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `${what}: ${r.stderr}`);
    assert.match(lines[0], pattern, what);
  });
});
