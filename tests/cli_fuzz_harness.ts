/**
 * The process side of `cli_fuzz_test.ts`, not a test itself: reads one JSON argument list per
 * line on stdin, runs the CLI's `runCli` on it in a fresh empty working directory, and answers one
 * JSON line: the exit code, what went to stdout and stderr, and the files left in that directory.
 * Everything the CLI writes (console, `Deno.stdout`/`Deno.stderr`) is captured.
 *
 * @module
 */
const json = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
const entry = new URL(`../${String(json.tasks.experiment).split(/\s+/).at(-1)}`, import.meta.url);
const { runCli } = await import(entry.href) as {
  runCli: (args: readonly string[]) => Promise<number>;
};

let out = "";
let err = "";
const decoder = new TextDecoder();
const capture = (sink: "out" | "err") => (...parts: unknown[]) => {
  const text = parts.map((p) => typeof p === "string" ? p : Deno.inspect(p)).join(" ") + "\n";
  if (sink === "out") out += text;
  else err += text;
};
const real = { stdout: Deno.stdout.writeSync, stderr: Deno.stderr.writeSync };
const replyBytes = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  let done = 0;
  while (done < bytes.length) done += real.stdout.call(Deno.stdout, bytes.subarray(done));
};
console.log = capture("out");
console.info = capture("out");
console.error = capture("err");
console.warn = capture("err");
Deno.stdout.writeSync = (b: Uint8Array) => {
  out += decoder.decode(b);
  return b.length;
};
Deno.stderr.writeSync = (b: Uint8Array) => {
  err += decoder.decode(b);
  return b.length;
};

function filesIn(dir: string): string[] {
  const found: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    found.push(e.name);
    if (e.isDirectory) found.push(...filesIn(`${dir}/${e.name}`).map((f) => `${e.name}/${f}`));
  }
  return found;
}

const home = Deno.cwd();
let buffered = "";
for await (const chunk of Deno.stdin.readable) {
  buffered += decoder.decode(chunk, { stream: true });
  let nl: number;
  while ((nl = buffered.indexOf("\n")) >= 0) {
    const args = JSON.parse(buffered.slice(0, nl)) as string[];
    buffered = buffered.slice(nl + 1);
    const dir = await Deno.makeTempDir({ prefix: "srhm-fuzz-" });
    Deno.chdir(dir);
    out = "";
    err = "";
    let code: number;
    let thrown: string | undefined;
    try {
      code = await runCli(args);
    } catch (e) {
      code = -1;
      thrown = e instanceof Error ? `${e.stack}` : String(e);
    }
    Deno.chdir(home);
    const files = filesIn(dir);
    await Deno.remove(dir, { recursive: true });
    replyBytes(JSON.stringify({ code, stdout: out, stderr: err, files, thrown }) + "\n");
  }
}
