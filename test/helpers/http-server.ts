import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

/** One request the server answered. */
export interface LoggedRequest {
  path: string;
  range: string | undefined;
  /** The status sent, or -1 for an answer that misbehaved. */
  status: number;
  /** Body bytes sent. */
  bytes: number;
  /** When the request arrived (`performance.now()` of the server). */
  receivedAt: number;
}

/**
 * Ways a server can fail mid-answer:
 * - `stall`: never answers;
 * - `stallBody`: sends the headers and a few bytes, then nothing;
 * - `trickle`: sends one byte every 100 ms;
 * - `endless`: answers 200 with a body that never ends (no Content-Length);
 * - `cut`: promises the right length, sends half, and closes the connection;
 * - `wrongRange`: answers a Range request with as many bytes as asked for, one byte further on (206);
 * - `noContentRange`: answers a Range request with the right bytes (206) but no Content-Range, as
 *   a browser shows a cross-origin answer that does not expose it;
 * - `noContentRangeShort`: the same, one byte short.
 */
export type Misbehaviour = "stall" | "stallBody" | "trickle" | "endless" | "cut" | "wrongRange" | "noContentRange" | "noContentRangeShort";

/** How the server misbehaves, for the tests of bad servers. */
export interface ServerQuirks {
  /** Answer Range requests with the whole file and status 200. */
  ignoreRange?: boolean;
  /** Answer requests whose path contains this string with status 500. */
  failOn?: string;
  /** Misbehave on requests whose path contains `on`. */
  misbehave?: { on: string; how: Misbehaviour };
  /**
   * Answer cross-origin requests as a bucket does with the usual CORS rule: any origin, the
   * Range header allowed, and no response header exposed beyond the CORS-safelisted ones (so a
   * page cannot read Content-Range).
   */
  cors?: boolean;
  /** Send the headers that make a page cross-origin isolated (COOP and COEP), so that it may share memory with workers. */
  isolate?: boolean;
  /** Milliseconds to wait before answering each request, as a distant server would. */
  latencyMs?: number;
  /** A Content-Encoding header on misbehaving answers ("identity" changes no byte, but says the body is not taken as sent). */
  contentEncoding?: string;
}

/** Content types by extension: browsers run module scripts only when served as JavaScript. */
const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

/** Answers one request badly, as `how` says; the file is `size` bytes at `file`. */
function misbehave(how: Misbehaviour, res: ServerResponse, file: string, size: number, range: string | undefined, encoding?: string): void {
  const m = /^bytes=(\d+)-(\d+)?$/.exec(range ?? "");
  const start = m ? Number(m[1]) : 0;
  const end = m?.[2] !== undefined ? Math.min(size - 1, Number(m[2])) : size - 1;
  const bytes = readFileSync(file).subarray(start, end + 1);
  const partial = m ? { "Content-Range": `bytes ${start}-${end}/${size}` } : {};
  if (how === "stall") return;
  if (how === "wrongRange") {
    // as many bytes as asked for, from one byte further on (or back, at the end of the file)
    const shift = end + 1 < size ? 1 : -1;
    res.writeHead(206, { "Content-Length": end - start + 1, "Content-Range": `bytes ${start + shift}-${end + shift}/${size}` });
    res.end(readFileSync(file).subarray(start + shift, end + shift + 1));
    return;
  }
  if (how === "noContentRange" || how === "noContentRangeShort") {
    const sent = how === "noContentRange" ? bytes : bytes.subarray(0, bytes.length - 1);
    res.writeHead(206, { "Content-Length": sent.length });
    res.end(sent);
    return;
  }
  if (how === "endless") {
    res.writeHead(200);
    const chunk = new Uint8Array(64 * 1024).fill(0x55);
    const pump = () => {
      while (res.write(chunk)) {}
      res.once("drain", pump);
    };
    pump();
    return;
  }
  res.writeHead(m ? 206 : 200, { "Content-Length": bytes.length, ...partial, ...(encoding ? { "Content-Encoding": encoding } : {}) });
  if (how === "cut") {
    res.write(bytes.subarray(0, bytes.length >> 1), () => res.socket?.destroy());
  } else if (how === "stallBody") {
    res.write(bytes.subarray(0, Math.min(4, bytes.length)));
  } else {
    let i = 0;
    const timer = setInterval(() => {
      if (i >= bytes.length || res.destroyed) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(bytes.subarray(i, ++i));
    }, 100);
    res.on("close", () => clearInterval(timer));
  }
}

