/**
 * Damaged Zarr stores, Python's (blosc) and ours (raw chunks): metadata documents with values
 * replaced, removed or made unreadable, and chunks of `compressed` and of the integer stream tables
 * flipped, overwritten, cut or extended. Every read ends in a typed error or exactly the right data.
 *
 * Not mutated: the float tables `stream_offsets`/`stream_gains` and the values of attributes that
 * only label data (the format version among them): no checksum covers them, so a changed value
 * reads as a different but well-formed array. The README lists these limits.
 */
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { FlacArray, isFlacArrayError } from "@flacarray/core";
import { createStore, openZarr, readArray, writeFlacArray } from "@flacarray/zarr/node";
import { beforeAll, expect, test } from "vitest";
import { mulberry32 } from "../../../bench/neuropixels-like.js";
import { FLACARRAY_FIXTURES, fixtureNpy, MANIFEST } from "../../helpers/fixtures.js";
import { tempDir } from "../../helpers/temp.js";

const dir = tempDir("flacarray-zarr-fuzz-");

interface Original {
  path: string;
  expected: ArrayBufferView;
}

/** Same typed-array type and the same bytes. */
function sameArray(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return a.constructor === b.constructor && bytes(a).equals(bytes(b));
}

const originals: Original[] = [];

beforeAll(async () => {
  for (const id of ["z_v1_i32_2d_l5", "z_v1_i64_3d_l5", "z_v1_npx_385x2000_l5"]) {
    const f = MANIFEST.fixtures.find((x) => x.id === id);
    if (!f) throw new Error(`no fixture ${id}`);
    // the clean read, in the dtype the group decodes to, is first checked against Python's values
    const { data } = await readArray(openZarr(join(FLACARRAY_FIXTURES, f.file)));
    expect(Array.from(data as ArrayLike<unknown>, String)).toStrictEqual(
      Array.from(fixtureNpy(f.expected).data as ArrayLike<unknown>, String),
    );
    originals.push({ path: join(FLACARRAY_FIXTURES, f.file), expected: data as ArrayBufferView });
  }
  const data = Int32Array.from({ length: 6 * 7000 }, (_, i) => Math.round(900 * Math.sin(i / 11) + ((i * 7919) % 97)));
  const ours = join(dir, "ours.zarr");
  await createStore(ours, (root) => writeFlacArray(FlacArray.fromArray({ data, shape: [6, 7000] }), root, { chunkBytes: 5000 }));
  originals.push({ path: ours, expected: data });
});

/** Files of a store, relative to it. */
function filesOf(root: string, at = root): string[] {
  return readdirSync(at).flatMap((name) => {
    const path = join(at, name);
    return statSync(path).isDirectory() ? filesOf(root, path) : [relative(root, path)];
  });
}

const JUNK: unknown[] = [-1, 0, 1, 3, 1e9, 2 ** 53, 0.5, "", "x", "<i4", "|u1", null, true, [], [1e6], {}, { id: "zstd" }];

/** Replaces, removes or breaks one value of a JSON document. */
function mutateJson(text: string, rand: () => number): string {
  if (rand() < 0.1) return text.slice(0, Math.floor(rand() * text.length)); // cut: not JSON any more
  const doc = JSON.parse(text) as Record<string, unknown>;
  const keys = Object.keys(doc).filter((k) => !k.startsWith("flacarray_software"));
  if (keys.length === 0) return "{}";
  const key = keys[Math.floor(rand() * keys.length)];
  if (rand() < 0.2) delete doc[key];
  else doc[key] = JUNK[Math.floor(rand() * JUNK.length)];
  return JSON.stringify(doc);
}

/** Flips, overwrites, cuts or extends a chunk. */
function mutateChunk(bytes: Uint8Array, rand: () => number): Uint8Array {
  const at = Math.floor(rand() * bytes.length);
  const out = bytes.slice();
  switch (Math.floor(rand() * 4)) {
    case 0:
      out[at] ^= 1 << Math.floor(rand() * 8);
      return out;
    case 1:
      out.fill(Math.floor(rand() * 256), at, at + 1 + Math.floor(rand() * 16));
      return out;
    case 2:
      return bytes.subarray(0, at);
    default:
      return Uint8Array.from([...bytes, ...Array.from({ length: 1 + Math.floor(rand() * 9) }, () => Math.floor(rand() * 256))]);
  }
}

test("hundreds of damaged stores: a typed error or exactly the data", async () => {
  const rand = mulberry32(99);
  const counts = { ok: 0, typed: 0 };
  const CASES = 240;
  for (let c = 0; c < CASES; c++) {
    const original = originals[c % originals.length];
    const path = join(dir, `case${c}.zarr`);
    cpSync(original.path, path, { recursive: true });
    const files = filesOf(path).filter((f) => !/stream_(offsets|gains)\//.test(f));
    const metadata = files.filter((f) => /\.z(array|attrs|group)$/.test(f));
    const chunks = files.filter((f) => !metadata.includes(f));
    const target = c % 2 === 0 ? metadata[Math.floor(rand() * metadata.length)] : chunks[Math.floor(rand() * chunks.length)];
    const file = join(path, target);
    if (metadata.includes(target)) {
      const doc = readFileSync(file, "utf8");
      if (/flacarray_format_version/.test(doc) && !target.includes("stream_")) {
        // the group's own attributes: only the structural ones (flac_channels); see the note above
        const attrs = JSON.parse(doc);
        attrs.flac_channels = JUNK[Math.floor(rand() * JUNK.length)];
        writeFileSync(file, JSON.stringify(attrs));
      } else writeFileSync(file, mutateJson(doc, rand));
    } else writeFileSync(file, mutateChunk(new Uint8Array(readFileSync(file)), rand));
    const t0 = performance.now();
    const outcome = await readArray(openZarr(path)).then(
      ({ data }) => data,
      (err) => err,
    );
    expect(performance.now() - t0, `case ${c}: ${target}`).toBeLessThan(5000);
    if (outcome instanceof Error) {
      expect(isFlacArrayError(outcome), `case ${c}: ${target}: ${String(outcome).slice(0, 300)}`).toBe(true);
      counts.typed++;
    } else {
      expect(sameArray(outcome as ArrayBufferView, original.expected), `case ${c}: ${target}: different data`).toBe(true);
      counts.ok++;
    }
    rmSync(path, { recursive: true, force: true });
  }
  expect(counts.ok + counts.typed).toBe(CASES);
  expect(counts.typed).toBeGreaterThan(CASES / 3);
});
