import { FlacDecoder, FlacEncoder, InvalidStreamError } from "@flacarray/core";
import { expect, test } from "vitest";
import { mulberry32, neuropixelsLike } from "../../bench/neuropixels-like.js";
import { fixtureBytes, MANIFEST } from "../helpers/fixtures.js";

const GUARD = 64;
const SENTINEL = 0x7eadbeef;

/**
 * Decodes a possibly damaged stream into a buffer with guard zones on both sides. The decode
 * must end in a correct result or an InvalidStreamError, and never write outside its range.
 * @returns "ok", "error" or "different" (a damaged stream whose CRCs still matched)
 */
function decodeGuarded(bytes: Uint8Array, expected: Int32Array, n: number, channels: number, start: number, stop: number): string {
  const out = new Int32Array(GUARD + (stop - start) * channels + GUARD).fill(SENTINEL);
  let outcome = "ok";
  try {
    new FlacDecoder().decode(bytes, out, { start, stop, outOffset: GUARD, totalSamples: n, channels });
    const got = out.subarray(GUARD, out.length - GUARD);
    const want = expected.subarray(start * channels, stop * channels);
    for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) outcome = "different";
  } catch (err) {
    if (!(err instanceof InvalidStreamError)) throw err;
    outcome = "error";
  }
  for (let i = 0; i < GUARD; i++) {
    if (out[i] !== SENTINEL || out[out.length - 1 - i] !== SENTINEL) throw new Error("decoder wrote outside its output range");
  }
  return outcome;
}

test("thousands of mutated and truncated streams end in a typed error or a correct result", () => {
  const rand = mulberry32(2024);
  const sources: { bytes: Uint8Array; samples: Int32Array; channels: number }[] = [];
  for (const level of [0, 5, 8]) {
    const mono = neuropixelsLike(1, 9000, level);
    sources.push({ bytes: new FlacEncoder({ level }).encode(mono, 1), samples: mono, channels: 1 });
    const stereo = new Int32Array(18000);
    for (let i = 0; i < 9000; i++) {
      stereo[2 * i] = mono[i];
      stereo[2 * i + 1] = mono[i] >> 2;
    }
    sources.push({ bytes: new FlacEncoder({ level }).encode(stereo, 2), samples: stereo, channels: 2 });
  }
  // libFLAC-written 32-bit streams too (stereo with 33-bit side channels among them)
  for (const blob of MANIFEST.flac_blobs.slice(0, 13)) {
    const bytes = fixtureBytes(blob.file);
    const samples = new Int32Array(blob.n_samples * blob.channels);
    new FlacDecoder().decode(bytes, samples, { totalSamples: blob.n_samples });
    sources.push({ bytes, samples, channels: blob.channels });
  }
  const counts: Record<string, number> = { ok: 0, error: 0, different: 0 };
  const CASES = 3000;
  for (let c = 0; c < CASES; c++) {
    const src = sources[c % sources.length];
    const bytes = src.bytes.slice();
    const kind = c % 4;
    let damaged = bytes;
    if (kind === 0)
      damaged = bytes.subarray(0, Math.floor(rand() * bytes.length)); // truncation
    else if (kind === 1)
      bytes[Math.floor(rand() * bytes.length)] ^= 1 << Math.floor(rand() * 8); // one bit flip
    else if (kind === 2)
      for (let k = 0; k < 8; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256); // random bytes
    else {
      const at = 42 + Math.floor(rand() * (bytes.length - 100)); // a run of garbage
      for (let k = 0; k < 50; k++) bytes[at + k] = Math.floor(rand() * 256);
    }
    const n = src.samples.length / src.channels;
    const start = rand() < 0.5 ? 0 : Math.floor(rand() * n);
    const stop = start + Math.floor(rand() * (n - start)) + 1;
    counts[decodeGuarded(damaged, src.samples, n, src.channels, start, Math.min(stop, n))]++;
  }
  expect(counts.ok + counts.error + counts.different).toBe(CASES);
  expect(counts.error).toBeGreaterThan(CASES / 2);
  // corruption that slips past CRC-8 and CRC-16 is possible only with odds around 2^-16 per frame
  expect(counts.different).toBeLessThanOrEqual(2);
});
