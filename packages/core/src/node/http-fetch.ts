/**
 * {@link httpGet}'s requests in Node through `node:http` and `node:https`, on keep-alive
 * connections, instead of the global `fetch`. Node's `fetch` (undici, with web streams) costs the
 * calling thread several times more per request: 385 range requests of 28 KB took 104–236 ms
 * through it and 45–126 ms through this, over loopback on 2 cores; a window of one second of
 * 385 channels of a Python-written recording is that many requests.
 *
 * It does what `fetch` does for `httpGet`: follows redirects (at most 5), inflates a body the server
 * compressed (gzip, deflate, br) as it is read, stops at the request's `signal`, and errors when
 * the connection ends before the body does.
 */
import { type ClientRequest, Agent as HttpAgent, get as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, get as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { HttpAnswer, HttpBodyReader, HttpFetch } from "../http.js";

/** Connections are kept open between requests (idle ones do not keep the process alive). */
const agents = { "http:": new HttpAgent({ keepAlive: true }), "https:": new HttpsAgent({ keepAlive: true }) };
const requests = { "http:": httpRequest, "https:": httpsRequest };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
/** The content codings inflated, as `fetch` inflates them. */
const INFLATERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  "x-gzip": createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** The error a request stopped by its signal fails with. */
function aborted(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("the request was aborted");
}

/** A body read chunk by chunk, or whole; cancelling it closes the connection. */
function bodyOf(stream: Readable, contentLength: number, stop: () => void): HttpBodyReader & { whole(): Promise<ArrayBuffer> } {
  let chunks: AsyncIterator<Buffer> | undefined;
  return {
    async read() {
      chunks ??= stream[Symbol.asyncIterator]();
      const next = await chunks.next();
      if (next.done) return { done: true, value: undefined };
      const chunk = next.value;
      return { done: false, value: new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length) };
    },
    async cancel() {
      stop();
      stream.destroy();
    },
    // Chunks copied as they come, in events: a promise per chunk made a 23 MB body slower than fetch's.
    whole() {
      return new Promise((resolve, reject) => {
        // one array of the promised length (Node's small buffers share a pool: never hand out theirs)
        let out = new Uint8Array(Number.isSafeInteger(contentLength) ? contentLength : 0);
        let at = 0;
        let ended = false;
        stream.on("data", (chunk: Buffer) => {
          if (at + chunk.length > out.length) {
            const grown = new Uint8Array(Math.max(2 * out.length, at + chunk.length));
            grown.set(out.subarray(0, at));
            out = grown;
          }
          out.set(chunk, at);
          at += chunk.length;
        });
        stream.once("end", () => {
          ended = true;
          resolve(at === out.length ? out.buffer : out.buffer.slice(0, at));
        });
        stream.once("error", reject);
        stream.once("close", () => {
          if (!ended) reject(new Error(`the connection closed after ${at} bytes`));
        });
      });
    },
  };
}

/** The answer `httpGet` reads, over a response of `node:http`. */
function answerOf(res: IncomingMessage, req: ClientRequest): HttpAnswer {
  const header = (name: string) => {
    const v = res.headers[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  };
  const coding = header("content-encoding")?.trim().toLowerCase();
  let stream: Readable = res;
  if (coding && coding !== "identity") {
    const inflater = INFLATERS[coding];
    if (!inflater) {
      req.destroy();
      throw new Error(`the answer's Content-Encoding ${JSON.stringify(coding)} cannot be decoded`);
    }
    const inflating = inflater();
    res.on("error", (err) => (inflating as unknown as Readable).destroy(err));
    stream = res.pipe(inflating) as unknown as Readable;
  }
  const contentLength = coding && coding !== "identity" ? Number.NaN : Number(header("content-length") ?? Number.NaN);
  const body = bodyOf(stream, contentLength, () => req.destroy());
  return {
    status: res.statusCode ?? 0,
    statusText: res.statusMessage ?? "",
    type: "basic",
    headers: { get: header },
    body: { getReader: () => body, cancel: () => body.cancel() },
    arrayBuffer: () => body.whole(),
  };
}

/** GETs `url`, following redirects; resolves with the answer once its headers are in. */
function get(url: URL, init: Parameters<HttpFetch>[1], hops: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const protocol = url.protocol as keyof typeof agents;
    const request = requests[protocol];
    if (!request) {
      reject(new Error(`${url.protocol} URLs are not fetched (http: and https: are)`));
      return;
    }
    const { signal } = init;
    if (signal.aborted) {
      reject(aborted(signal));
      return;
    }
    const req = request(url, { agent: agents[protocol], headers: init.headers }, (res) => {
      const location = res.headers.location;
      if (REDIRECTS.has(res.statusCode ?? 0) && location) {
        res.resume();
        signal.removeEventListener("abort", stop);
        if (hops >= MAX_REDIRECTS) reject(new Error(`more than ${MAX_REDIRECTS} redirects`));
        else get(new URL(location, url), init, hops + 1).then(resolve, reject);
        return;
      }
      res.once("close", () => signal.removeEventListener("abort", stop));
      try {
        resolve(answerOf(res, req));
      } catch (err) {
        reject(err);
      }
    });
    const stop = () => req.destroy(aborted(signal));
    signal.addEventListener("abort", stop, { once: true });
    // before the answer: the request fails; after it, the error reaches the body's reads
    req.on("error", (err) => {
      signal.removeEventListener("abort", stop);
      reject(err);
    });
  });
}

/**
 * An {@link HttpFetch} over `node:http` and `node:https` with keep-alive connections: pass it as
 * the `fetch` option of any reader of a URL. `openRecording` of `@flacarray/recording/node` uses
 * it unless told otherwise.
 * @example const bytes = await httpGet(url, { offset: 0, length: 100 }, { fetch: nodeHttpFetch });
 */
export const nodeHttpFetch: HttpFetch = (url, init) => get(new URL(url), init, 0);
