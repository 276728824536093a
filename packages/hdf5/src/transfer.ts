/**
 * Byte transfers between JavaScript and an HDF5 `uint8` dataset. h5wasm copies every transfer
 * through its WebAssembly heap (at most 2 GiB), so large reads and writes go in pieces.
 */
import { InvalidFormatError } from "@flacarray/core";
import type { Dataset } from "h5wasm";

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
