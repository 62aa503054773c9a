/**
 * The command line as a separate process, for the tests that check what a user sees: exit code,
 * standard output and standard error (`experiments/cli/main.ts`, the `experiment` task's entry).
 */

/** What one run of the command line gave. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command line's entry point. */
export const CLI_MAIN = new URL("../experiments/cli/main.ts", import.meta.url).pathname;

/**
 * Runs `deno run -A experiments/cli/main.ts ...args` (colours off) and collects its output.
 * `--node-modules-dir=manual`: the installed node_modules, without taking its lock (the test files
 * run in parallel).
 */
export async function cliProcess(args: readonly string[]): Promise<CliRun> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--node-modules-dir=manual", CLI_MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}
