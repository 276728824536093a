/**
 * The Node backend: node:zlib, whose asynchronous calls run on libuv's thread pool (so chunks
 * compress and decompress in parallel), and node:crypto's SHA-1.
 */
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { deflate, inflate } from "node:zlib";
import type { Backend } from "../backend.js";

const inflateAsync = promisify(inflate);
const deflateAsync = promisify(deflate);

/** zlib and SHA-1 from Node's native libraries. */
export const nodeBackend: Backend = {
  inflate: (stream) => inflateAsync(stream),
  deflate: (bytes, level) => deflateAsync(bytes, { level }),
  sha1: () => {
    const hash = createHash("sha1");
    return {
      update: (bytes) => void hash.update(bytes),
      hex: () => hash.digest("hex"),
    };
  },
};
