/**
 * The one way this project fetches bytes over HTTP(S), in Node and browsers alike. Every request
 * has a deadline (from sending it to the last byte of the body) and a byte cap, so that a server
 * that never answers, stalls, trickles or sends without end costs bounded time and memory, and
 * every failure is a {@link ReadError} naming the URL.
 */
import { ReadError } from "./errors.js";

/** Options of every request to an http(s) URL. */
export interface HttpOptions {
  /** Milliseconds a request may take, from sending it to the last byte of its body. Default 30000. */
  timeoutMs?: number;
  /** The most bytes taken for a whole-resource request (one without a range). Default 256 MiB. */
  maxBytes?: number;
  /** Extra request headers (authorisation). */
  headers?: Record<string, string>;
  /** The fetch to use. Default: the global one (`nodeHttpFetch` of `@flacarray/core/node` is faster in Node). */
  fetch?: HttpFetch | typeof fetch;
}

/** One read of a body, as a web stream's reader gives it. */
export type HttpBodyRead = { done: false; value: Uint8Array } | { done: true; value?: undefined };

/** A body read chunk by chunk (the part of a `ReadableStreamDefaultReader` that {@link httpGet} uses). */
export interface HttpBodyReader {
  read(): Promise<HttpBodyRead>;
  cancel(): Promise<void>;
}

