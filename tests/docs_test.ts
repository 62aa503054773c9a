/**
 * The documentation holds: every command and example in README.md, BENCHMARKS.md and docs/*.md
 * runs as written.
 *
 * - **Shell.** Every line of a fenced block marked `sh`, `bash` or `shell` is a command (a trailing
 *   `\` joins the next line; `#` starts a comment). Blocks marked `text` or unmarked hold synopses
 *   (`[options]`, `A|B`) and are not run. Every command runs with bash, in document order, in ONE
 *   copy of the working tree (the files `git ls-files` lists, tracked or new, with `node_modules/`
 *   linked, so that nothing is downloaded), and must exit with 0. A command that occurs again
 *   (the default experiment is shown in three places) runs once. `export NAME=value` sets NAME for
 *   the commands after it.
 * - **Long commands** run with smaller sizes, as `SUBSTITUTIONS` declares (each with its reason).
 * - **Skipped** commands are those of `SKIPS`: each entry gives its reason (a cluster, a GPU,
 *   root, the test suite itself). Every entry of both tables must match a command of the docs, so
 *   that a stale entry is noticed.
 * - **TypeScript.** A document with `ts` blocks states the command that runs them as doc tests,
 *   with the permissions they need, e.g. `deno test --doc --allow-read README.md` in a `sh` block;
 *   that command runs like the others. A document that states none has its blocks run by
 *   `deno test --doc FILE`, with no permission at all.
 *
 * `SRHM_DOCS=docs/metrics.md,README.md deno test -A tests/docs_test.ts` checks only those pages.
 *
 * When this test fails on a command: make the command work as written (fix the code or the doc),
 * or, where it is long, add a substitution; needs a cluster, a GPU or root: add a skip, with the
 * reason.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

/** A command as it stands in a document. */
interface DocCommand {
  readonly file: string;
  /** Line of the command's first line in the file (1-based). */
  readonly line: number;
  readonly command: string;
  /** Index of its fenced block in the file (for whole-block skips). */
  readonly block: number;
}

/** A small-size (or otherwise equivalent) form of a long command, and why. */
interface Substitution {
  readonly match: RegExp;
  readonly run: (command: string) => string;
  readonly why: string;
  /** A tool the command needs; where it is absent the command is skipped, saying so. */
  readonly needs?: "torch";
}

/** Commands that are not run, and why. `block: true` skips the rest of the block too. */
interface Skip {
  readonly match: RegExp;
  readonly why: string;
  readonly block?: boolean;
}

/** Options that shrink any experiment (curve, scaling, hierarchy, sweep): 2 tiny runs per curve. */
const SMALL = "--grid 0.5:1:2 --seeds 1 --width 8 --max-epochs 5 --eval-every 5 --test 200 " +
  "--per-class 2 --quiet";

/**
 * Replaces the values of the options named in `values` (or appends them where absent). An option
 * is `--name value`; `values[name] === null` removes a flag without a value.
 */
function withOptions(command: string, values: Record<string, string>): string {
  let out = command;
  for (const [name, value] of Object.entries(values)) {
    const re = new RegExp(`(^|\\s)${name.replace(/[+]/g, "\\+")}\\s+\\S+`);
    out = re.test(out) ? out.replace(re, `$1${name} ${value}`) : `${out} ${name} ${value}`;
  }
  return out;
}

