/**
 * Where `.cbin` bytes come from: memory, a Blob (browser File), or an HTTP(S) URL read with range
 * requests, so that a 50 GB remote recording can be sampled without downloading it. Node adds
 * files (`@flacarray/mtscomp/node`).
 */
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

/** Options of HTTP sources. */
export interface HttpOptions {
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
  /** Extra request headers (authorisation). */
  headers?: Record<string, string>;
}

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
  /** The whole file, once a server answered a range request with all of it (status 200). */
  private whole: Uint8Array | undefined;

  constructor(
    readonly name: string,
    private readonly options: HttpOptions,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (this.whole) {
      checkRange(this.name, this.whole.length, offset, length);
      return this.whole.subarray(offset, offset + length);
    }
    const fetchFn = this.options.fetch ?? fetch;
    const range = `bytes=${offset}-${offset + length - 1}`;
    let response: Response;
    try {
      response = await fetchFn(this.name, { headers: { ...this.options.headers, Range: range } });
    } catch (e) {
      throw new SourceError(this.name, `request for ${range} failed: ${(e as Error).message}`, { cause: e });
    }
    if (response.status === 200) {
      // the server ignored the range and sent everything: keep it rather than fetch it again
      this.whole = new Uint8Array(await response.arrayBuffer());
      this.size = this.whole.length;
      return this.read(offset, length);
    }
    if (response.status === 416) throw new SourceError(this.name, `needed ${range} but the server says the range is not satisfiable`);
    if (response.status !== 206) throw new SourceError(this.name, `HTTP ${response.status} ${response.statusText} for ${range}`);
    const total = /\/(\d+)\s*$/.exec(response.headers.get("content-range") ?? "")?.[1];
    if (total !== undefined) this.size = Number(total);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length !== length) throw new SourceError(this.name, `asked for ${range} (${length} bytes), received ${bytes.length}`);
    return bytes;
  }

  async close(): Promise<void> {}
}

/** The text at `input` (a URL, Blob or bytes): how `.ch` headers are fetched. */
export async function readText(input: Blob | URL | string | ArrayBufferView | ArrayBuffer, options: HttpOptions = {}): Promise<string> {
  if (typeof input === "string" || input instanceof URL) {
    const url = String(input);
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url, { headers: options.headers });
    } catch (e) {
      throw new SourceError(url, `request failed: ${(e as Error).message}`, { cause: e });
    }
    if (!response.ok) throw new SourceError(url, `HTTP ${response.status} ${response.statusText}`);
    return response.text();
  }
  if (typeof Blob !== "undefined" && input instanceof Blob) return input.text();
  const view =
    input instanceof ArrayBuffer
      ? new Uint8Array(input)
      : new Uint8Array((input as ArrayBufferView).buffer, (input as ArrayBufferView).byteOffset, (input as ArrayBufferView).byteLength);
  return new TextDecoder().decode(view);
}
