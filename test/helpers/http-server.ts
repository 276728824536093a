import { createReadStream, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize } from "node:path";

/** One request the server answered. */
export interface LoggedRequest {
  path: string;
  range: string | undefined;
  status: number;
  /** Body bytes sent. */
  bytes: number;
}

/** How the server misbehaves, for the tests of bad servers. */
export interface ServerQuirks {
  /** Answer Range requests with the whole file and status 200. */
  ignoreRange?: boolean;
  /** Answer requests whose path contains this string with status 500. */
  failOn?: string;
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
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = join(root, normalize(path));
    const range = req.headers.range;
    const answer = (status: number, bytes = 0) => log.push({ path, range, status, bytes });
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
      else createReadStream(file, { start, end }).pipe(res);
      return;
    }
    answer(200, size);
    res.writeHead(200, { "Content-Length": size, "Accept-Ranges": "bytes" });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    quirks,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
