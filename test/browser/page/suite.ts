// The code the browser suite runs in Chromium. Each function imports the package it exercises
// on demand, as an application would, so a test that reads Zarr loads no HDF5 and no blosc.
// Results leave the page packed (./transfer.ts) and are compared in Node.
import type { NdArray } from "@flacarray/core";
import { randomArrays } from "../../helpers/random-arrays.js";
import { type Outcome, outcome, type Packed, pack } from "./transfer.js";

/** A decoded array as it leaves the page. */
export interface PackedArray {
  shape: number[];
  data: Packed;
}

type Window = { keep?: boolean[] | null; streamSlice?: [number, number] | null };

const QUANTA: Record<string, number | undefined> = { float32: 1e-3, float64: 1e-7 };

/** Compresses the arrays of `randomArrays(seed)` and decompresses them again, with the core package. */
export function coreRoundTrips(seed: number): Promise<Outcome<Record<string, { compressed: Packed; decoded: PackedArray }>>> {
  return outcome(async () => {
    const { FlacArray } = await import("@flacarray/core");
    const out: Record<string, { compressed: Packed; decoded: PackedArray }> = {};
    for (const [dtype, arr] of Object.entries(randomArrays(seed)) as [string, NdArray][]) {
      const fa = FlacArray.fromArray(arr, { level: 5, quanta: QUANTA[dtype] });
      const { data, shape } = fa.toArray();
      out[dtype] = { compressed: pack(fa.compressed), decoded: { shape, data: pack(data) } };
    }
    return out;
  });
}

/** Fetches a raw FLAC stream and decodes it. */
export function decodeFlacUrl(url: string, kernel: "wasm" | "typescript"): Promise<Outcome<{ kernel: string; samples: Packed }>> {
  return outcome(async () => {
    const { decodeFlac, FlacDecoder } = await import("@flacarray/core");
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    return { kernel: new FlacDecoder({ kernel }).kernel, samples: pack(decodeFlac(bytes, undefined, { kernel }).samples) };
  });
}

/** Reads a flacarray Zarr group over HTTP with range requests. */
export function readZarr(url: string, window: Window = {}): Promise<Outcome<PackedArray>> {
  return outcome(async () => {
    const { readArray } = await import("@flacarray/zarr");
    const { data, shape } = await readArray(url, { keep: window.keep ?? undefined, streamSlice: window.streamSlice ?? undefined });
    return { shape, data: pack(data) };
  });
}

/**
 * Writes the int32 array of `randomArrays(seed)` into an in-memory Zarr store, reads it back,
 * then damages one byte of the compressed data and reads again.
 */
export function zarrInMemory(
  seed: number,
): Promise<Outcome<{ store: Record<string, Packed>; readBack: PackedArray; damaged: Outcome<unknown> }>> {
  return outcome(async () => {
    const zarr = await import("zarrita");
    const { readArray, writeArray } = await import("@flacarray/zarr");
    const store = new Map<string, Uint8Array>();
    await writeArray(randomArrays(seed).int32, zarr.root(store), { level: 5 });
    const { data, shape } = await readArray(zarr.root(store));
    const keys = [...store.keys()].sort();
    const written = Object.fromEntries(keys.map((k) => [k, pack(store.get(k) as Uint8Array)]));
    const chunk = keys.find((k) => k.startsWith("/compressed/") && !k.endsWith("json") && !k.includes("/."));
    if (!chunk) throw new Error(`no chunk of compressed among ${keys.join(", ")}`);
    (store.get(chunk) as Uint8Array)[200] ^= 0x10;
    const damaged = await outcome(() => readArray(zarr.root(store)));
    return { store: written, readBack: { shape, data: pack(data) }, damaged };
  });
}

/** Reads `[rows, cols]` of a remote mtscomp `.cbin` (its `.ch` beside it) with range requests. */
export function readMtscomp(url: string, rows?: [number, number], cols?: [number, number]): Promise<Outcome<PackedArray>> {
  return outcome(async () => {
    const { decompress } = await import("@flacarray/mtscomp");
    const reader = await decompress(url);
    const { data, shape } = await reader.get(rows, cols);
    return { shape: [...shape], data: pack(data) };
  });
}

/** Downloads an HDF5 file as a Blob, as a user's file arrives, and reads a flacarray group from it. */
export function readHdf5Blob(url: string, group: string, window: Window = {}): Promise<Outcome<PackedArray>> {
  return outcome(async () => {
    const { openBuffer, openGroup, readArray } = await import("@flacarray/hdf5");
    const blob = await (await fetch(url)).blob();
    const file = await openBuffer(blob);
    try {
      const { data, shape } = readArray(openGroup(file, group), {
        keep: window.keep ?? undefined,
        streamSlice: window.streamSlice ?? undefined,
      });
      return { shape, data: pack(data) };
    } finally {
      file.close();
    }
  });
}

