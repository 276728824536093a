/**
 * The Node entry of @flacarray/mtscomp: everything of the main entry, plus files (paths), and
 * node:zlib / node:crypto, whose zlib runs chunks in parallel on libuv's threads.
 */
import { readFile } from "node:fs/promises";
import type { ByteInput, HttpOptions } from "./byte-source.js";
import { toByteSource } from "./byte-source.js";
import { InputError, SourceError } from "./errors.js";
import { parseHeader } from "./header.js";
import { nodeBackend } from "./node/backend.js";
import { fileSource } from "./node/files.js";
import { NodeReader } from "./node/reader.js";
import { type HeaderInput, loadHeader, withSuffix } from "./open.js";
import type { ReaderOptions } from "./reader.js";

export * from "./index.js";
export { nodeBackend } from "./node/backend.js";
export type { ArrayInput, NodeCompressOptions } from "./node/compress.js";
export { compress, rawFileSource } from "./node/compress.js";
export { fileSource } from "./node/files.js";
export type { ToFileOptions } from "./node/reader.js";
export { NodeReader } from "./node/reader.js";

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/**
 * Opens an mtscomp recording: a `.cbin` path or http(s) URL (or bytes, a Blob, a ByteSource),
 * with its `.ch` (default: the same name ending in `.ch`). Only the header is read now.
 * @example
 * const reader = await decompress("rec.ap.cbin");
 * const { data, shape } = await reader.get([30000, 60000], [0, 10]); // 1 s of channels 0-9
 */
export async function decompress(
  cbin: string | ByteInput,
  ch?: string | HeaderInput,
  options: ReaderOptions & HttpOptions = {},
): Promise<NodeReader> {
  const local = typeof cbin === "string" && !isUrl(cbin);
  const headerInput = ch ?? (typeof cbin === "string" ? withSuffix(cbin, ".ch") : undefined);
  let header: { json: string | Record<string, unknown>; name: string };
  if (typeof headerInput === "string" && !isUrl(headerInput)) {
    try {
      header = { json: await readFile(headerInput, "utf8"), name: headerInput };
    } catch (e) {
      throw new SourceError(headerInput, `cannot read the .ch header: ${(e as Error).message}`, { cause: e });
    }
  } else if (headerInput === undefined) {
    throw new InputError("the .cbin", "the .ch header is needed to read this .cbin (pass it as the second argument)");
  } else header = await loadHeader(headerInput, options);
  const source = local ? await fileSource(cbin) : toByteSource(cbin as ByteInput, undefined, options);
  return new NodeReader(source, parseHeader(header.json, header.name), { backend: nodeBackend, ...options });
}
