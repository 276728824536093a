/**
 * A small static file server for `flacarray view`: files under named roots, with HTTP Range
 * support (206 and Content-Range, as buckets answer), on 127.0.0.1 only. Pages are served
 * cross-origin isolated, so that the viewer's workers share memory with it.
 */
import { createReadStream, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

/** URL prefix -> directory served under it (`""` for the site root). */
export type Mounts = Record<string, string>;

/** The file a request path names under one of the mounts, or undefined (never outside a mount). */
function fileOf(mounts: Mounts, path: string): string | undefined {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  for (const prefix of prefixes) {
    if (prefix && !(path === prefix || path.startsWith(`${prefix}/`))) continue;
    const root = mounts[prefix] as string;
    const file = normalize(join(root, path.slice(prefix.length)));
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
    return file;
  }
  return undefined;
}

/** Answers one request: the file, the requested byte range of it (206), or 404/416. */
function answer(mounts: Mounts, req: IncomingMessage, res: ServerResponse, redirect: string | undefined): void {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
  if (path === "/" && redirect) {
    res.writeHead(302, { Location: redirect }).end();
    return;
  }
  const file = fileOf(mounts, path);
  const stats = file ? statSync(file, { throwIfNoEntry: false }) : undefined;
  if (!file || !stats?.isFile()) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    return;
  }
  const headers = {
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    "Accept-Ranges": "bytes",
    "Cache-Control": "no-store",
    // cross-origin isolation: the page's workers may then decode into shared memory
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
  };
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
  if (!range || (range[1] === "" && range[2] === "")) {
    res.writeHead(200, { ...headers, "Content-Length": stats.size });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
    return;
  }
  const size = stats.size;
  let start: number;
  let end: number;
  if (range[1] === "") {
    start = Math.max(0, size - Number(range[2]));
    end = size - 1;
  } else {
    start = Number(range[1]);
    end = range[2] === "" ? size - 1 : Math.min(size - 1, Number(range[2]));
  }
  if (start >= size || end < start) {
    res.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
    return;
  }
  res.writeHead(206, { ...headers, "Content-Length": end - start + 1, "Content-Range": `bytes ${start}-${end}/${size}` });
  if (req.method === "HEAD") res.end();
  else createReadStream(file, { start, end }).pipe(res);
}

/**
 * Serves `mounts` on 127.0.0.1:`port` (0 for any free port); `/` redirects to `redirect`.
 * Resolves with the server and its base URL once it listens.
 */
export function serveFiles(mounts: Mounts, port: number, redirect?: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    try {
      answer(mounts, req, res, redirect);
    } catch (err) {
      res.writeHead(500, { "Content-Type": "text/plain" }).end(String(err));
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${bound}` });
    });
  });
}
