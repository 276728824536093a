import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Dtype, decompress, IndexError, itemsize, portableBackend } from "@flacarray/mtscomp/node";
import { describe, expect, onTestFinished, test } from "vitest";
import { rejection } from "../helpers/errors.js";
import { MTSCOMP_MANIFEST, mtscompFixture, toAxisIndex } from "../helpers/mtscomp-fixtures.js";
import { readNpy } from "../helpers/npy.js";
import { tempDir } from "../helpers/temp.js";

/** The values of any typed array, for deep equality. */
const list = (a: ArrayLike<number | bigint>) => Array.from(a);

const fixtures = MTSCOMP_MANIFEST.fixtures;
const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("reading every Python-written fixture", () => {
  test.each(fixtures.map((f) => [f.name, f] as const))("%s: all samples equal Python's decoded data", async (_, f) => {
    const reader = await decompress(mtscompFixture(f.cbin), mtscompFixture(f.ch));
    expect(reader.shape).toEqual([f.n_samples, f.n_channels]);
    expect(reader.dtype).toBe(f.dtype);
    expect(reader.sampleRate).toBe(f.sample_rate);
    const { data, shape } = await reader.get();
    expect(shape).toEqual([f.n_samples, f.n_channels]);
    expect(bytes(data).equals(readFileSync(mtscompFixture(f.decoded)))).toBe(true);
    if (f.lossless) expect(bytes(data).equals(readFileSync(mtscompFixture(f.raw)))).toBe(true);
    await reader.close();
  });

  test.each(fixtures.map((f) => [f.name, f] as const))("%s: pure-JS backend from bytes (the browser path) gives the same", async (_, f) => {
    const reader = await decompress(readFileSync(mtscompFixture(f.cbin)), readFileSync(mtscompFixture(f.ch)), { backend: portableBackend });
    const { data } = await reader.get();
    expect(bytes(data).equals(readFileSync(mtscompFixture(f.decoded)))).toBe(true);
  });

  test("the pre-chunk_order legacy file (rejected by Python 1.0.2) reads as C-ordered", async () => {
    const f = fixtures.find((x) => x.name === "legacy_pre_chunk_order");
    expect(f?.python_reader_ok).toBe(false);
    const reader = await decompress(mtscompFixture(f?.cbin as string));
    onTestFinished(() => reader.close());
    expect(reader.header.chunkOrder).toBe("C");
    expect(bytes((await reader.get()).data).equals(readFileSync(mtscompFixture(f?.raw as string)))).toBe(true);
  });

  test("chopped and streamed files: n_samples from chunk_bounds, not the stale shape", async () => {
    for (const name of ["chopped_mtschop", "ibl_stream_partial"]) {
      const f = fixtures.find((x) => x.name === name);
      const reader = await decompress(mtscompFixture(f?.cbin as string));
      onTestFinished(() => reader.close());
      onTestFinished(() => reader.close());
      expect((reader.header.json.shape as number[])[0]).toBeGreaterThan(reader.nSamples);
      expect(reader.nSamples).toBe(f?.n_samples);
    }
  });
});

describe("random access equals Python's r[index]", () => {
  const cases = fixtures.flatMap((f) => f.random_access.map((c) => [`${f.name} ${c.python}`, f, c] as const));
  test.each(cases)("%s", async (_, f, c) => {
    const reader = await decompress(mtscompFixture(f.cbin), mtscompFixture(f.ch), { cacheSize: 2 });
    onTestFinished(() => reader.close());
    if (c.index.length > 2) {
      // Python returns an empty array for three indices; our get takes two axes, so there is no such call
      expect(c.quirk).toBeDefined();
      return;
    }
    const [rows, cols] = [toAxisIndex(c.index[0]), toAxisIndex(c.index[1])];
    if (c.numpy_result === "IndexError") {
      expect(await rejection(reader.get(rows, cols))).toBeInstanceOf(IndexError);
      return;
    }
    const result = await reader.get(rows, cols);
    if (c.numpy_equivalent) {
      const expected = readNpy(mtscompFixture(c.expected));
      expect(result.shape).toEqual(c.shape);
      expect(bytes(result.data).equals(bytes(expected.data))).toBe(true);
    } else {
      // negative step: numpy reverses where mtscomp returns nothing
      expect(c.id).toBe("quirk_negative_step");
      const all = await reader.get();
      const n = reader.nSamples;
      expect(result.shape).toEqual([n, reader.nChannels]);
      for (const row of [0, n - 1, Math.floor(n / 2)]) {
        expect(list(result.data.subarray(row * reader.nChannels, (row + 1) * reader.nChannels))).toEqual(
          list(all.data.subarray((n - 1 - row) * reader.nChannels, (n - row) * reader.nChannels)),
        );
      }
    }
  });
});

