/**
 * Damaged FLAC streams, ours and Python's (libFLAC, 32-bit, STREAMINFO total 0): bit flips,
 * overwrites, truncations, insertions, deletions, splices from another stream and STREAMINFO
 * edits. Every read, full or partial, with the stream size known as the readers know it, ends in
 * an InvalidStreamError or exactly the right samples, and never writes outside its output range.
 */
import { concatBytes, FlacDecoder, FlacEncoder, InvalidStreamError } from "@flacarray/core";
import { expect, test } from "vitest";
import { mulberry32, neuropixelsLike } from "../../../bench/neuropixels-like.js";
import { fixtureBytes, MANIFEST } from "../../helpers/fixtures.js";
import { withUnknownTotal } from "../../helpers/flac-bytes.js";

const GUARD = 64;
const SENTINEL = 0x7eadbeef;

/**
 * Decodes a possibly damaged stream into a buffer with guard zones on both sides.
 * @returns "ok" (exactly the samples), "error" (an InvalidStreamError) or "wrong" (anything else returned)
 */
function decodeGuarded(bytes: Uint8Array, expected: Int32Array, n: number, channels: number, start: number, stop: number): string {
  const out = new Int32Array(GUARD + (stop - start) * channels + GUARD).fill(SENTINEL);
  let outcome = "ok";
  try {
    new FlacDecoder().decode(bytes, out, { start, stop, outOffset: GUARD, totalSamples: n, channels });
    const got = out.subarray(GUARD, out.length - GUARD);
    const want = expected.subarray(start * channels, stop * channels);
    for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) outcome = "wrong";
  } catch (err) {
    if (!(err instanceof InvalidStreamError)) throw err;
    outcome = "error";
  }
  for (let i = 0; i < GUARD; i++) {
    if (out[i] !== SENTINEL || out[out.length - 1 - i] !== SENTINEL) throw new Error("decoder wrote outside its output range");
  }
  return outcome;
}

interface Source {
  bytes: Uint8Array;
  samples: Int32Array;
  channels: number;
}

function sources(): Source[] {
  const list: Source[] = [];
  for (const level of [0, 5, 8]) {
    const mono = neuropixelsLike(1, 9000, level);
    const encoder = new FlacEncoder({ level });
    list.push({ bytes: encoder.encode(mono, 1), samples: mono, channels: 1 });
    list.push({ bytes: withUnknownTotal(encoder.encode(mono, 1)), samples: mono, channels: 1 }); // as Python writes totals
    const stereo = new Int32Array(18000);
    for (let i = 0; i < 9000; i++) {
      stereo[2 * i] = mono[i];
      stereo[2 * i + 1] = mono[i] >> 2;
    }
    list.push({ bytes: encoder.encode(stereo, 2), samples: stereo, channels: 2 });
  }
  // libFLAC-written 32-bit streams too (stereo with 33-bit side channels among them)
  for (const blob of MANIFEST.flac_blobs.slice(0, 13)) {
    const bytes = fixtureBytes(blob.file);
    const samples = new Int32Array(blob.n_samples * blob.channels);
    new FlacDecoder().decode(bytes, samples, { totalSamples: blob.n_samples });
    list.push({ bytes, samples, channels: blob.channels });
  }
  return list;
}

/** The damage of case `c`: one of nine kinds, placed by `rand`. */
function damage(c: number, src: Uint8Array, other: Uint8Array, rand: () => number): Uint8Array {
  const at = (from = 0) => from + Math.floor(rand() * (src.length - from));
  const bytes = src.slice();
  switch (c % 9) {
    case 0:
      return src.subarray(0, at()); // truncation
    case 1:
      bytes[at()] ^= 1 << Math.floor(rand() * 8); // one bit flip
      return bytes;
    case 2:
      for (let k = 0; k < 8; k++) bytes[at()] = Math.floor(rand() * 256); // random bytes
      return bytes;
    case 3: {
      const p = at(42); // a run of garbage
      for (let k = 0; k < 50 && p + k < bytes.length; k++) bytes[p + k] = Math.floor(rand() * 256);
      return bytes;
    }
    case 4: {
      const p = at(42); // insertion
      const extra = Uint8Array.from({ length: 1 + Math.floor(rand() * 40) }, () => Math.floor(rand() * 256));
      return concatBytes([src.subarray(0, p), extra, src.subarray(p)]);
    }
    case 5: {
      const p = at(42); // deletion
      return concatBytes([src.subarray(0, p), src.subarray(Math.min(src.length, p + 1 + Math.floor(rand() * 200)))]);
    }
    case 6: {
      const p = at(42); // a splice: bytes of another stream put in
      const q = 42 + Math.floor(rand() * Math.max(1, other.length - 300));
      return concatBytes([src.subarray(0, p), other.subarray(q, q + 1 + Math.floor(rand() * 300)), src.subarray(p)]);
    }
    case 7: {
      const p = at(42); // a splice in place
      const q = 42 + Math.floor(rand() * Math.max(1, other.length - 300));
      bytes.set(other.subarray(q, q + Math.min(1 + Math.floor(rand() * 300), bytes.length - p)), p);
      return bytes;
    }
    default:
      bytes[8 + Math.floor(rand() * 34)] = Math.floor(rand() * 256); // a STREAMINFO byte (no CRC protects it)
      return bytes;
  }
}

test("thousands of damaged streams: a typed error or exactly the samples, in linear time", () => {
  const rand = mulberry32(2024);
  const all = sources();
  const counts: Record<string, number> = { ok: 0, error: 0, wrong: 0 };
  const CASES = 4500;
  const t0 = performance.now();
  for (let c = 0; c < CASES; c++) {
    const src = all[c % all.length];
    const other = all[(c * 7 + 3) % all.length].bytes;
    const damaged = damage(c, src.bytes, other, rand);
    const n = src.samples.length / src.channels;
    const start = rand() < 0.5 ? 0 : Math.floor(rand() * n);
    const stop = Math.min(n, start + Math.floor(rand() * (n - start)) + 1);
    counts[decodeGuarded(damaged, src.samples, n, src.channels, start, stop)]++;
  }
  expect(counts.ok + counts.error + counts.wrong).toBe(CASES);
  expect(counts.error).toBeGreaterThan(CASES / 2);
  // A wrong result needs damage that CRC-8 and CRC-16 both miss (odds about 2^-24 per damaged
  // frame), or a whole frame of another stream with this one's number and CRCs, which no check
  // can tell apart. Neither happens with this seed.
  expect(counts.wrong).toBe(0);
  expect(performance.now() - t0).toBeLessThan(60_000);
});