/**
 * Ranges up to this size are read at once and sent in one write, as a production server does
 * from its page cache: a read stream per request cost this server about 0.3 ms of CPU a
 * request, which the benchmarks' many small range reads paid on the reader's cores.
 */
const SMALL_RANGE = 1 << 20;

/** Bytes `[start, end)` of a file. */
function readRange(file: string, start: number, end: number): Uint8Array {
  const bytes = new Uint8Array(end - start);
  const fd = openSync(file, "r");
  try {
    for (let at = 0; at < bytes.length; ) {
      const n = readSync(fd, bytes, at, bytes.length - at, start + at);
      if (n === 0) return bytes.subarray(0, at);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** A static file server on 127.0.0.1 with Range support (206) and a request log. */
export interface StaticServer {
  url: string;
  log: LoggedRequest[];
  quirks: ServerQuirks;
  close(): Promise<void>;
}

/** Serves `root` on a free port of 127.0.0.1. */
export async function serveDirectory(root: string): Promise<StaticServer> {
  const log: LoggedRequest[] = [];
  const quirks: ServerQuirks = {};
  const server: Server = createServer((req, res) => {
    const receivedAt = performance.now();
    if (quirks.latencyMs) setTimeout(() => handle(req, res, receivedAt), quirks.latencyMs);
    else handle(req, res, receivedAt);
  });
  const handle = (req: IncomingMessage, res: ServerResponse, receivedAt: number) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = join(root, normalize(path));
    const range = req.headers.range;
    const answer = (status: number, bytes = 0) => log.push({ path, range, status, bytes, receivedAt });
    if (quirks.cors) {
      res.setHeader("Access-Control-Allow-Origin", "*");
      if (req.method === "OPTIONS") {
        answer(204);
        res.writeHead(204, { "Access-Control-Allow-Headers": "Range", "Access-Control-Allow-Methods": "GET, HEAD" }).end();
        return;
      }
    }
    if (quirks.isolate) {
      res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
      res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
    }
    const type = CONTENT_TYPES[extname(path)];
    if (type) res.setHeader("Content-Type", type);
    if (quirks.failOn && path.includes(quirks.failOn)) {
      answer(500);
      res.writeHead(500).end();
      return;
    }
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error("not a file");
      size = stat.size;
    } catch {
      answer(404);
      res.writeHead(404).end();
      return;
    }
    if (quirks.misbehave && path.includes(quirks.misbehave.on)) {
      answer(-1);
      misbehave(quirks.misbehave.how, res, file, size, range, quirks.contentEncoding);
      return;
    }
    const match = /^bytes=(\d+)-(\d+)?$/.exec(range ?? "");
    if (match && !quirks.ignoreRange) {
      const start = Number(match[1]);
      const end = Math.min(size - 1, match[2] === undefined ? size - 1 : Number(match[2]));
      if (start >= size) {
        answer(416);
        res.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
        return;
      }
      answer(206, end - start + 1);
      res.writeHead(206, { "Content-Length": end - start + 1, "Content-Range": `bytes ${start}-${end}/${size}`, "Accept-Ranges": "bytes" });
      if (req.method === "HEAD") res.end();
      else if (end - start < SMALL_RANGE) res.end(readRange(file, start, end + 1));
      else createReadStream(file, { start, end }).pipe(res);
      return;
    }
    answer(200, size);
    res.writeHead(200, { "Content-Length": size, "Accept-Ranges": "bytes" });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    quirks,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