describe("selections beyond the fixtures' cases", () => {
  const f = fixtures.find((x) => x.name === "np1_ap_385ch_int16") as (typeof fixtures)[number];
  const raw = new Int16Array(new Uint8Array(readFileSync(mtscompFixture(f.raw))).buffer);
  const nc = f.n_channels;

  test("a strided slice on both axes, and a negative step over chunk boundaries", async () => {
    const reader = await decompress(mtscompFixture(f.cbin));
    onTestFinished(() => reader.close());
    for (const [rows, cols] of [
      [
        [100, 9000, 997],
        [3, 300, 17],
      ],
      [
        [9300, 10, -450],
        [null, null, -1],
      ],
      [[-5, null, null], { list: [384, 0, 17, 17] }],
    ] as const) {
      const { data, shape } = await reader.get(rows as never, cols as never);
      const r = rows as readonly (number | null)[];
      const rowIdx: number[] = [];
      const [s0, s1, st] = [r[0], r[1], r[2] ?? 1];
      const start = s0 === null ? (st > 0 ? 0 : f.n_samples - 1) : s0 < 0 ? s0 + f.n_samples : s0;
      const stop = s1 === null ? (st > 0 ? f.n_samples : -1) : s1;
      for (let i = start; st > 0 ? i < stop : i > stop; i += st) rowIdx.push(i);
      const colIdx =
        "list" in cols
          ? [...cols.list]
          : (() => {
              const c = cols as readonly (number | null)[];
              const out: number[] = [];
              const cs = c[2] ?? 1;
              const c0 = c[0] ?? (cs > 0 ? 0 : nc - 1);
              const c1 = c[1] ?? (cs > 0 ? nc : -1);
              for (let i = c0; cs > 0 ? i < c1 : i > c1; i += cs) out.push(i);
              return out;
            })();
      expect(shape).toEqual([rowIdx.length, colIdx.length]);
      const expected = rowIdx.flatMap((t) => colIdx.map((c) => raw[t * nc + c]));
      expect(list(data)).toEqual(expected);
    }
  });

  test("results are fresh copies: modifying one does not change later reads", async () => {
    const reader = await decompress(mtscompFixture(f.cbin));
    onTestFinished(() => reader.close());
    const first = await reader.get([0, 10]);
    (first.data as Int16Array).fill(12345);
    const again = await reader.get([0, 10]);
    expect(list(again.data)).toEqual(list(raw.subarray(0, 10 * nc)));
  });

  test("bad indices are IndexErrors", async () => {
    const reader = await decompress(mtscompFixture(f.cbin));
    onTestFinished(() => reader.close());
    for (const [rows, cols] of [
      [f.n_samples, undefined],
      [0, nc],
      [0, -nc - 1],
      [[0, 10, 0], undefined],
      [1.5, undefined],
      [{ list: [1, 2] }, undefined],
      [0, { list: [0, 385] }],
    ]) {
      expect(await rejection(reader.get(rows as never, cols as never))).toBeInstanceOf(IndexError);
    }
    // NaN and infinities are named as such, not as JSON's "null"
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(String(await rejection(reader.get(bad)))).toMatch(new RegExp(`must be an integer, found ${bad}`));
      expect(String(await rejection(reader.get([0, bad])))).toMatch(new RegExp(`must be an integer, found ${bad}`));
    }
  });
});

describe("toFile", () => {
  const dir = tempDir("mtscomp-tofile-");
  test.each(fixtures.filter((f) => f.lossless).map((f) => [f.name, f] as const))(
    "%s: the .bin written equals the source, hash-checked",
    async (_, f) => {
      const reader = await decompress(mtscompFixture(f.cbin), mtscompFixture(f.ch));
      onTestFinished(() => reader.close());
      const out = join(dir, `${f.name}.bin`);
      const { bytes: n } = await reader.toFile(out, { concurrency: 3 });
      expect(n).toBe(f.n_samples * f.n_channels * itemsize(f.dtype as Dtype));
      expect(readFileSync(out).equals(readFileSync(mtscompFixture(f.raw)))).toBe(true);
    },
  );
});
