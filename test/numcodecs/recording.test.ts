/**
 * @flacarray/recording opens SpikeInterface Zarr recordings (WavPack and FLAC numcodecs chunks):
 * every partial read of the MANIFEST through openRecording, from a path and over HTTP, with
 * segments, channel ids, gains, offsets and t_starts; a window fetches only its chunks; damage
 * is a typed error.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidFormatError, InvalidSelectionError, NotFoundError } from "@flacarray/core";
import { InvalidChunkError } from "@flacarray/numcodecs";
import { openRecording } from "@flacarray/recording/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rejection } from "../helpers/errors.js";
import { type StaticServer, serveDirectory } from "../helpers/http-server.js";
import { firstDifference, NUMCODECS_FIXTURES, NUMCODECS_MANIFEST, numcodecsNpy } from "../helpers/numcodecs-fixtures.js";
import { tempDir } from "../helpers/temp.js";

let server: StaticServer;
beforeAll(async () => {
  server = await serveDirectory(NUMCODECS_FIXTURES);
});
afterAll(() => server.close());

const cases = NUMCODECS_MANIFEST.stores.flatMap((store) =>
  store.arrays.map((array, segment) => [`${store.id} segment ${segment}`, store, array, segment] as const),
);

describe.each(cases)("%s", (_id, store, array, segment) => {
  test.each(["path", "URL"])("every partial read through openRecording (%s)", async (how) => {
    const source = how === "path" ? join(NUMCODECS_FIXTURES, store.store) : `${server.url}/${store.store}`;
    const rec = await openRecording(source, { segment });
    expect(rec.format).toBe("spikeinterface-zarr");
    expect([rec.nSamples, rec.nChannels, rec.sampleRate]).toStrictEqual([...array.shape, store.root_attrs.sampling_frequency]);
    const ids = store.extra_arrays.channel_ids?.values;
    if (ids) expect(rec.channelNames).toStrictEqual(ids.map(String));
    for (const read of array.partial_reads) {
      const channels = read.channel_indices ?? { start: 0, stop: array.shape[1] };
      const { data, shape } = await rec.read({ start: read.start_frame, stop: read.end_frame, channels });
      expect(shape).toStrictEqual(read.expected_shape);
      expect(firstDifference(data, numcodecsNpy(read.expected).data as ArrayLike<number>)).toBe(-1);
    }
    await rec.close();
  });
});

/** An uncompressed float64 array of a store, read from its single chunk file. */
function rawFloats(store: string, name: string): number[] | undefined {
  const file = join(NUMCODECS_FIXTURES, store, name, "0");
  if (!existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  return Array.from(new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8));
}

describe("SpikeInterface attributes", () => {
  test.each(NUMCODECS_MANIFEST.stores.map((s) => [s.id, s] as const))("%s: gain_to_uV, offset_to_uV and t_starts", async (_id, store) => {
    const gains = rawFloats(store.store, "properties/gain_to_uV");
    const offsets = rawFloats(store.store, "properties/offset_to_uV");
    const tStarts = rawFloats(store.store, "t_starts");
    for (let segment = 0; segment < store.arrays.length; segment++) {
      const rec = await openRecording(join(NUMCODECS_FIXTURES, store.store), { segment });
      expect(rec.bitVolts).toStrictEqual(gains);
      expect(rec.offsetMicrovolts).toStrictEqual(offsets);
      const t = tStarts?.[segment];
      expect(rec.startTime).toBe(t === undefined || Number.isNaN(t) ? undefined : t);
    }
  });

  test("the fixtures do carry gains and start times", () => {
    expect(rawFloats("zarr/npx384_wv2_0.1s.zarr", "properties/gain_to_uV")).toHaveLength(384);
    expect(rawFloats("zarr/odd7_wv3_0.1s_2seg.zarr", "t_starts")).toStrictEqual([10, 25.5]);
  });
});

describe("reading only what is needed", () => {
  test("a window of a few channels of a channel-chunked store fetches only the chunks that hold them", async () => {
    const rec = await openRecording(`${server.url}/zarr/npx384_wv1_1s_c64.zarr`);
    server.log.length = 0;
    await rec.read({ start: 100, stop: 200, channels: [3, 70] });
    const chunks = server.log.filter((r) => /traces_seg0\/\d+\.\d+$/.test(r.path)).map((r) => r.path.split("/").pop());
    expect(chunks.sort()).toStrictEqual(["0.0", "0.1"]);
    await rec.close();
  });
});

