import { cpSync, rmSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { FlacArray, isFlacArrayError } from "@flacarray/core";
import { createStore, openZarr, readArray, writeArray } from "@flacarray/zarr/node";
import { describe, expect, test } from "vitest";
import { rejection } from "../helpers/errors.js";
import { FLACARRAY_FIXTURES } from "../helpers/fixtures.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("flacarray-zarr-errors-");
let count = 0;

/** A copy of a Python-written fixture store, to break. */
function copyOf(fixture: string): string {
  const path = join(dir, `c${++count}.zarr`);
  cpSync(join(FLACARRAY_FIXTURES, fixture), path, { recursive: true });
  return path;
}

/** A store this package writes (raw chunks of 2000 bytes), to break. */
async function ours(): Promise<string> {
  const path = join(dir, `o${++count}.zarr`);
  const data = Int32Array.from({ length: 3 * 3000 }, (_, i) => Math.round(1000 * Math.sin(i / 7) + ((i * 7919) % 50)));
  await createStore(path, (root) => writeArray({ data, shape: [3, 3000] }, root, { chunkBytes: 2000 }));
  return path;
}

describe("bad stores give typed errors, never wrong data", () => {
  test("a missing .zarray", async () => {
    const path = copyOf("zarr/v1_i32_2d_l5.zarr");
    rmSync(join(path, "stream_bytes", ".zarray"));
    const err = await rejection(readArray(openZarr(path)));
    expect(isFlacArrayError(err, "NotFoundError")).toBe(true);
    expect(String(err)).toMatch(/stream_bytes: array is missing/);
  });

  test("an absent chunk of a stream table (zarr would fill it with zeros)", async () => {
    const path = copyOf("zarr/v1_f32_2d_quanta.zarr");
    rmSync(join(path, "stream_offsets", "0"));
    const err = await rejection(readArray(openZarr(path)));
    expect(isFlacArrayError(err, "NotFoundError")).toBe(true);
    expect(String(err)).toMatch(/stream_offsets\/0: chunk is missing/);
  });

  test("an absent chunk of compressed (blosc, Python's)", async () => {
    const path = copyOf("zarr/v1_npx_385x2000_l5.zarr");
    rmSync(join(path, "compressed", "1"));
    const err = await rejection(readArray(openZarr(path)));
    expect(isFlacArrayError(err, "NotFoundError")).toBe(true);
    expect(String(err)).toMatch(/compressed\/1: chunk is missing/);
    // streams that lie in chunk 0 still read
    expect((await readArray(openZarr(path), { keep: Array.from({ length: 385 }, (_, c) => c === 0) })).shape).toStrictEqual([2000]);
  });

  test("a truncated blosc chunk", async () => {
    const path = copyOf("zarr/v1_npx_385x2000_l5.zarr");
    truncateSync(join(path, "compressed", "0"), 1000);
    // blosc decodes a truncated chunk to a full-size one with wrong bytes; the FLAC frame checks (CRC, structure) catch them
    const err = await rejection(readArray(openZarr(path)));
    expect(isFlacArrayError(err, "InvalidFormatError", "InvalidStreamError"), String(err)).toBe(true);
    expect(String(err)).toContain(path);
  });

  test("a truncated raw chunk", async () => {
    const path = await ours();
    truncateSync(join(path, "compressed", "1"), 500);
    const err = await rejection(readArray(openZarr(path)));
    expect(isFlacArrayError(err, "ReadError")).toBe(true);
    expect(String(err)).toMatch(/compressed\/1: asked for bytes \[0, \d+\), got \d+ bytes/);
  });

  test("an absent raw chunk", async () => {
    const path = await ours();
    rmSync(join(path, "compressed", "2"));
    expect(isFlacArrayError(await rejection(readArray(openZarr(path))), "NotFoundError")).toBe(true);
  });

  test("not a group, no flacarray, unknown version", async () => {
    expect(isFlacArrayError(await rejection(readArray(openZarr(join(dir, "none.zarr")))), "NotFoundError")).toBe(true);
    const path = copyOf("zarr/v1_multi.zarr");
    const noFlac = await rejection(readArray(openZarr(path).resolve("a/b")));
    expect(String(noFlac)).toMatch(/\/a\/b: holds no flacarray/);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(path, "x", "y", ".zattrs"), JSON.stringify({ flacarray_format_version: "9" }));
    const version = await rejection(readArray(openZarr(path).resolve("x/y")));
    expect(isFlacArrayError(version, "FormatVersionError")).toBe(true);
    expect(String(version)).toMatch(/x\/y: unknown flacarray_format_version "9"/);
  });

  test("a keep mask of the wrong shape", async () => {
    const err = await rejection(readArray(openZarr(join(FLACARRAY_FIXTURES, "zarr/v1_i32_2d_l5.zarr")), { keep: [true] }));
    expect(isFlacArrayError(err, "InvalidSelectionError")).toBe(true);
  });

  test("createStore: a failing build leaves nothing, an existing store needs force", async () => {
    const path = join(dir, "never.zarr");
    const fa = FlacArray.fromArray(Int32Array.of(1, 2, 3));
    await expect(
      createStore(path, async (root) => {
        await writeArray(fa.toArray() as never, root);
        throw new Error("interrupted");
      }),
    ).rejects.toThrow("interrupted");
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(dir).filter((n) => n.startsWith("never"))).toStrictEqual([]);
    await createStore(path, (root) => writeArray(Int32Array.of(1, 2, 3), root));
    await expect(createStore(path, () => undefined)).rejects.toThrow(/exists \(pass force/);
  });
});
