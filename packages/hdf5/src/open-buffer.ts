import { bytesOf, InvalidArgumentError, NotFoundError } from "@flacarray/core";
import type { File } from "h5wasm";
import { loaded, ready } from "./h5wasm-runtime.js";

let names = 0;

/**
 * Opens HDF5 bytes (an ArrayBuffer, a typed array or a browser `Blob`/`File`) in h5wasm's
 * in-memory file system: the way to read files in a browser. With `mode: "w"` and no bytes,
 * creates an empty file; get its bytes with {@link closeToBytes}.
 * @param bytes - the whole file, or null for a new file
 * @param mode - "r" (default), "a" to modify, "w" for a new file
 * @throws {NotFoundError} when the bytes are not an HDF5 file
 * @example
 * const file = await openBuffer(await (await fetch(url)).arrayBuffer());
 * const { data, shape } = readArray(file.get("ap") as Group);
 */
export async function openBuffer(bytes: ArrayBuffer | ArrayBufferView | Blob | null, mode: "r" | "a" | "w" = "r"): Promise<File> {
  const { h5wasm, module } = await ready();
  const name = `/flacarray-${++names}.h5`;
  if (bytes === null) {
    if (mode !== "w") throw new InvalidArgumentError(`openBuffer: mode "${mode}" needs bytes`);
  } else {
    module.FS.writeFile(name, await bytesOf(bytes));
  }
  try {
    return new h5wasm.File(name, mode);
  } catch (err) {
    if (bytes !== null) module.FS.unlink(name);
    throw new NotFoundError(name, "the bytes are not an HDF5 file h5wasm can open", { cause: err });
  }
}

/**
 * Closes a file opened with {@link openBuffer}, frees its memory and returns its bytes
 * (for example to download a file written in a browser).
 */
export function closeToBytes(file: File): Uint8Array {
  const module = loaded();
  if (!module) throw new InvalidArgumentError("closeToBytes takes a file opened with openBuffer");
  const FS = module.FS;
  file.close();
  const bytes = FS.readFile(file.filename);
  FS.unlink(file.filename);
  return bytes;
}
