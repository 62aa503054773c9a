import { test } from "node:test";
import assert from "node:assert/strict";
import { claimIsLive, liveClaims, tryClaim } from "../experiments/claims.ts";

const ID = "0123456789abcdef";
const procfs = (() => {
  try {
    return Deno.statSync("/proc/self/stat").isFile;
  } catch {
    return false;
  }
})();

test("of many simultaneous claims of one run, exactly one is granted", async () => {
  const dir = await Deno.makeTempDir();
  const claims = await Promise.all(Array.from({ length: 12 }, () => tryClaim(`${dir}/c`, ID)));
  assert.equal(claims.filter((c) => c !== null).length, 1);
  await claims.find((c) => c !== null)?.release();
  assert.ok(await tryClaim(`${dir}/c`, ID) !== null, "free again once released");
  await Deno.remove(dir, { recursive: true });
});

test(
  "the claim of a process that has exited is taken over at once",
  { skip: !procfs },
  async () => {
    const dir = await Deno.makeTempDir();
    const child = new Deno.Command(Deno.execPath(), { args: ["eval", "0"] }).spawn();
    await child.status;
    await Deno.mkdir(`${dir}/c`);
    await Deno.writeTextFile(
      `${dir}/c/${ID}.json`,
      JSON.stringify({ id: ID, host: Deno.hostname(), pid: child.pid, token: "t", claimedAt: "" }),
    );
    assert.equal((await liveClaims(`${dir}/c`)).length, 0);
    const claim = await tryClaim(`${dir}/c`, ID);
    assert.ok(claim !== null);
    assert.equal(JSON.parse(await Deno.readTextFile(claim.path)).pid, Deno.pid);
    await Deno.remove(dir, { recursive: true });
  },
);

test("a live process holds its claim; a reused pid (another start time) does not", {
  skip: !procfs,
}, async () => {
  const child = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const stat = await Deno.readTextFile(`/proc/${child.pid}/stat`);
    const start = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
    const info = {
      id: ID,
      host: Deno.hostname(),
      pid: child.pid,
      start,
      token: "t",
      claimedAt: "",
    };
    assert.ok(claimIsLive(info, new Date(0)), "alive, even with an old heartbeat");
    assert.ok(!claimIsLive({ ...info, start: start + 1 }, new Date()), "pid reused");
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
});

test("a claim from another host expires when its heartbeat is older than staleAfter", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/c`);
  const path = `${dir}/c/${ID}.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({ id: ID, host: "elsewhere.invalid", pid: 1, token: "t", claimedAt: "" }),
  );
  assert.equal(await tryClaim(`${dir}/c`, ID, { staleAfter: 60 }), null, "fresh heartbeat");
  const old = new Date(Date.now() - 3600_000);
  await Deno.utime(path, old, old);
  const claim = await tryClaim(`${dir}/c`, ID, { staleAfter: 60 });
  assert.ok(claim !== null, "stale heartbeat");
  // its own heartbeat keeps it fresh
  await Deno.utime(path, old, old);
  await claim.heartbeat();
  assert.ok(Date.now() - (await Deno.stat(path)).mtime!.getTime() < 60_000);
  await Deno.remove(dir, { recursive: true });
});

test("a claim file cut short (its writer died while writing it) has expired", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/c`);
  await Deno.writeTextFile(`${dir}/c/${ID}.json`, '{"id":"0123');
  assert.ok(await tryClaim(`${dir}/c`, ID) !== null);
  await Deno.remove(dir, { recursive: true });
});

test("release removes only the releaser's own claim", async () => {
  const dir = await Deno.makeTempDir();
  const claim = await tryClaim(`${dir}/c`, ID);
  assert.ok(claim !== null);
  // someone took the (expired) claim over meanwhile
  await Deno.writeTextFile(
    claim.path,
    JSON.stringify({ id: ID, host: "elsewhere.invalid", pid: 1, token: "other", claimedAt: "" }),
  );
  await claim.release();
  assert.equal(JSON.parse(await Deno.readTextFile(claim.path)).token, "other");
  await Deno.remove(dir, { recursive: true });
});