/** An answer: the part of the Fetch API's `Response` that {@link httpGet} uses. */
export interface HttpAnswer {
  readonly status: number;
  readonly statusText: string;
  /** "cors" or "opaque" for a browser's cross-origin answer. */
  readonly type: string;
  readonly headers: { get(name: string): string | null };
  readonly body: { getReader(): HttpBodyReader; cancel(): Promise<void> } | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** How requests are made: the global `fetch` is one. */
export type HttpFetch = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<HttpAnswer>;

/**
 * A byte range: `length` bytes from `offset` (with `orToEnd`, fewer where the resource ends
 * first), or the last `suffixLength` bytes.
 */
export type HttpRange = { offset: number; length: number; orToEnd?: boolean } | { suffixLength: number };

/** What a request got: the bytes asked for, and the resource's size when the server said it. */
export interface HttpBytes {
  bytes: Uint8Array;
  size: number | undefined;
}

/** Default of {@link HttpOptions.timeoutMs}. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default of {@link HttpOptions.maxBytes}. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Whether a body is read in one piece (`arrayBuffer()`) rather than chunk by chunk: when all of
 * it is wanted and its length is promised and within the bytes wanted. Chunk by chunk, each chunk
 * is a task of the calling thread; in a busy page that cost about 100 ms per 1 s x 385-channel
 * view (8.6 MB in 14 answers) in Chromium. A body the platform decompresses (Content-Encoding)
 * could outgrow the length promised, so it is read chunk by chunk, and so is a cross-origin
 * answer in a browser, which may hide its Content-Encoding.
 */
function takenWhole(response: HttpAnswer, contentLength: number, skip: number, want: number, range: HttpRange | undefined): boolean {
  if (!Number.isSafeInteger(contentLength) || skip !== 0 || !response.body) return false;
  if (response.type === "cors" || response.type === "opaque" || response.headers.get("content-encoding") !== null) return false;
  return contentLength === want || (range === undefined && contentLength <= want);
}

/**
 * GETs a URL, or a byte range of it, and returns exactly the bytes asked for.
 * - A 206 answer must carry the range asked for (Content-Range) and exactly its bytes. Where a
 *   browser hides Content-Range (a cross-origin answer that does not expose it), the body's
 *   length must still be exactly the range's.
 * - A 200 answer to a range request (a server that ignores Range) is read only up to the end of
 *   the range, then dropped, and the range is cut out of it.
 * - A whole-resource request takes at most `maxBytes`.
 * @returns the bytes, or undefined when the server answers 404
 * @throws {ReadError} naming the URL for any other status, a deadline passed, a body cut short or
 *   longer than asked for, or a range the server did not send
 */
export async function httpGet(url: string, range: HttpRange | undefined, options: HttpOptions = {}): Promise<HttpBytes | undefined> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const what =
    range === undefined
      ? ""
      : "suffixLength" in range
        ? ` (last ${range.suffixLength} bytes)`
        : ` (bytes ${range.offset}-${range.offset + range.length - 1})`;
  const fail = (reason: string, cause?: unknown): never => {
    throw new ReadError(url, `${reason}${what}`, cause === undefined ? undefined : { cause });
  };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  let received = 0;
  try {
    const headers: Record<string, string> = { ...options.headers };
    if (range)
      headers.Range = "suffixLength" in range ? `bytes=-${range.suffixLength}` : `bytes=${range.offset}-${range.offset + range.length - 1}`;
    let response: HttpAnswer;
    try {
      response = await ((options.fetch ?? fetch) as HttpFetch)(url, { headers, signal: controller.signal });
    } catch (err) {
      return fail(timedOut ? `no answer within ${timeoutMs} ms` : `request failed: ${(err as Error).message}`, err);
    }
    if (response.status === 404) {
      await response.body?.cancel().catch(() => undefined);
      return undefined;
    }
    const contentLength = Number(response.headers.get("content-length") ?? Number.NaN);
    let size: number | undefined;
    let want: number; // bytes of the body to read
    let skip = 0; // bytes of the body before the ones asked for
    let shortOk = false; // a suffix range, or one that may end at the end, may be answered with less (a smaller file)
    if (response.status === 206 && range && response.headers.get("content-range") === null) {
      // A browser hides Content-Range in a cross-origin answer unless the server exposes it
      // (Access-Control-Expose-Headers), which buckets' CORS rules often leave out. Then only
      // the length can be checked: the body must be exactly the range asked for.
      want = "suffixLength" in range ? range.suffixLength : range.length;
      shortOk = "suffixLength" in range || range.orToEnd === true;
    } else if (response.status === 206 && range) {
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get("content-range") ?? "");
      if (!m) return fail(`206 answer without a valid Content-Range (found ${JSON.stringify(response.headers.get("content-range"))})`);
      const [first, last] = [Number(m[1]), Number(m[2])];
      size = m[3] === "*" ? undefined : Number(m[3]);
      const expectFirst = "suffixLength" in range ? (size === undefined ? first : Math.max(0, size - range.suffixLength)) : range.offset;
      const expectLength =
        "suffixLength" in range
          ? Math.min(range.suffixLength, size ?? range.suffixLength)
          : range.orToEnd && size !== undefined
            ? Math.min(range.length, size - range.offset)
            : range.length;
      if (first !== expectFirst || last - first + 1 !== expectLength) {
        return fail(`the server sent bytes ${first}-${last}, not the range asked for`);
      }
      want = expectLength;
    } else if (response.status === 200) {
      size = Number.isSafeInteger(contentLength) ? contentLength : undefined;
      if (range === undefined) {
        const cap = options.maxBytes ?? DEFAULT_MAX_BYTES;
        if (size !== undefined && size > cap) return fail(`the answer is ${size} bytes, more than the cap of ${cap} (option maxBytes)`);
        want = cap;
      } else if ("suffixLength" in range) {
        if (size === undefined) return fail("the server ignored the Range header and did not say the size");
        skip = Math.max(0, size - range.suffixLength);
        want = size;
      } else {
        skip = range.offset;
        want = range.offset + range.length;
      }
    } else if (response.status === 416) {
      return fail("the server says the range is not satisfiable (416)");
    } else {
      await response.body?.cancel().catch(() => undefined);
      return fail(`HTTP ${response.status} ${response.statusText}`.trim());
    }
    // Only bytes [skip, want) of the body are kept; a body longer than `want` is an error where its length was promised.
    let kept: Uint8Array;
    if (takenWhole(response, contentLength, skip, want, range)) {
      try {
        kept = new Uint8Array(await response.arrayBuffer());
      } catch (err) {
        return fail(
          timedOut
            ? `the answer did not end within ${timeoutMs} ms (${contentLength} bytes promised)`
            : `the connection broke before the ${contentLength} bytes promised came: ${(err as Error).message}`,
          err,
        );
      }
      received = kept.length;
    } else {
      const expected = Number.isSafeInteger(contentLength) ? Math.min(want, Math.max(0, contentLength)) : skip + 65536;
      kept = new Uint8Array(Math.max(0, Math.min(want, expected) - skip));
      const reader = response.body?.getReader();
      if (reader) {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            const from = Math.max(skip, received);
            const to = Math.min(want, received + value.length);
            if (to > from) {
              if (to - skip > kept.length) {
                const grown = new Uint8Array(Math.min(want - skip, Math.max(2 * kept.length, to - skip)));
                grown.set(kept.subarray(0, Math.max(0, received - skip)));
                kept = grown;
              }
              kept.set(value.subarray(from - received, to - received), from - skip);
            }
            const longer = received + value.length > want;
            received = Math.min(want, received + value.length);
            if (received === want) {
              if ((longer || !(await reader.read()).done) && (response.status === 206 || range === undefined)) {
                return fail(`the answer is longer than ${want} bytes${range === undefined ? " (option maxBytes)" : ""}`);
              }
              break;
            }
          }
        } catch (err) {
          return fail(
            timedOut
              ? `the answer did not end within ${timeoutMs} ms (${received} bytes received)`
              : `the connection broke after ${received} bytes: ${(err as Error).message}`,
            err,
          );
        } finally {
          reader.cancel().catch(() => undefined);
        }
      }
    }
    if (response.status === 206 && received !== want && !(shortOk && received > 0)) {
      return fail(`the answer was cut: ${received} of ${want} bytes`);
    }
    const endedEarlyOk = range !== undefined && "orToEnd" in range && range.orToEnd && received === size;
    if (response.status === 200 && range !== undefined && received < want && !endedEarlyOk) {
      return fail(`the server ignored the Range header and its answer ends at byte ${received}`);
    }
    if (response.status === 200 && range === undefined && size !== undefined && received !== size) {
      return fail(`the answer was cut: ${received} of ${size} bytes`);
    }
    return { bytes: kept.subarray(0, Math.max(0, received - skip)), size };
  } finally {
    clearTimeout(timer);
  }
}