/** Long commands and the form they run in here. The reason says why the result still checks it. */
const SUBSTITUTIONS: readonly Substitution[] = [
  {
    match: /^npx -y deno@2\.9\.6 /,
    run: (c) => c.replace(/^npx -y deno@2\.9\.6 /, "deno "),
    why: "npx would fetch the Deno that runs this test (2.9.6, checked below) from npm",
  },
  {
    match: /^deno task experiment (curve|hierarchy|scaling|sweep) /,
    run: (c) => `${c.replace(/--out docs\/results\//, "--out results/")} ${SMALL}`,
    why: "an experiment takes 15 s (small preset) to hours: the same command on a 2-point grid, " +
      "width 8, 5 epochs (into results/, not over the committed docs/results/ of another code version)",
  },
  {
    match: /^(nice -n -?\d+ )?deno (task bench|bench -A bench\/\S*)$/,
    run: () => "deno bench -A --no-run bench/",
    why: "benchmarks take minutes (their figures are BENCHMARKS.md's): type-checked, not run",
  },
  {
    match: /^deno run -A bench\/networks_bench\.ts /,
    run: (c) => withOptions(c, { "--width": "16", "--batch": "16", "--steps": "2" }),
    why: "a throughput benchmark: the same program on a width-16 network for 2 steps",
  },
  {
    match: /^(nice -n -?\d+ )?deno run -A bench\/generators_oneshot\.ts/,
    run: (c) => withOptions(c.replace(/^nice -n -?\d+ /, ""), { "--P": "2000" }),
    why: "a generation benchmark: the same program on 2000 data instead of 100000",
  },
  {
    match: /^(\S+=\S+ )*(nice -n -?\d+ )?\/usr\/bin\/python3 bench\/torch_srhm\.py /,
    run: (c) =>
      withOptions(c.replace(/nice -n -?\d+ /, ""), { "--P": "2000", "--steps": "2" })
        .replace(/--width \d+/, "--width 16"),
    why: "the PyTorch peer: the same program on 2000 data, width 16, 2 steps",
    needs: "torch",
  },
  {
    match: /^bash bench\/compare_(torch|generators)\.sh/,
    run: (c) =>
      c.startsWith("bash bench/compare_torch.sh")
        ? "bash bench/compare_torch.sh 1 2 16 16 2 wasm"
        : "bash bench/compare_generators.sh 1 2000",
    why: "a side-by-side benchmark: one round on a tiny network / 2000 data, checking the pipeline",
    needs: "torch",
  },
  {
    match: /^bash bench\/compare_npy\.sh /,
    run: () => "bash bench/compare_npy.sh 1 2000",
    why: "srhm's NPY writing against our PyTorch peer (bench/torch_npy.py): one round on 2000 data",
    needs: "torch",
  },
  {
    match: /^(\S+=\S+ )*\/usr\/bin\/python3 bench\/torch_npy\.py /,
    run: (c) => withOptions(c, { "--P": "2000" }),
    why: "the PyTorch peer of NPY writing: the same program on 2000 data instead of 10^6",
    needs: "torch",
  },
  {
    match: /^bash bench\/compare_torch_archs\.sh \d+ /,
    run: (c) =>
      c.replace(
        /^(bash bench\/compare_torch_archs\.sh) \d+ /,
        "$1 --width 4 --batch 16 --steps 2 1 ",
      ),
    why:
      "PyTorch (bench/torch_archs.py) and srhm on the standard networks take minutes per round " +
      "at width 64: one round at width 4, batch 16 (the parameter check and the pipeline run whole)",
    needs: "torch",
  },
  {
    match: /^(\S+=\S+ )*\/usr\/bin\/python3 bench\/torch_archs\.py /,
    run: (c) => withOptions(c, { "--width": "4", "--batch_size": "16", "--steps": "2" }),
    why:
      "the PyTorch peer of the standard networks: the same program at width 4, batch 16, 2 steps",
    needs: "torch",
  },
  {
    match: /^deno run -A bench\/npy_oneshot\.ts /,
    run: (c) => withOptions(c, { "--P": "2000" }),
    why: "an NPY writing benchmark: the same program on 2000 data instead of 10^6",
  },
  {
    match: /^deno task experiment paper --figure (?!.*--dry-run)/,
    run: (c) => `${c} --dry-run`,
    why: "a figure's runs take minutes to hours: its plan and cost are checked with --dry-run " +
      "(tests/paper_test.ts draws the committed small-scale results)",
  },
  {
    match: /^deno task experiment architectures /,
    run: (c) => `${c} --nets vgg11 --seeds 1 --quiet`,
    why: "seven networks take about half an hour at small scale: one of them (about a minute), " +
      "one seed",
  },
  {
    match: /^deno task explore\b/,
    run: () =>
      "setsid deno task explore --port 0 > explore.log 2>&1 & pid=$!; url=; " +
      "for i in $(seq 300); do url=$(grep -o 'http://127.0.0.1:[0-9]*/' explore.log | head -n1); " +
      '[ -n "$url" ] && break; sleep 1; done; ' +
      'curl -fsS "$url" > /dev/null; rc=$?; kill -- -$pid; cat explore.log; exit $rc',
    why:
      "serves until stopped: the same command on a free port, the page fetched once, then stopped",
  },
];

/** Commands not run here, each with its reason. */
const SKIPS: readonly Skip[] = [
  {
    match: /^(npx -y deno@2\.9\.6 |deno )task test\b/,
    why: "the test suite, which runs this test (CI runs it: .ci/run)",
  },
  { match: /^bash \.ci\/run$/, why: "CI itself, which runs this test" },
  {
    match: /^deno task check$/,
    why: "CI runs it before the tests (.ci/run); a few minutes that would run twice",
  },
  {
    match: /^deno task experiment slurm .*--partition gpu/,
    why: "submits to a Slurm cluster with GPUs; the rest of the block reads that sweep",
    block: true,
  },
  {
    match: /^sudo bash scripts\/slurm-up\.sh/,
    why: "root and a Slurm cluster on this machine: tests/slurm_e2e_test.ts runs the same " +
      "sequence on a private one",
    block: true,
  },
  {
    match: /^(sudo )?apt-get install /,
    why: "installs system packages (root, network)",
  },
];