describe("bad input is a typed error", () => {
  const dir = tempDir("si-bad");
  const copy = (id: string) => {
    const target = join(dir, `${id}-${Math.random().toString(36).slice(2)}.zarr`);
    cpSync(join(NUMCODECS_FIXTURES, "zarr", `${id}.zarr`), target, { recursive: true });
    return target;
  };

  test("a segment the recording does not have", async () => {
    await expect(openRecording(join(NUMCODECS_FIXTURES, "zarr/odd7_wv3_0.1s_2seg.zarr"), { segment: 2 })).rejects.toThrow(
      InvalidSelectionError,
    );
  });

  test("a damaged WavPack chunk fails the read that needs it, naming the block", async () => {
    const path = copy("med_wv3_0.1s");
    const chunk = join(path, "traces_seg0", "1.0");
    const bytes = readFileSync(chunk);
    bytes[bytes.length >> 1] ^= 0x55;
    writeFileSync(chunk, bytes);
    const rec = await openRecording(path);
    await expect(rec.read({ start: 3000, stop: 3001 })).rejects.toThrow(InvalidChunkError);
    await expect(rec.read({ start: 0, stop: 10 })).resolves.toBeDefined();
  });

  test("a damaged FLAC chunk fails the read that needs it", async () => {
    const path = copy("med_flac1_1s");
    const chunk = join(path, "traces_seg0", "0.0");
    const bytes = readFileSync(chunk);
    bytes[bytes.length >> 1] ^= 0x55;
    writeFileSync(chunk, bytes);
    const rec = await openRecording(path);
    await expect(rec.read({ start: 0, stop: 10 })).rejects.toThrow(/stream|chunk|frame/);
  });

  test("a missing chunk is a NotFoundError, not zeros", async () => {
    const path = copy("med_wv3_0.1s");
    rmSync(join(path, "traces_seg0", "0.0"));
    const rec = await openRecording(path);
    await expect(rec.read({ start: 0, stop: 10 })).rejects.toThrow(NotFoundError);
  });

  test("absurd sizes in the metadata are refused before anything is fetched or allocated", async () => {
    const chunks = copy("odd7_wv3_0.1s_2seg");
    const zarray = join(chunks, "traces_seg0", ".zarray");
    writeFileSync(zarray, readFileSync(zarray, "utf8").replace(/"chunks": \[\s*3000,/, '"chunks": [ 1000000000000,'));
    await expect(openRecording(chunks)).rejects.toThrow(/chunks of 7000000000000 values/);
    const ids = copy("odd7_wv3_0.1s_2seg");
    const idsMeta = join(ids, "channel_ids", ".zarray");
    writeFileSync(idsMeta, readFileSync(idsMeta, "utf8").replace(/"shape": \[\s*7\s*\]/, '"shape": [ 1000000000 ]'));
    await expect(openRecording(ids)).rejects.toThrow(/channel_ids: has shape \[1000000000\], expected \[7\]/);
  });

  test("a server that stalls on a chunk: a ReadError naming the URL within the deadline", async () => {
    const rec = await openRecording(`${server.url}/zarr/med_wv3_0.1s.zarr`, { timeoutMs: 500 });
    server.quirks.misbehave = { on: "traces_seg0/1.0", how: "stall" };
    try {
      const started = performance.now();
      await expect(rec.read({ start: 3000, stop: 3010 })).rejects.toThrow(/traces_seg0\/1\.0/);
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      server.quirks.misbehave = undefined;
    }
  });

  test("a chunk of another array's size is refused", async () => {
    const path = copy("med_wv3_0.1s");
    cpSync(join(NUMCODECS_FIXTURES, "zarr/mono_wv2_0.1s.zarr/traces_seg0/0.0"), join(path, "traces_seg0", "0.0"));
    const rec = await openRecording(path);
    await expect(rec.read({ start: 0, stop: 10 })).rejects.toThrow(InvalidChunkError);
  });
});

describe("consolidated metadata (.zmetadata, as SpikeInterface saves stores)", () => {
  test("the same recording opens with fewer requests: the arrays' metadata come from .zmetadata", async () => {
    const own = await serveDirectory(join(import.meta.dirname, ".."));
    try {
      const opened = async (path: string) => {
        own.log.length = 0;
        const rec = await openRecording(`${own.url}/${path}`);
        const paths = own.log.map((r) => r.path);
        const window = await rec.read({ start: 1000, stop: 3000, channels: [3, 0] });
        return { rec, paths, window };
      };
      const plain = await opened("fixtures/numcodecs/zarr/locust_wv2_1s.zarr");
      const consolidated = await opened("fixtures/consolidated/locust_wv2_1s.zarr");
      expect(consolidated.window).toStrictEqual(plain.window);
      expect([
        consolidated.rec.nSamples,
        consolidated.rec.nChannels,
        consolidated.rec.sampleRate,
        consolidated.rec.channelNames,
      ]).toStrictEqual([plain.rec.nSamples, plain.rec.nChannels, plain.rec.sampleRate, plain.rec.channelNames]);
      expect(consolidated.paths).toContain("/fixtures/consolidated/locust_wv2_1s.zarr/.zmetadata");
      expect(consolidated.paths.filter((p) => p.endsWith("/traces_seg0/.zarray"))).toStrictEqual([]);
      // .zgroup and .zattrs (twice: as a flacarray group, then as SpikeInterface's), .zmetadata, and the values of channel_ids and t_starts
      expect(consolidated.paths.length).toBe(7);
      expect(plain.paths.length).toBeGreaterThan(15);
    } finally {
      await own.close();
    }
  });
});

test("a .zmetadata that is not consolidated metadata is an InvalidFormatError naming it", async () => {
  const dir = tempDir("flacarray-bad-zmetadata-");
  const store = join(dir, "bad.zarr");
  cpSync(join(import.meta.dirname, "..", "fixtures", "consolidated", "locust_wv2_1s.zarr"), store, { recursive: true });
  for (const text of ['{"metadata": []}', '{"zarr_consolidated_format": 1, "metadata": {"traces_seg0/.zarray": 5}}']) {
    writeFileSync(join(store, ".zmetadata"), text);
    const err = await rejection(openRecording(store));
    expect(err, text).toBeInstanceOf(InvalidFormatError);
    expect((err as Error).message).toMatch(/bad\.zarr\/\.zmetadata/);
  }
  rmSync(dir, { recursive: true, force: true });
});
