// Library code that lacks a permission names it: each case runs a small program in a fresh Deno
// process with only the permissions given, and checks the message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Runs `code` as a module in the repository root with `flags`; returns its exit code and output. */
async function runWith(flags: string[], code: string) {
  const file = await Deno.makeTempFile({ dir: root, prefix: ".permissions-", suffix: ".ts" });
  try {
    await Deno.writeTextFile(file, code);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", ...flags, file],
      cwd: root,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return { code: out.code, text };
  } finally {
    await Deno.remove(file);
  }
}

test("importing @srhm/srhm needs no permission, and makeGrammar is a flat export", async () => {
  const { code, text } = await runWith(
    [],
    `import { makeGrammar, makeParams, predictCnn } from "@srhm/srhm";\n` +
      `console.log(makeGrammar(makeParams({ L: 2, s0: 1, v: 4 })).pmax, ` +
      `predictCnn(makeParams({ L: 2, s0: 1, v: 4 })));\n`,
  );
  assert.equal(code, 0, text);
  assert.match(text, /^16384n? 640$/m);
});

test("selectBackend('wasm') without --allow-read names --allow-read", async () => {
  const { code, text } = await runWith(
    [],
    `import { selectBackend } from "@srhm/networks";\n` +
      `try { await selectBackend("wasm"); console.log("selected"); }\n` +
      `catch (e) { console.log("caught:", (e as Error).message); }\n`,
  );
  assert.equal(code, 0, text);
  assert.match(text, /caught: backend "wasm" is unavailable: .*needs --allow-read/);
});

test("selectBackend('wasm') with --allow-read alone works", async () => {
  const { code, text } = await runWith(
    ["--allow-read"],
    `import { selectBackend } from "@srhm/networks";\n` +
      `console.log((await selectBackend("wasm")).name);\n`,
  );
  assert.equal(code, 0, text);
  assert.match(text, /^wasm$/m);
});

test("renderPng without --allow-sys names the permissions resvg needs", async () => {
  const { code, text } = await runWith(
    [],
    `import { renderPng } from "@srhm/experiments";\n` +
      `const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>';\n` +
      `try { await renderPng(svg); console.log("rendered"); }\n` +
      `catch (e) { console.log("caught:", (e as Error).message); }\n`,
  );
  assert.equal(code, 0, text);
  assert.match(text, /caught: renderPng: .*needs --allow-sys, --allow-read and --allow-ffi/);
  assert.match(text, /not granted here: --allow-sys/);
});

test("renderPng with --allow-sys --allow-read --allow-ffi works", async () => {
  const { code, text } = await runWith(
    ["--allow-sys", "--allow-read", "--allow-ffi"],
    `import { renderPng } from "@srhm/experiments";\n` +
      `const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>';\n` +
      `console.log("png bytes", (await renderPng(svg)).length > 0);\n`,
  );
  assert.equal(code, 0, text);
  assert.match(text, /png bytes true/);
});

test("a project outside the clone uses the packages through deno.json links (README)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "srhm-links-" });
  try {
    const members = ["", "/generators", "/networks", "/metrics", "/experiments"];
    await Deno.writeTextFile(
      `${dir}/deno.json`,
      JSON.stringify({
        imports: { "@srhm/srhm": "jsr:@srhm/srhm@^0.1.0" },
        links: members.map((m) => `${root.replace(/\/$/, "")}${m}`),
      }),
    );
    await Deno.writeTextFile(
      `${dir}/main.ts`,
      `import { makeGrammar, makeParams, networks } from "@srhm/srhm";\n` +
        `console.log(makeGrammar(makeParams({ L: 2, s0: 1, v: 4 })).pmax, ` +
        `typeof networks.selectBackend);\n`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "main.ts"],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.match(text, /16384n? function/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
