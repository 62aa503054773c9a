/**
 * Finding a Python that has the modules a test needs (NumPy, pandas), for the tests that read our
 * files back in Python. Debian's interpreter is `/usr/bin/python3` (a `python3` earlier on `PATH`,
 * e.g. a pyenv shim, may lack Debian's packages); `SRHM_PYTHON` names another.
 *
 * @module
 */

/** A Python that imports the modules asked for, or why there is none. */
export type PythonFound = { readonly exe: string } | { readonly reason: string };

/**
 * The first of `$SRHM_PYTHON`, `/usr/bin/python3`, `python3` that imports every module of
 * `modules`; else the reason, to print where a test skips.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findPython } from "./python_env.ts";
 * const found = findPython(["no_such_module_srhm"]);
 * assert.ok("reason" in found && /no_such_module_srhm/.test(found.reason));
 * ```
 */
export function findPython(modules: readonly string[]): PythonFound {
  const env = Deno.env.get("SRHM_PYTHON");
  const candidates = [...(env ? [env] : []), "/usr/bin/python3", "python3"];
  const tried: string[] = [];
  for (const exe of candidates) {
    try {
      const out = new Deno.Command(exe, {
        args: ["-c", `import ${modules.join(", ")}`],
        stdout: "null",
        stderr: "null",
      }).outputSync();
      if (out.success) return { exe };
      tried.push(`${exe} cannot import ${modules.join(", ")}`);
    } catch {
      tried.push(`${exe} not found`);
    }
  }
  return { reason: tried.join("; ") };
}

/**
 * Runs `exe script args...`; returns its exit code, stdout and stderr.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runPython } from "./python_env.ts";
 * const r = await runPython("/bin/echo", "hello", []);
 * assert.ok(r.code === 0 && r.stdout.trim() === "hello");
 * ```
 */
export async function runPython(
  exe: string,
  script: string,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(exe, {
    args: [script, ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
