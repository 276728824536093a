import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CheckFailedError,
  compress,
  compressArray,
  type Dtype,
  decompress,
  pythonFloatRepr,
  type SampleArray,
} from "@flacarray/mtscomp/node";
import { describe, expect, test } from "vitest";
import { rejection } from "../helpers/errors.js";
import { MTSCOMP_MANIFEST, type MtscompFixture, mtscompFixture } from "../helpers/mtscomp-fixtures.js";
import { readNpy } from "../helpers/npy.js";
import { tempDir } from "../helpers/temp.js";

/** The values of any typed array, for deep equality. */
const list = (a: ArrayLike<number | bigint>) => Array.from(a);

const dir = tempDir("mtscomp-write-");
const written = MTSCOMP_MANIFEST.fixtures.filter((f) => f.producer === "mtscomp.compress" && f.options.check_after_compress);

/** The .ch text with the zlib-dependent values (chunk offsets, SHA-1 of the .cbin) blanked out. */
const withoutZlibBytes = (text: string) =>
  text
    .replace(/"chunk_offsets": \[[^\]]*\]/, '"chunk_offsets": [...]')
    .replace(/"sha1_compressed": "[0-9a-f]{40}"/, '"sha1_compressed": "..."');

const optionsOf = (f: MtscompFixture) => ({
  sampleRate: f.sample_rate,
  nChannels: f.n_channels,
  dtype: f.dtype as Dtype,
  chunkDuration: f.chunk_duration,
  doTimeDiff: f.options.do_time_diff,
  doSpatialDiff: f.options.do_spatial_diff,
  chunkOrder: f.options.chunk_order,
  compLevel: f.options.comp_level,
});

describe("files we write match Python's for the same input", () => {
  test.each(written.map((f) => [f.name, f] as const))("%s", async (_, f) => {
    const cbin = join(dir, `${f.name}.cbin`);
    const ch = join(dir, `${f.name}.ch`);
    const input = f.npy_source
      ? { data: readNpy(mtscompFixture(f.npy_source)).data as SampleArray, shape: readNpy(mtscompFixture(f.npy_source)).shape }
      : mtscompFixture(f.raw);
    const result = await compress(input, cbin, ch, { ...optionsOf(f), workers: 3 });
    const ours = readFileSync(ch, "utf8");
    const python = readFileSync(mtscompFixture(f.ch), "utf8");
    // same keys, values and formatting; only the zlib bytes may differ
    expect(withoutZlibBytes(ours)).toBe(withoutZlibBytes(python));
    expect(JSON.parse(ours).chunk_offsets.at(-1)).toBe(readFileSync(cbin).length);
    expect(result.compressedBytes).toBe(readFileSync(cbin).length);
    // and the .cbin decodes to the source (what Python reads back: its reader is the same algorithm)
    const reader = await decompress(cbin);
    const { data } = await reader.get();
    await reader.close();
    expect(Buffer.from(data.buffer, data.byteOffset, data.byteLength).equals(readFileSync(mtscompFixture(f.decoded)))).toBe(true);
  });
});

describe("writing", () => {
  const np1 = MTSCOMP_MANIFEST.fixtures.find((f) => f.name === "np1_ap_385ch_int16") as MtscompFixture;

  test("the output does not depend on the number of workers", async () => {
    const outputs = [];
    for (const workers of [1, 2, 5]) {
      const cbin = join(dir, `workers-${workers}.cbin`);
      await compress(mtscompFixture(np1.raw), cbin, undefined, { ...optionsOf(np1), workers });
      outputs.push(readFileSync(cbin));
    }
    expect(outputs[1]?.equals(outputs[0] as Buffer)).toBe(true);
    expect(outputs[2]?.equals(outputs[0] as Buffer)).toBe(true);
  });

  test("compressArray (pure JS, the browser path) writes the same header as Python", async () => {
    const raw = new Uint8Array(readFileSync(mtscompFixture(np1.raw)));
    const data = new Int16Array(raw.buffer);
    const { cbin, header } = await compressArray(data, [np1.n_samples, np1.n_channels], optionsOf(np1));
    expect(withoutZlibBytes(header)).toBe(withoutZlibBytes(readFileSync(mtscompFixture(np1.ch), "utf8")));
    const reader = await decompress(cbin, JSON.parse(header));
    expect(Buffer.from((await reader.get()).data.buffer).equals(Buffer.from(raw))).toBe(true);
  });

  test("lossy float32: the check fails and no file is left; without the check Python's decoded values come back", async () => {
    const f = MTSCOMP_MANIFEST.fixtures.find((x) => x.name === "float32_lossy_nocheck") as MtscompFixture;
    const cbin = join(dir, "lossy.cbin");
    const err = await rejection(compress(mtscompFixture(f.raw), cbin, undefined, optionsOf(f)));
    expect(err).toBeInstanceOf(CheckFailedError);
    expect(readdirSync(dir).filter((n) => n.startsWith("lossy"))).toEqual([]);
    await compress(mtscompFixture(f.raw), cbin, undefined, { ...optionsOf(f), check: false });
    const reader = await decompress(cbin);
    const { data } = await reader.get();
    await reader.close();
    expect(Buffer.from(data.buffer).equals(readFileSync(mtscompFixture(f.decoded)))).toBe(true);
  });

  test("the check compares with the source: a source changed while compressing fails it (Python's test_check_fail)", async () => {
    const data = new Int16Array(new Uint8Array(readFileSync(mtscompFixture(np1.raw))).buffer);
    const cbin = join(dir, "changed.cbin");
    const err = await rejection(
      compress({ data, shape: [np1.n_samples, np1.n_channels] }, cbin, undefined, {
        ...optionsOf(np1),
        onProgress: (done, total) => {
          if (done === total) data[5000 * np1.n_channels + 7] += 1;
        },
      }),
    );
    expect(err).toBeInstanceOf(CheckFailedError);
    expect((err as CheckFailedError).chunk).toBe(1);
    expect((err as Error).message).toMatch(/sample 5000, channel 7/);
    expect(existsSync(cbin) || existsSync(join(dir, "changed.ch"))).toBe(false);
  });

  test("64-bit integers round-trip exactly with wrap-around diffs, in both orders and both diffs", async () => {
    for (const dtype of ["int64", "uint64"] as const) {
      const n = 3000;
      const data = dtype === "int64" ? new BigInt64Array(n * 3) : new BigUint64Array(n * 3);
      for (let i = 0; i < data.length; i++) {
        const v = BigInt(i * 7919) * 1234567891011n * (i % 2 ? -1n : 1n) + (i % 5 === 0 ? 2n ** 62n : 0n);
        data[i] = dtype === "int64" ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v);
      }
      for (const [chunkOrder, doSpatialDiff] of [
        ["F", false],
        ["C", true],
        ["F", true],
      ] as const) {
        const { cbin, header } = await compressArray(data, [n, 3], { sampleRate: 1000, chunkDuration: 0.7, chunkOrder, doSpatialDiff });
        const reader = await decompress(cbin, JSON.parse(header));
        expect(list((await reader.get()).data)).toEqual(list(data));
        expect((await reader.get(-1, 2)).data[0]).toBe(data.at(-1));
      }
    }
  });

  test("Python float repr in the header", () => {
    expect([30000, 30000.155, 1e-5, 1e16, 2500.5, 0.0001, 123456789012345.6].map(pythonFloatRepr)).toEqual([
      "30000.0",
      "30000.155",
      "1e-05",
      "1e+16",
      "2500.5",
      "0.0001",
      "123456789012345.6",
    ]);
  });
});