const SHELL = new Set(["sh", "bash", "shell"]);
const TYPESCRIPT = new Set(["ts", "typescript"]);

/** `SRHM_DOCS=docs/metrics.md,README.md` checks only those documents (while editing them). */
const only = (Deno.env.get("SRHM_DOCS") ?? "").split(",").filter((f) => f !== "");

/** The documents, in the order their commands run. */
async function documents(): Promise<string[]> {
  const docs: string[] = [];
  for await (const e of Deno.readDir(`${root}/docs`)) {
    if (e.isFile && e.name.endsWith(".md")) docs.push(`docs/${e.name}`);
  }
  const all = ["README.md", ...docs.sort(), "BENCHMARKS.md"];
  return only.length === 0 ? all : all.filter((f) => only.includes(f));
}

/** The fenced blocks of a markdown text: language, first line of the body (1-based), body. */
function fencedBlocks(text: string): { lang: string; line: number; body: string[] }[] {
  const lines = text.split("\n");
  const blocks: { lang: string; line: number; body: string[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i]);
    if (open === null) continue;
    const fence = open[2];
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trimStart().startsWith(fence)) body.push(lines[j++]);
    blocks.push({ lang: open[3].toLowerCase(), line: i + 2, body });
    i = j;
  }
  return blocks;
}

/** The commands of a shell block: continuation lines joined, comments and blank lines dropped. */
function shellCommands(body: readonly string[], first: number) {
  const out: { line: number; command: string }[] = [];
  let current = "";
  let start = first;
  body.forEach((raw, k) => {
    const text = raw.replace(/(^|\s)#.*$/, "").trimEnd();
    if (current === "") start = first + k;
    if (text.endsWith("\\")) {
      current += text.slice(0, -1).trim() + " ";
      return;
    }
    current = (current + text.trim()).trim();
    if (current !== "") out.push({ line: start, command: current.replace(/\s+/g, " ") });
    current = "";
  });
  return out;
}

/** Every shell command and every document with TypeScript blocks. */
async function collect(): Promise<{ commands: DocCommand[]; tsDocs: string[] }> {
  const commands: DocCommand[] = [];
  const tsDocs: string[] = [];
  for (const file of await documents()) {
    const blocks = fencedBlocks(await Deno.readTextFile(`${root}/${file}`));
    blocks.forEach((b, block) => {
      if (SHELL.has(b.lang)) {
        for (const c of shellCommands(b.body, b.line)) commands.push({ file, block, ...c });
      }
      if (TYPESCRIPT.has(b.lang) && !tsDocs.includes(file)) tsDocs.push(file);
    });
  }
  return { commands, tsDocs };
}

/** A copy of the working tree (tracked and new files, not ignored ones) with node_modules linked. */
async function copyTree(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "srhm-docs-" });
  const ls = await new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: root,
    stdout: "piped",
  }).output();
  assert.equal(ls.code, 0, "git ls-files failed: the docs test needs the repository's git");
  const files = new TextDecoder().decode(ls.stdout).split("\0").filter((f) => f !== "");
  for (const f of files) {
    if (f === "node_modules" || f.startsWith("node_modules/")) continue; // linked below
    const from = `${root}/${f}`;
    const info = await Deno.lstat(from).catch(() => null);
    if (info === null || !info.isFile) continue; // deleted in the tree, a submodule, a link
    const to = `${dir}/${f}`;
    await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(from, to);
    if (f.endsWith(".sh") || f === ".ci/run") await Deno.chmod(to, 0o755);
  }
  await Deno.symlink(`${root}/node_modules`, `${dir}/node_modules`);
  return dir;
}

let torch: boolean | undefined;
async function hasTorch(): Promise<boolean> {
  if (torch !== undefined) return torch;
  const out = await new Deno.Command("/usr/bin/python3", { args: ["-c", "import torch"] })
    .output().catch(() => ({ code: 1 }));
  return (torch = out.code === 0);
}

/** Runs one command with bash in `cwd`; resolves to its exit code and the tail of its output. */
async function run(command: string, cwd: string, env: Record<string, string>, timeoutS: number) {
  const started = performance.now();
  const child = new Deno.Command("bash", {
    args: ["-o", "pipefail", "-c", command],
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutS * 1000),
  }).spawn();
  const out = await child.output();
  const text = (new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr))
    .split("\n").slice(-40).join("\n");
  return {
    code: out.code,
    signal: out.signal,
    text,
    seconds: (performance.now() - started) / 1000,
  };
}

