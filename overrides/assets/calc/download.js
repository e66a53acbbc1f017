// The engine's downloads, checked as they arrive (calc-worker.js; no DOM, so node's tests import it):
//
// * a download that stops — no response, or no byte for ``idleMs`` while one is awaited — fails at once
//   with the cause "stalled" (protocol.js CAUSES), in seconds, not after the page's start-up watchdog;
// * the memory snapshot is refused unless its seal matches (the SHA-256 that
//   handbook.runtime.pyodide_bundle.sparse_encode writes at its end), so a damaged file of the right
//   size never reaches Python; the wasm is checked against the manifest's ``wasm_sha256`` the same way.
//
// SHA-256 is SubtleCrypto's where the page is a secure context, else the small one below (a plain-HTTP
// intranet has no crypto.subtle): the same digest either way.

/** An Error with the cause the page names in its notice (protocol.js CAUSES). */
export function failure(message, cause) {
  const err = new Error(message);
  err.cause = cause;
  return err;
}

/** How long a download may go without a byte before it counts as stalled (overridable: options.stallTimeout). */
export const STALL_TIMEOUT_MS = 10_000;

/**
 * fetch(url), guarded: the response and then each chunk of its body must come within ``idleMs`` of
 * being awaited. On a stall the request is aborted, ``onStall(err)`` is told at once (the start-up
 * fails then, whoever reads the body) and the body errors with the same failure.
 * ``check``: an HTTP error or a network failure rejects with its cause ("http", "offline").
 */
export async function fetchGuarded(url, what, { idleMs = STALL_TIMEOUT_MS, init, check = true, onStall = () => {}, fetchFn = fetch } = {}) {
  init = init || {};
  const ctrl = new AbortController();
  let timer = null;
  let stalled = null;
  const stop = () => clearTimeout(timer);
  const arm = () => {
    stop();
    if (idleMs > 0) {
      timer = setTimeout(() => {
        stalled = failure(`${what}: no data for ${idleMs / 1000} s (${url})`, "stalled");
        ctrl.abort(stalled);
        onStall(stalled);
      }, idleMs);
    }
  };
  if (init.signal) init.signal.addEventListener("abort", () => ctrl.abort(init.signal.reason), { once: true });
  arm();
  let resp;
  try {
    resp = await fetchFn(url, { credentials: "same-origin", ...init, signal: ctrl.signal });
  } catch (err) {
    stop();
    if (stalled) throw stalled;
    if (!check) throw err;
    throw failure(`${what}: ${(err && err.message) || err} (${url})`, "offline");
  }
  stop();
  if (check && !resp.ok) throw failure(`${what}: HTTP ${resp.status} for ${url}`, "http");
  if (!resp.body) return resp;
  const reader = resp.body.getReader();
  const body = new ReadableStream({
    async pull(controller) {
      arm(); // the clock runs only while a chunk is awaited: a slow reader is not a stalled server
      let r;
      try {
        r = await reader.read();
      } catch (err) {
        stop();
        controller.error(stalled || failure(`${what}: the download broke off (${(err && err.message) || err}) (${url})`, "offline"));
        return;
      }
      stop();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel(reason) {
      stop();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: resp.status, statusText: resp.statusText, headers: resp.headers });
}

/** Every byte of a stream, in one array. */
export async function readAll(stream) {
  const chunks = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// ------------------------------------------------------------------------------ SHA-256

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-256 in plain JavaScript (FIPS 180-4), for pages without crypto.subtle. */
export function sha256Plain(bytes) {
  const H = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const W = new Uint32Array(64);
  const n = bytes.length;
  const tailLen = (n % 64 < 56 ? 64 : 128) - (n % 64);
  const tail = new Uint8Array(n % 64 + tailLen);
  tail.set(bytes.subarray(n - (n % 64)));
  tail[n % 64] = 0x80;
  const bits = n * 8;
  const tv = new DataView(tail.buffer);
  tv.setUint32(tail.length - 8, Math.floor(bits / 0x100000000));
  tv.setUint32(tail.length - 4, bits >>> 0);
  const block = (src, off) => {
    for (let i = 0; i < 16; i++) W[i] = (src[off + 4 * i] << 24) | (src[off + 4 * i + 1] << 16) | (src[off + 4 * i + 2] << 8) | src[off + 4 * i + 3];
    for (let i = 16; i < 64; i++) {
      const a = W[i - 15], b = W[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += h;
  };
  for (let off = 0; off + 64 <= n; off += 64) block(bytes, off);
  for (let off = 0; off < tail.length; off += 64) block(tail, off);
  const out = new Uint8Array(32);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) ov.setUint32(4 * i, H[i]);
  return out;
}

/** The SHA-256 of ``bytes`` (a Uint8Array), as bytes. */
export async function sha256(bytes) {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (subtle) return new Uint8Array(await subtle.digest("SHA-256", bytes));
  return sha256Plain(bytes);
}

export const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

// ------------------------------------------------------------------------------ the snapshot

export const SPARSE_MAGIC = "CSP2"; // handbook.runtime.pyodide_bundle.SPARSE_MAGIC
const SEAL = 32;

/** The memory image from its sealed sparse form (inverse of handbook.runtime.pyodide_bundle.sparse_encode);
 * rejects with the cause "corrupt" when the seal or the size does not match, before any use. */
export async function unsparse(blob) {
  const damaged = (why) => failure(`snapshot: damaged or truncated (${why}; ${blob.length} bytes)`, "corrupt");
  const magic = String.fromCharCode(blob[0], blob[1], blob[2], blob[3]);
  if (magic !== SPARSE_MAGIC || blob.length < 16 + SEAL) throw damaged("not a sealed snapshot");
  const body = blob.subarray(0, blob.length - SEAL);
  const seal = blob.subarray(blob.length - SEAL);
  const digest = await sha256(body);
  if (!digest.every((b, i) => b === seal[i])) throw damaged("its SHA-256 does not match its seal");
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const total = dv.getUint32(4, true),
    page = dv.getUint32(8, true),
    count = dv.getUint32(12, true);
  if (!page || count > Math.ceil(total / page) || body.length !== 16 + 4 * count + count * page) throw damaged("its header does not match its size");
  const out = new Uint8Array(total);
  const base = 16 + 4 * count;
  for (let k = 0; k < count; k++) {
    const i = dv.getUint32(16 + 4 * k, true);
    const len = Math.min(page, total - i * page);
    out.set(body.subarray(base + k * page, base + k * page + len), i * page);
  }
  return out;
}
