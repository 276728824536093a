/**
 * Where `.cbin` bytes come from: memory, a Blob (browser File), or an HTTP(S) URL read with range
 * requests, so that a 50 GB remote recording can be sampled without downloading it. Node adds
 * files (`@flacarray/mtscomp/node`).
 */
import { type HttpOptions as CoreHttpOptions, httpGet, isFlacArrayError } from "@flacarray/core";
import { SourceError } from "./errors.js";

/** Random-access bytes. */
export interface ByteSource {
  /** The file name or URL, for messages. */
  readonly name: string;
  /** Total size in bytes when known (an HTTP source learns it from its first response). */
  readonly size: number | undefined;
  /** Exactly `length` bytes from `offset`; rejects with {@link SourceError} when fewer exist. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Releases what the source holds (a file handle). */
  close(): Promise<void>;
}

/** Anything {@link toByteSource} accepts. */
export type ByteInput = ByteSource | ArrayBuffer | ArrayBufferView | Blob | URL | string;

/** Options of HTTP sources: deadline (`timeoutMs`, default 30 s), byte cap, headers and fetch of every request. */
export type HttpOptions = CoreHttpOptions;

/**
 * A {@link ByteSource} for bytes in memory, a Blob, or a URL (a `URL` or an http(s) string).
 * @param name - the name used in messages (defaults to the URL, or "memory"/"blob")
 */
export function toByteSource(input: ByteInput, name?: string, options: HttpOptions = {}): ByteSource {
  if (typeof input === "string" || input instanceof URL) {
    const url = String(input);
    if (!/^https?:\/\//i.test(url))
      throw new SourceError(url, "not an http(s) URL (in Node, import from @flacarray/mtscomp/node to read files)");
    return new HttpSource(url, options);
  }
  if (typeof Blob !== "undefined" && input instanceof Blob) return new BlobSource(input, name ?? "blob");
  if (input instanceof ArrayBuffer) return new MemorySource(new Uint8Array(input), name ?? "memory");
  if (ArrayBuffer.isView(input))
    return new MemorySource(new Uint8Array(input.buffer, input.byteOffset, input.byteLength), name ?? "memory");
  return input as ByteSource;
}

/** Throws unless `length` bytes at `offset` lie inside `size` bytes. */
function checkRange(name: string, size: number, offset: number, length: number): void {
  if (offset + length > size) throw new SourceError(name, `needed bytes ${offset}-${offset + length} but the data end at byte ${size}`);
}

class MemorySource implements ByteSource {
  constructor(
    private readonly bytes: Uint8Array,
    readonly name: string,
  ) {}
  get size(): number {
    return this.bytes.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.name, this.bytes.length, offset, length);
    return this.bytes.subarray(offset, offset + length);
  }
  async close(): Promise<void> {}
}

class BlobSource implements ByteSource {
  constructor(
    private readonly blob: Blob,
    readonly name: string,
  ) {}
  get size(): number {
    return this.blob.size;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.name, this.blob.size, offset, length);
    return new Uint8Array(await this.blob.slice(offset, offset + length).arrayBuffer());
  }
  async close(): Promise<void> {}
}

class HttpSource implements ByteSource {
  size: number | undefined;

  constructor(
    readonly name: string,
    private readonly options: HttpOptions,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    const got = await httpGet(this.name, { offset, length }, this.options).catch((err) => {
      throw isFlacArrayError(err, "ReadError") ? new SourceError(this.name, err.reason, { cause: err }) : err;
    });
    if (got === undefined) throw new SourceError(this.name, `HTTP 404 Not Found for bytes ${offset}-${offset + length - 1}`);
    this.size = got.size ?? this.size;
    return got.bytes;
  }

  async close(): Promise<void> {}
}

/** The text at `input` (a URL, Blob or bytes): how `.ch` headers are fetched. */
export async function readText(input: Blob | URL | string | ArrayBufferView | ArrayBuffer, options: HttpOptions = {}): Promise<string> {
  if (typeof input === "string" || input instanceof URL) {
    const url = String(input);
    const got = await httpGet(url, undefined, options).catch((err) => {
      throw isFlacArrayError(err, "ReadError") ? new SourceError(url, err.reason, { cause: err }) : err;
    });
    if (got === undefined) throw new SourceError(url, "HTTP 404 Not Found");
    return new TextDecoder().decode(got.bytes);
  }
  if (typeof Blob !== "undefined" && input instanceof Blob) return input.text();
  const view =
    input instanceof ArrayBuffer
      ? new Uint8Array(input)
      : new Uint8Array((input as ArrayBufferView).buffer, (input as ArrayBufferView).byteOffset, (input as ArrayBufferView).byteLength);
  return new TextDecoder().decode(view);
}
