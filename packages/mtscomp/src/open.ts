/**
 * Opening and writing recordings from anything a browser has: bytes, Blobs (user files), URLs.
 * The Node entry wraps these with files and node:zlib.
 */
import { concatBytes } from "@flacarray/core";
import { type Backend, portableBackend } from "./backend.js";
import { type ByteInput, type HttpOptions, readText, toByteSource } from "./byte-source.js";
import { type Dtype, dtypeOfArray, type SampleArray } from "./dtype.js";
import { InputError } from "./errors.js";
import { parseHeader } from "./header.js";
import { Reader, type ReaderOptions } from "./reader.js";
import { type CompressOptions, type CompressResult, checkCompressed, compressChunks, resolveOptions, type SampleSource } from "./writer.js";

/** Where a `.ch` header comes from: a URL, a Blob, its bytes, or the parsed JSON object. */
export type HeaderInput = URL | string | Blob | ArrayBuffer | ArrayBufferView | Record<string, unknown>;

/** `name` with its last extension replaced by `suffix` (Python's `Path.with_suffix`). */
export function withSuffix(name: string, suffix: string): string {
  const slash = name.lastIndexOf("/");
  const dot = name.lastIndexOf(".");
  return (dot > slash + 1 ? name.slice(0, dot) : name) + suffix;
}

/** The `.ch` beside an http(s) `.cbin` URL, or undefined for other inputs. */
function headerUrlOf(cbin: ByteInput): URL | undefined {
  if (!(cbin instanceof URL) && typeof cbin !== "string") return undefined;
  const url = new URL(String(cbin));
  url.pathname = withSuffix(url.pathname, ".ch");
  return url;
}

/** The header text or object behind `ch`, and its name for messages. */
export async function loadHeader(
  ch: HeaderInput,
  options: HttpOptions = {},
): Promise<{ json: string | Record<string, unknown>; name: string }> {
  const isPlainObject =
    !(ch instanceof URL) &&
    typeof ch === "object" &&
    !ArrayBuffer.isView(ch) &&
    !(ch instanceof ArrayBuffer) &&
    !(typeof Blob !== "undefined" && ch instanceof Blob);
  if (isPlainObject) return { json: ch as Record<string, unknown>, name: "header object" };
  const name =
    typeof ch === "string" || ch instanceof URL
      ? String(ch)
      : typeof Blob !== "undefined" && ch instanceof Blob && "name" in ch
        ? String(ch.name)
        : ".ch bytes";
  return { json: await readText(ch as Blob | URL | string | ArrayBuffer | ArrayBufferView, options), name };
}

/**
 * Opens an mtscomp recording for reading. Only the `.ch` is fetched now; `.cbin` bytes are
 * fetched chunk by chunk as `get` needs them.
 * @param cbin - the `.cbin`: bytes, a Blob, an http(s) URL (read with range requests), or any ByteSource
 * @param ch - its `.ch` (default for URLs: the same URL ending in `.ch`)
 */
export async function decompress(cbin: ByteInput, ch?: HeaderInput, options: ReaderOptions & HttpOptions = {}): Promise<Reader> {
  const headerInput = ch ?? headerUrlOf(cbin);
  if (headerInput === undefined)
    throw new InputError(describe(cbin), "the .ch header is needed to read this .cbin (pass it as the second argument)");
  const { json, name } = await loadHeader(headerInput, options);
  const source = toByteSource(cbin, undefined, options);
  return new Reader(source, parseHeader(json, name), options);
}

function describe(input: ByteInput): string {
  return typeof input === "object" && input !== null && "name" in input ? String(input.name) : "the .cbin";
}

/** A {@link SampleSource} over an array in memory with numpy `shape` (the last axis is channels). */
export function arraySource(data: SampleArray, shape: readonly number[], dtype?: Dtype): SampleSource {
  const name = "input array";
  const found = dtypeOfArray(data);
  if (found === undefined) throw new InputError(name, "expected a typed array of int8/16/32/64, uint8/16/32/64, float32 or float64");
  if (dtype !== undefined && dtype !== found) throw new InputError(name, `dtype is ${dtype} but the array holds ${found}`);
  if (shape.length < 2 || !shape.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new InputError(name, `shape must have at least 2 non-negative integer dimensions (samples, channels), found [${shape}]`);
  }
  const nChannels = shape.at(-1) as number;
  const nSamples = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (nSamples * nChannels !== data.length)
    throw new InputError(name, `shape [${shape}] holds ${nSamples * nChannels} samples but the array has ${data.length}`);
  return {
    name,
    dtype: found,
    nSamples,
    nChannels,
    shape: [...shape],
    read: async (first, count) => data.subarray(first * nChannels, (first + count) * nChannels),
  };
}

/**
 * Compresses an array in memory to `.cbin` bytes and `.ch` text, checking the result unless
 * `check: false`.
 * @param shape - numpy shape, `[samples, channels]` or N-d (compressed as `reshape(-1, channels)`, as Python does)
 */
export async function compressArray(
  data: SampleArray,
  shape: readonly number[],
  options: CompressOptions & { backend?: Backend },
): Promise<CompressResult & { cbin: Uint8Array }> {
  const backend = options.backend ?? portableBackend;
  const source = arraySource(data, shape, options.dtype);
  const parts: Uint8Array[] = [];
  const result = await compressChunks(source, options, backend, async (s) => {
    parts.push(s);
  });
  const cbin = concatBytes(parts);
  if (resolveOptions(source, options).check) {
    const reader = new Reader(toByteSource(cbin, "compressed bytes"), parseHeader(result.header, ".ch"), { backend });
    await checkCompressed(reader, source, options.workers ?? 4);
  }
  return { ...result, cbin };
}
