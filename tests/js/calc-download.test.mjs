// The engine's downloads (overrides/assets/calc/download.js): a download that stops is a failure of its own
// within its idle time, against a real HTTP server that sends its headers and a few bytes, then nothing;
// the snapshot's seal and the plain SHA-256 used where crypto.subtle is missing.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { test } from "node:test";

import { fetchGuarded, readAll, sha256, sha256Plain, unsparse } from "../../overrides/assets/calc/download.js";

/** A server whose /stall sends headers and 1 kB of a promised 1 MB, then holds the connection; /slow
 * sends 10 chunks 100 ms apart (slow, but moving); /whole answers at once. */
async function server() {
  const held = [];
  const srv = createServer((req, res) => {
    if (req.url === "/stall") {
      res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": String(1 << 20) });
      res.write(Buffer.alloc(1024, 7));
      held.push(res);
    } else if (req.url === "/silent") {
      held.push(res); // no headers at all
    } else if (req.url === "/slow") {
      res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": "1000" });
      let n = 0;
      const tick = setInterval(() => {
        res.write(Buffer.alloc(100, n));
        if (++n === 10) {
          clearInterval(tick);
          res.end();
        }
      }, 100);
    } else {
      res.writeHead(200, { "Content-Type": "application/octet-stream" });
      res.end(Buffer.alloc(5000, 1));
    }
  });
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${srv.address().port}`;
  const close = () => {
    for (const res of held) res.destroy();
    srv.closeAllConnections();
    srv.close();
  };
  return { base, close };
}

test("a body that stops is refused as stalled, and the start-up is told at once", async () => {
  const { base, close } = await server();
  try {
    let told = null;
    const t0 = performance.now();
    const resp = await fetchGuarded(`${base}/stall`, "snapshot", { idleMs: 1500, onStall: (err) => (told = err) });
    assert.equal(resp.status, 200); // the headers came: it is the body that stops
    await assert.rejects(readAll(resp.body), (err) => err.cause === "stalled" && /snapshot: no data for 1\.5 s/.test(err.message));
    const took = performance.now() - t0;
    assert.equal(told && told.cause, "stalled");
    assert.ok(took < 5000, `detected after ${took} ms`);
  } finally {
    close();
  }
});

test("a server that never answers is refused as stalled", async () => {
  const { base, close } = await server();
  try {
    let told = null;
    await assert.rejects(
      fetchGuarded(`${base}/silent`, "pyodide.asm.wasm", { idleMs: 500, onStall: (err) => (told = err) }),
      (err) => err.cause === "stalled",
    );
    assert.equal(told && told.cause, "stalled");
  } finally {
    close();
  }
});

test("a slow download that keeps moving, and a whole one, are not stalls", async () => {
  const { base, close } = await server();
  try {
    let told = null;
    const onStall = (err) => (told = err);
    const slow = await readAll((await fetchGuarded(`${base}/slow`, "x", { idleMs: 1000, onStall })).body);
    assert.equal(slow.length, 1000); // 1 s in all, never 1 s without a byte
    const whole = await readAll((await fetchGuarded(`${base}/whole`, "x", { idleMs: 1000, onStall })).body);
    assert.equal(whole.length, 5000);
    await new Promise((r) => setTimeout(r, 1200)); // no timer left running after the end
    assert.equal(told, null);
  } finally {
    close();
  }
});

test("the plain SHA-256 is SHA-256", async () => {
  for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 100_003]) {
    const bytes = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 255);
    const want = createHash("sha256").update(bytes).digest();
    assert.deepEqual(Buffer.from(sha256Plain(bytes)), want, `length ${n}`);
    assert.deepEqual(Buffer.from(await sha256(bytes)), want, `length ${n} (crypto.subtle)`);
  }
});

/** A sealed sparse image of ``image`` in handbook.runtime.pyodide_bundle.sparse_encode's layout (page 16). */
function seal(image, page = 16) {
  const keep = [];
  for (let i = 0; i * page < image.length; i++) if (image.subarray(i * page, (i + 1) * page).some((b) => b)) keep.push(i);
  const body = Buffer.alloc(16 + 4 * keep.length + keep.length * page);
  body.write("CSP2", 0, "latin1");
  body.writeUInt32LE(image.length, 4);
  body.writeUInt32LE(page, 8);
  body.writeUInt32LE(keep.length, 12);
  keep.forEach((i, k) => {
    body.writeUInt32LE(i, 16 + 4 * k);
    body.set(image.subarray(i * page, Math.min((i + 1) * page, image.length)), 16 + 4 * keep.length + k * page);
  });
  return new Uint8Array(Buffer.concat([body, createHash("sha256").update(body).digest()]));
}

test("a sealed snapshot is restored; one byte changed, or a byte short, is refused as damaged", async () => {
  const image = new Uint8Array(200);
  image.set([1, 2, 3], 20);
  image.set([9], 199);
  const blob = seal(image);
  assert.deepEqual(await unsparse(blob), image);
  for (const at of [2, 6, 30, blob.length - 40, blob.length - 1]) {
    const bad = blob.slice();
    bad[at] ^= 0x01; // same size, one bit off
    await assert.rejects(unsparse(bad), (err) => err.cause === "corrupt", `byte ${at}`);
  }
  await assert.rejects(unsparse(blob.subarray(0, blob.length - 1)), (err) => err.cause === "corrupt");
  await assert.rejects(unsparse(new Uint8Array(10)), (err) => err.cause === "corrupt");
});