const TIMEOUT_S = 240;

Deno.test("docs: the tables of substitutions and skips give their reasons", () => {
  for (const e of [...SUBSTITUTIONS, ...SKIPS]) assert.ok(e.why.length > 10, String(e.match));
});

Deno.test("docs: shell blocks are split into commands as a reader would type them", () => {
  const blocks = fencedBlocks(
    "text\n```sh\ndeno task a   # comment\n\n# only a comment\ndeno task b \\\n  --x 1\n```\n" +
      "```text\ndeno task [options]\n```\n",
  );
  assert.deepEqual(blocks.map((b) => b.lang), ["sh", "text"]);
  assert.deepEqual(shellCommands(blocks[0].body, blocks[0].line), [
    { line: 3, command: "deno task a" },
    { line: 6, command: "deno task b --x 1" },
  ]);
  assert.equal(withOptions("x --P 100000 --y", { "--P": "2000" }), "x --P 2000 --y");
  assert.equal(withOptions("x", { "--steps": "2" }), "x --steps 2");
});

Deno.test("docs: every command and example in the docs runs as written", async (t) => {
  assert.equal(Deno.version.deno, "2.9.6", "the docs' npx commands name Deno 2.9.6");
  const { commands, tsDocs } = await collect();
  // A document with TypeScript blocks and no command of its own that runs them as doc tests.
  for (const file of tsDocs) {
    const stated = commands.some((c) =>
      /^deno test .*--doc/.test(c.command) && c.command.split(" ").includes(file)
    );
    if (!stated) commands.push({ file, line: 0, block: -1, command: `deno test --doc ${file}` });
  }
  const used = new Set<unknown>();
  const done = new Map<string, string>();
  const skippedBlocks = new Map<string, string>();
  const env: Record<string, string> = {};
  const dir = await copyTree();
  const started = performance.now();
  const failures: string[] = [];
  try {
    for (const c of commands) {
      const where = `${c.file}:${c.line}`;
      const blockKey = `${c.file}#${c.block}`;
      const skip = SKIPS.find((s) => s.match.test(c.command));
      if (skip !== undefined) used.add(skip);
      const why = skip?.why ?? skippedBlocks.get(blockKey);
      if (why !== undefined) {
        if (skip?.block) skippedBlocks.set(blockKey, skip.why);
        await t.step({ name: `${where} ${c.command}`, ignore: true, fn: () => {} });
        console.log(`  skipped: ${why}`);
        continue;
      }
      const sub = SUBSTITUTIONS.find((s) => s.match.test(c.command));
      if (sub !== undefined) used.add(sub);
      const command = sub ? sub.run(c.command) : c.command;
      const exported = /^export (\w+)=(\S+)$/.exec(command);
      if (exported !== null) {
        env[exported[1]] = exported[2];
        continue;
      }
      if (done.has(command)) continue; // ran already (at done.get(command))
      if (sub?.needs === "torch" && !(await hasTorch())) {
        await t.step({ name: `${where} ${c.command}`, ignore: true, fn: () => {} });
        console.log("  skipped: needs PyTorch (/usr/bin/python3 with python3-torch), absent here");
        continue;
      }
      done.set(command, where);
      const ok = await t.step(`${where} ${c.command}`, async () => {
        if (sub) console.log(`  runs as: ${command}\n  (${sub.why})`);
        const r = await run(command, dir, env, TIMEOUT_S);
        console.log(`  ${r.seconds.toFixed(1)} s`);
        assert.ok(
          r.code === 0,
          `${where}: \`${command}\` exited with ${r.code}${r.signal ? ` (${r.signal})` : ""}` +
            `${r.signal === "SIGTERM" ? `, past ${TIMEOUT_S} s` : ""}; its output ends:\n${r.text}`,
        );
      });
      if (!ok) failures.push(`${where}: ${c.command}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  console.log(`docs test: ${((performance.now() - started) / 1000).toFixed(0)} s of commands`);
  const stale = only.length > 0
    ? [] // a subset of the documents need not use every entry
    : [...SUBSTITUTIONS, ...SKIPS].filter((e) => !used.has(e)).map((e) => e.match);
  assert.deepEqual(stale, [], "entries of SUBSTITUTIONS / SKIPS that match no command any more");
  assert.deepEqual(failures, [], "documented commands that fail (details in the steps above)");
});
