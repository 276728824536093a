/**
 * The Node backend: node:zlib, whose asynchronous calls run on libuv's thread pool (so chunks
 * compress and decompress in parallel), and node:crypto's SHA-1.
 */
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { deflate, inflate } from "node:zlib";
import type { Backend } from "../backend.js";
import { maxInflatedBytes } from "../header.js";

const inflateAsync = promisify(inflate);
const deflateAsync = promisify(deflate);

/** A zlib output piece size for `bytes` bytes: all of it, within zlib's limits. */
const pieceSize = (bytes: number) => Math.min(Math.max(bytes, 64), 256 * 1024 * 1024);

/** zlib and SHA-1 from Node's native libraries. */
export const nodeBackend: Backend = {
  // one output buffer of the whole chunk: node's default 16 KiB pieces cost a thread-pool round trip each
  inflate: (stream, expectedLength) =>
    inflateAsync(stream, {
      chunkSize: pieceSize(Math.min(expectedLength, maxInflatedBytes(stream.length))),
      maxOutputLength: expectedLength + 1,
    }),
  deflate: (bytes, level) => deflateAsync(bytes, { level, chunkSize: pieceSize(bytes.length + 1024) }),
  sha1: () => {
    const hash = createHash("sha1");
    return {
      update: (bytes) => void hash.update(bytes),
      hex: () => hash.digest("hex"),
    };
  },
};
