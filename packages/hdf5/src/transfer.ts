/**
 * Byte transfers between JavaScript and an HDF5 `uint8` dataset. h5wasm copies every transfer
 * through its WebAssembly heap (at most 2 GiB), so large reads and writes go in pieces.
 */
import { InvalidFormatError } from "@flacarray/core";
import type { Dataset } from "h5wasm";
import type { H5Module } from "./h5wasm-runtime.js";

/** Default largest transfer: far below h5wasm's 2 GiB heap, large enough to be efficient. */
export const DEFAULT_MAX_TRANSFER_BYTES = 256 * 1024 * 1024;

/**
 * Reads bytes `[start, end)` of a 1-D uint8 dataset (a hyperslab read: HDF5 reads only those bytes).
 * @throws {InvalidFormatError} when the dataset returns fewer bytes than asked (a truncated file)
 */
export function readBytes(dataset: Dataset, start: number, end: number): Uint8Array {
  const bytes = dataset.slice([[start, end]]);
  if (!(bytes instanceof Uint8Array) || bytes.length !== end - start) {
    throw new InvalidFormatError(dataset.path, `reading bytes [${start}, ${end}) returned ${(bytes as Uint8Array)?.length ?? 0} bytes`);
  }
  return bytes;
}

/** The h5wasm builds loaded (the browser one, the Node one): each one's Dataset class and module. */
const builds: { Dataset: abstract new (...args: never[]) => object; module: H5Module }[] = [];

/** Makes the datasets of an h5wasm build readable by {@link withBytes}; called when the build is ready. */
export function registerH5wasmBuild(DatasetClass: abstract new (...args: never[]) => object, module: H5Module): void {
  if (!builds.some((b) => b.module === module)) builds.push({ Dataset: DatasetClass, module });
}

/**
 * Reads bytes `[start, end)` of a 1-D uint8 dataset into h5wasm's heap and returns `use` of a view
 * of them, without the copy out of the heap that {@link readBytes} makes (it cost 5 times the
 * read itself on 85 MB: fresh memory, touched page by page). The view is freed when `use`
 * returns: `use` must not keep it. Datasets of a build not registered, or of another element
 * size, are read with {@link readBytes}.
 * @throws {InvalidFormatError} as {@link readBytes}; h5wasm's own errors when HDF5 cannot read
 */
export function withBytes<T>(dataset: Dataset, start: number, end: number, use: (bytes: Uint8Array) => T): T {
  const build = builds.find((b) => dataset instanceof b.Dataset);
  const { shape, size } = dataset.metadata;
  // one byte per element, or HDF5 would write more than the buffer holds
  if (!build || size !== 1 || shape?.length !== 1 || !(0 <= start && start < end && end <= (shape[0] as number))) {
    return use(readBytes(dataset, start, end));
  }
  const { module } = build;
  const ptr = module._malloc(end - start);
  if (ptr === 0) throw new InvalidFormatError(dataset.path, `h5wasm cannot allocate ${end - start} bytes to read [${start}, ${end})`);
  try {
    module.get_dataset_data(dataset.file_id, dataset.path, [BigInt(end - start)], [BigInt(start)], [1n], BigInt(ptr));
    return use(module.HEAPU8.subarray(ptr, ptr + end - start)); // HEAPU8 after the read: the heap may have grown
  } finally {
    module._free(ptr);
  }
}

/**
 * Writes `bytes` into a 1-D uint8 dataset from byte `at`, in pieces of at most `maxTransferBytes`.
 * The dataset must already be at least `at + bytes.length` long.
 */
export function writeBytes(dataset: Dataset, at: number, bytes: Uint8Array, maxTransferBytes: number): void {
  for (let done = 0; done < bytes.length; done += maxTransferBytes) {
    const piece = bytes.subarray(done, Math.min(bytes.length, done + maxTransferBytes));
    dataset.write_slice([[at + done, at + done + piece.length]], piece);
  }
}
