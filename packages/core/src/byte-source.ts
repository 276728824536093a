/**
 * Random access to the bytes of a file, whatever holds it: an http(s) URL (range requests through
 * {@link httpGet}), a browser `Blob`/`File`, or bytes in memory. Readers that fetch only what
 * they need (HDF5 over HTTP, say) take one of these.
 */
import { InvalidSelectionError, ReadError } from "./errors.js";
import { type HttpOptions, httpGet } from "./http.js";

/** A file's size and a reader of its byte ranges. */
export interface ByteSource {
  /** The URL or file name, for messages. */
  readonly name: string;
  /** The file's size in bytes. */
  readonly size: number;
  /** Bytes `[offset, offset + length)`, inside the file. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Bytes the source has fetched so far (its reads and what it fetched to learn the size). */
  readonly bytesFetched: number;
  /** Requests (or Blob reads) made so far. */
  readonly requests: number;
}

/** Checks that `[offset, offset + length)` lies inside a file of `size` bytes. */
function checkRange(name: string, size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new InvalidSelectionError(`${name}: bytes [${offset}, ${offset + length}) are outside the file of ${size} bytes`);
  }
}

/** A {@link ByteSource} that counts what it reads. */
class CountingSource implements ByteSource {
  bytesFetched = 0;
  requests = 0;

  constructor(
    readonly name: string,
    readonly size: number,
    private readonly readRange: (offset: number, length: number) => Promise<Uint8Array>,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.name, this.size, offset, length);
    if (length === 0) return new Uint8Array(0);
    this.requests++;
    const bytes = await this.readRange(offset, length);
    this.bytesFetched += bytes.length;
    return bytes;
  }
}

/**
 * The bytes at an http(s) URL, read by range requests. Opening asks for the first `headBytes`
 * bytes (which tells the size); they are returned as `head` so that the caller can keep them.
 * @throws {ReadError} naming the URL when it is missing (404), or the server does not say the size
 */
export async function httpByteSource(
  url: string,
  options: HttpOptions = {},
  headBytes = 16384,
): Promise<{ source: ByteSource; head: Uint8Array }> {
  const got = await httpGet(url, { offset: 0, length: headBytes, orToEnd: true }, options);
  if (!got) throw new ReadError(url, "not found (HTTP 404)");
  // A hidden Content-Range (cross-origin) leaves the size unknown unless the whole file came back.
  const size = got.size ?? (got.bytes.length < headBytes ? got.bytes.length : undefined);
  if (size === undefined) throw new ReadError(url, "the server does not say the file's size (Content-Range), which range reads need");
  const source = new CountingSource(url, size, async (offset, length) => {
    const part = await httpGet(url, { offset, length }, options);
    if (!part) throw new ReadError(url, `not found (HTTP 404) at bytes ${offset}-${offset + length - 1}`);
    return part.bytes;
  });
  source.requests = 1;
  source.bytesFetched = got.bytes.length;
  return { source, head: got.bytes };
}

/** The bytes of a Blob or File, read by slices: a browser reads only those parts of a user's file. */
export function blobByteSource(blob: Blob, name = "name" in blob ? String((blob as File).name) : "the Blob given"): ByteSource {
  return new CountingSource(
    name,
    blob.size,
    async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  );
}

/** Bytes in memory as a {@link ByteSource} (reads are views, not copies). */
export function memoryByteSource(bytes: Uint8Array, name = "the bytes given"): ByteSource {
  return new CountingSource(name, bytes.length, async (offset, length) => bytes.subarray(offset, offset + length));
}