/** Writes the arrays of `randomArrays(seed)` into groups of a new HDF5 file in memory and returns its bytes. */
export function writeHdf5(seed: number): Promise<Outcome<Packed>> {
  return outcome(async () => {
    const { closeToBytes, openBuffer, writeArray } = await import("@flacarray/hdf5");
    const file = await openBuffer(null, "w");
    for (const [dtype, arr] of Object.entries(randomArrays(seed)) as [string, NdArray][]) {
      writeArray(arr, file.create_group(dtype), { level: 5, quanta: QUANTA[dtype] });
    }
    return pack(closeToBytes(file));
  });
}

/** Opens bytes that are not HDF5 as HDF5. */
export function openNotHdf5(): Promise<Outcome<unknown>> {
  return outcome(async () => {
    const { openBuffer } = await import("@flacarray/hdf5");
    return openBuffer(new TextEncoder().encode("this is not an HDF5 file, only text pretending to be one"));
  });
}

/**
 * Compresses and decompresses every dtype of `randomArrays(seed)` on `workers` Web Workers
 * (FlacArray.fromArrayAsync and toArrayAsync), and says whether the result shared memory.
 */
export function workerRoundTrips(
  seed: number,
  workers: number,
): Promise<Outcome<{ isolated: boolean; arrays: Record<string, { compressed: Packed; decoded: PackedArray; shared: boolean }> }>> {
  return outcome(async () => {
    const { FlacArray } = await import("@flacarray/core");
    const arrays: Record<string, { compressed: Packed; decoded: PackedArray; shared: boolean }> = {};
    for (const [dtype, arr] of Object.entries(randomArrays(seed)) as [string, NdArray][]) {
      const fa = await FlacArray.fromArrayAsync(arr, { level: 5, quanta: QUANTA[dtype], workers });
      const { data, shape } = await fa.toArrayAsync({ workers, streamSlice: [10, null] });
      arrays[dtype] = {
        compressed: pack(fa.compressed),
        decoded: { shape, data: pack(data) },
        shared: typeof SharedArrayBuffer !== "undefined" && data.buffer instanceof SharedArrayBuffer,
      };
    }
    return { isolated: globalThis.crossOriginIsolated === true, arrays };
  });
}

/** Reads a Zarr group over HTTP with the decoding on `workers` Web Workers. */
export function readZarrOnWorkers(url: string, workers: number): Promise<Outcome<PackedArray>> {
  return outcome(async () => {
    const { readArray } = await import("@flacarray/zarr");
    const { data, shape } = await readArray(url, { workers });
    return { shape, data: pack(data) };
  });
}

/**
 * Opens a recording with @flacarray/recording (a URL, or with `asBlob` the URL's bytes as a
 * Blob, as a user's file arrives) and reads a window of it.
 */
export function readRecording(
  url: string,
  window: { start: number; stop: number; channels: number[] },
  options: { asBlob?: boolean; group?: string; workers?: number } = {},
): Promise<Outcome<PackedArray & { format: string; nSamples: number; nChannels: number }>> {
  return outcome(async () => {
    const { openRecording } = await import("@flacarray/recording");
    const source = options.asBlob ? await (await fetch(url)).blob() : url;
    const rec = await openRecording(source, { group: options.group, workers: options.workers });
    try {
      const { data, shape } = await rec.read(window);
      return { shape, data: pack(data), format: rec.format, nSamples: rec.nSamples, nChannels: rec.nChannels };
    } finally {
      await rec.close();
    }
  });
}

/** Fetches one numcodecs chunk and decodes it with `getCodec(config)`. */
export function decodeNumcodecsChunk(url: string, config: Record<string, unknown>): Promise<Outcome<Packed>> {
  return outcome(async () => {
    const { getCodec } = await import("@flacarray/numcodecs");
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    return pack(getCodec(config).decode(bytes));
  });
}

/** Opens a SpikeInterface Zarr recording by URL and reads windows `[start, stop, channels]` of it. */
export function readSpikeInterface(
  url: string,
  segment: number,
  windows: [number, number, number[] | null][],
): Promise<Outcome<{ format: string; shape: [number, number]; windows: Packed[] }>> {
  return outcome(async () => {
    const { openRecording } = await import("@flacarray/recording");
    const rec = await openRecording(url, { segment });
    const out: Packed[] = [];
    for (const [start, stop, channels] of windows) out.push(pack((await rec.read({ start, stop, channels: channels ?? undefined })).data));
    return { format: rec.format, shape: [rec.nSamples, rec.nChannels], windows: out };
  });
}
