import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
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
    await expect(createStore(path, () => undefined)).rejects.toThrow(/already exists \(use --force \/ force/);
  });
});

describe("attributes and tables are taken only as the format allows (issue 11, items 4, 5, 7, 9)", () => {
  /** A copy of Python's 3 x 6000 int32 store with `stream_starts/.zattrs` replaced. */
  function withStreamSize(value: unknown): string {
    const path = copyOf("zarr/v1_i32_2d_l5.zarr");
    writeFileSync(join(path, "stream_starts", ".zattrs"), JSON.stringify({ stream_size: value }));
    return path;
  }

  test.each([[true], [""], ["0x1770"], [[6000]], [6000.5], [{}]])("stream_size %j is an InvalidFormatError", async (value) => {
    const err = await rejection(readArray(openZarr(withStreamSize(value))));
    expect(isFlacArrayError(err, "InvalidFormatError"), String(err)).toBe(true);
    expect(String(err)).toMatch(/stream_starts: stream_size is .*, expected an integer/);
  });

  test('stream_size "6000" reads, as Python\'s int() takes it', async () => {
    const good = await readArray(openZarr(join(FLACARRAY_FIXTURES, "zarr/v1_i32_2d_l5.zarr")));
    expect((await readArray(openZarr(withStreamSize("6000")))).data).toStrictEqual(good.data);
  });

  test("a stream_size smaller than Python's streams (STREAMINFO total 0) is an error, not a truncation", async () => {
    const err = await rejection(readArray(openZarr(withStreamSize(5999))));
    expect(isFlacArrayError(err, "InvalidStreamError"), String(err)).toBe(true);
    expect(String(err)).toMatch(/stream 0, byte \d+: frame ends at sample 6000, past the stream's 5999 samples/);
  });

  test("a stream_size larger than the bytes can hold is refused before anything is allocated", async () => {
    const err = await rejection(readArray(openZarr(withStreamSize(2 ** 29))));
    expect(String(err)).toMatch(/stream_size is 536870912, more samples than the \d+ bytes of stream 0 can hold/);
  });

  test("tables that claim more streams than compressed can hold are refused before they are read", async () => {
    const path = copyOf("zarr/v1_i32_2d_l5.zarr");
    for (const name of ["stream_starts", "stream_bytes"]) {
      const meta = JSON.parse(readFileSync(join(path, name, ".zarray"), "utf8"));
      writeFileSync(join(path, name, ".zarray"), JSON.stringify({ ...meta, shape: [1e6], chunks: [1e6] }));
    }
    const err = await rejection(readArray(openZarr(path)));
    expect(String(err)).toMatch(/stream_starts: has shape \(1000000\): 1000000 streams cannot fit in the \d+ bytes of compressed/);
  });

  test("a table that claims a million one-entry chunks is refused before any is fetched", async () => {
    const path = copyOf("zarr/v1_i32_2d_l5.zarr");
    for (const name of ["stream_starts", "stream_bytes"]) {
      const meta = JSON.parse(readFileSync(join(path, name, ".zarray"), "utf8"));
      writeFileSync(join(path, name, ".zarray"), JSON.stringify({ ...meta, shape: [1e6], chunks: [1] }));
    }
    const t0 = performance.now();
    const err = await rejection(readArray(openZarr(path)));
    expect(String(err)).toMatch(/stream_starts: has shape \(1000000\) in chunks of \(1\): 1000000 chunks, more than 1040 for its size/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  test("compressed in one-byte chunks is refused before any is fetched", async () => {
    const path = await ours();
    const meta = JSON.parse(readFileSync(join(path, "compressed", ".zarray"), "utf8"));
    writeFileSync(join(path, "compressed", ".zarray"), JSON.stringify({ ...meta, chunks: [1] }));
    const err = await rejection(readArray(openZarr(path)));
    expect(isFlacArrayError(err, "InvalidFormatError"), String(err)).toBe(true);
    expect(String(err)).toMatch(/compressed: has shape \(\d+\) in chunks of \(1\): \d+ chunks, more than \d+ for its size/);
  });

  test("overlapping streams (stream_starts [0, 0, ...]) are an error, not stream 0 read twice", async () => {
    const path = await ours();
    const starts = new BigInt64Array(new Uint8Array(readFileSync(join(path, "stream_starts", "0"))).buffer);
    starts[1] = 0n;
    writeFileSync(join(path, "stream_starts", "0"), new Uint8Array(starts.buffer));
    const err = await rejection(readArray(openZarr(path)));
    expect(String(err)).toMatch(/streams 0 and 1 overlap/);
  });

  test("malformed .zarray JSON is an InvalidFormatError, not a missing array", async () => {
    const path = copyOf("zarr/v1_i32_2d_l5.zarr");
    writeFileSync(join(path, "stream_bytes", ".zarray"), "{ not json");
    const err = await rejection(readArray(openZarr(path)));
    expect(isFlacArrayError(err, "InvalidFormatError"), String(err)).toBe(true);
    expect(String(err)).toMatch(/stream_bytes/);
  });
});
