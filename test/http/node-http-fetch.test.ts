/**
 * nodeHttpFetch, the requests of the Node entries, where it differs from the global fetch: it
 * follows redirects itself, inflates or refuses encoded bodies, and keeps connections open. (The
 * misbehaving servers of bad-servers.test.ts run through it too.)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { httpGet, ReadError } from "@flacarray/core";
import { nodeHttpFetch } from "@flacarray/core/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rejection } from "../helpers/errors.js";

const FILE = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 251);
let server: Server;
let base: string;
/** Connections the server accepted. */
let connections = 0;

/** `/file` (ranges too), `/gzip` and `/zstd` (the whole file, so encoded), `/hop/N` (a redirect to /hop/N-1, then /file), `/loop`. */
function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? "";
  const hop = /^\/hop\/(\d+)$/.exec(path);
  if (hop) {
    const n = Number(hop[1]);
    res.writeHead(n === 1 ? 307 : 302, { Location: n === 1 ? "/file" : `/hop/${n - 1}` }).end();
  } else if (path === "/loop") res.writeHead(301, { Location: "/loop" }).end();
  else if (path === "/gzip") res.writeHead(200, { "Content-Encoding": "gzip" }).end(gzipSync(FILE));
  else if (path === "/zstd") res.writeHead(200, { "Content-Encoding": "zstd" }).end(FILE);
  else if (path === "/file") {
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
    if (!m) res.writeHead(200, { "Content-Length": FILE.length }).end(FILE);
    else {
      const [first, last] = [Number(m[1]), Number(m[2])];
      res.writeHead(206, { "Content-Range": `bytes ${first}-${last}/${FILE.length}`, "Content-Length": last - first + 1 });
      res.end(FILE.subarray(first, last + 1));
    }
  } else res.writeHead(404).end();
}

beforeAll(async () => {
  server = createServer(handle);
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const options = { fetch: nodeHttpFetch, timeoutMs: 2000 };

describe("nodeHttpFetch", () => {
  test("follows redirects, and gives the range asked for at the end of them", async () => {
    const got = await httpGet(`${base}/hop/3`, { offset: 100, length: 50 }, options);
    expect(got?.bytes).toStrictEqual(FILE.subarray(100, 150));
    expect(got?.size).toBe(FILE.length);
  });

  test("a redirect loop is a ReadError naming the URL", async () => {
    const err = await rejection(httpGet(`${base}/loop`, undefined, options));
    expect(err).toBeInstanceOf(ReadError);
    expect(String(err)).toContain(`${base}/loop`);
    expect(String(err)).toContain("more than 5 redirects");
  });

  test("a gzip body is inflated, as fetch inflates it; a coding it cannot decode is a ReadError", async () => {
    expect((await httpGet(`${base}/gzip`, undefined, options))?.bytes).toStrictEqual(FILE);
    const err = await rejection(httpGet(`${base}/zstd`, undefined, options));
    expect(err).toBeInstanceOf(ReadError);
    expect(String(err)).toContain('Content-Encoding "zstd" cannot be decoded');
  });

  test("a 404 is undefined, as through fetch", async () => {
    expect(await httpGet(`${base}/nothing`, undefined, options)).toBeUndefined();
  });

  test("requests one after another share one kept-alive connection", async () => {
    const before = connections;
    for (let i = 0; i < 20; i++) {
      const got = await httpGet(`${base}/file`, { offset: i * 10, length: 10 }, options);
      expect(got?.bytes).toStrictEqual(FILE.subarray(i * 10, i * 10 + 10));
    }
    expect(connections - before).toBeLessThanOrEqual(1);
  });

  test("a URL that is not http(s) is a ReadError", async () => {
    const err = await rejection(httpGet("ftp://127.0.0.1/x", undefined, options));
    expect(err).toBeInstanceOf(ReadError);
    expect(String(err)).toContain("ftp: URLs are not fetched");
  });
});
