/**
 * A property test of the whole command line: random argument lists for every command (its own
 * options with random values, unknown options, stray words) must exit with 0 or 2; on 2, with
 * exactly one line on stderr that starts with `error:` and names the option (or the word) at
 * fault, nothing on stdout and no file written; never a stack trace. The lists run in one
 * harness process (`cli_fuzz_harness.ts`), each in a fresh empty working directory.
 *
 * So that no list starts a real computation, every list of a command that computes ends with one
 * option whose value is out of range (`--width -7`, `--backend zz`, ...): the options before it
 * are still parsed and checked (`grammar`, cheap, goes without it half of the time, and the
 * commands that only read files never have it). `SRHM_FUZZ_RUNS` sets the number of lists
 * (default 200), `SRHM_FUZZ_SEED` the seed (default 13).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";

const json = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
const entry = new URL(`../${String(json.tasks.experiment).split(/\s+/).at(-1)}`, import.meta.url);

interface CommandShape {
  readonly name: string;
  /** `[flag, takes a value]` */
  readonly options: readonly (readonly [string, boolean])[];
}

/** The commands and their long options, read from the program itself. */
async function commandShapes(): Promise<CommandShape[]> {
  const { buildProgram } = await import(entry.href);
  const program = buildProgram();
  return program.commands.map((c: {
    name(): string;
    options: readonly { long?: string; required: boolean; optional: boolean }[];
  }) => ({
    name: c.name(),
    options: c.options.filter((o) => o.long !== undefined).map((o) =>
      [o.long!, o.required || o.optional] as const
    ),
  }));
}

/** Options whose value must be a number (or a list of numbers): `-7` is out of range for each. */
const NUMERIC = new Set([
  "--L",
  "--s",
  "--s0",
  "--v",
  "--m",
  "--nc",
  "--seed",
  "--width",
  "--lr",
  "--batch",
  "--max-epochs",
  "--stop-loss",
  "--eval-every",
  "--test",
  "--P",
  "--seeds",
  "--per-class",
  "--momentum",
  "--run-seed",
  "--count",
  "--sample-seed",
  "--level",
  "--values",
  "--workers",
  "--cpus-per-task",
  "--max-parallel",
]);

const VALUES = [
  "0",
  "-1",
  "1",
  "2",
  "3",
  "7",
  "0.5",
  "1e400",
  "NaN",
  "Infinity",
  "abc",
  "",
  " ",
  "-",
  "1,2",
  "x,,y",
  "0.25:4:7",
  "4:2:1",
  "auto",
  "cpu",
  "webgpu",
  "cnn",
  "fcn",
  "A",
  "iid",
  "small",
  "paper",
  "curve",
  ".",
  "/nonexistent/srhm",
  "out",
  "999999999999",
  "0/2",
  "3/2",
];

const UNKNOWN = ["--nope", "-x", "--L=3", "--", "--help-me", "-h2", "--help"];

/** One generated case: the command, the random middle, the out-of-range option at the end. */
function caseArb(shapes: readonly CommandShape[]): fc.Arbitrary<string[]> {
  return fc.constantFrom(...shapes, { name: "no-such-command", options: [] }).chain((shape) => {
    const token = fc.oneof(
      {
        weight: 5,
        arbitrary: shape.options.length === 0
          ? fc.constant([] as string[])
          : fc.tuple(fc.constantFrom(...shape.options), fc.constantFrom(...VALUES)).map((
            [[flag, takes], value],
          ) => takes ? [flag, value] : [flag]),
      },
      { weight: 1, arbitrary: fc.constantFrom(...UNKNOWN).map((u) => [u]) },
      { weight: 1, arbitrary: fc.constantFrom(...VALUES).map((v) => [v]) },
    );
    const numeric = shape.options.filter(([flag]) => NUMERIC.has(flag));
    const poison: fc.Arbitrary<string[]> = numeric.length > 0
      ? fc.constantFrom(...numeric).map(([flag]) => [flag, "-7"])
      : shape.options.some(([flag]) => flag === "--backend")
      ? fc.constant(["--backend", "zz"])
      : fc.constant([]);
    // `grammar` is cheap whatever its options: half of its lists go without the bad option, so
    // that valid lists (exit 0) are tried too.
    const cheap = shape.name === "grammar";
    return fc.tuple(fc.array(token, { maxLength: 6 }), poison, fc.boolean()).map((
      [middle, end, keep],
    ) =>
      cheap && !keep
        ? [shape.name, "--L", "2", "--v", "3", ...middle.flat()]
        : [shape.name, ...middle.flat(), ...end]
    );
  });
}

interface Reply {
  code: number;
  stdout: string;
  stderr: string;
  files: string[];
  thrown?: string;
}

/** The harness process, answering one argument list at a time. */
function harness() {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./cli_fuzz_harness.ts", import.meta.url).pathname],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const ask = async (args: string[]): Promise<Reply> => {
    await writer.write(new TextEncoder().encode(JSON.stringify(args) + "\n"));
    const timeout = setTimeout(() => child.kill("SIGKILL"), 120_000);
    try {
      while (!buffered.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) {
          throw new Error(`the harness died (or ran over 120 s) on ${JSON.stringify(args)}`);
        }
        buffered += value;
      }
    } finally {
      clearTimeout(timeout);
    }
    const nl = buffered.indexOf("\n");
    const reply = JSON.parse(buffered.slice(0, nl)) as Reply;
    buffered = buffered.slice(nl + 1);
    return reply;
  };
  const close = async () => {
    await writer.close();
    await reader.cancel();
    await child.status;
    await child.stderr.cancel();
  };
  return { ask, close };
}

test("every command, fed random argument lists, exits 0 or 2 with one error line, no trace, no file", async () => {
  const shapes = await commandShapes();
  const h = harness();
  const runs = Number(Deno.env.get("SRHM_FUZZ_RUNS") ?? "200");
  let tried = 0;
  const byCode = new Map<number, number>();
  try {
    await fc.assert(
      fc.asyncProperty(caseArb(shapes), async (args) => {
        const r = await h.ask(args);
        tried++;
        byCode.set(r.code, (byCode.get(r.code) ?? 0) + 1);
        const what = `${JSON.stringify(args)} -> ${r.code}\n${r.stderr}${r.thrown ?? ""}`;
        assert.equal(r.thrown, undefined, what);
        assert.ok(r.code === 0 || r.code === 2, what);
        assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at .*:\d+:\d+/, `stack trace: ${what}`);
        if (r.code === 2) {
          const lines = r.stderr.trimEnd().split("\n");
          assert.equal(lines.length, 1, `one line on stderr: ${what}`);
          assert.match(lines[0], /^error: /, what);
          // names an option, or quotes the word at fault, or ends with the argument at fault
          const names = /--[A-Za-z][A-Za-z0-9-]*|'[^']+'|"[^"]*"/.test(lines[0]) ||
            args.slice(1).some((a) =>
              a.trim() !== "" &&
              (lines[0].endsWith(`: ${a}`) || lines[0].includes(` ${a}:`) ||
                lines[0].includes(` ${a}/`))
            );
          assert.ok(names, `names the option: ${what}`);
          assert.equal(r.stdout, "", `nothing on stdout: ${what}`);
          assert.deepEqual(r.files, [], `no file written: ${what}`);
        }
      }),
      { numRuns: runs, seed: Number(Deno.env.get("SRHM_FUZZ_SEED") ?? "13"), endOnFailure: true },
    );
  } finally {
    await h.close();
    console.log(`${tried} argument lists tried; exit codes ${JSON.stringify([...byCode])}`);
  }
});
