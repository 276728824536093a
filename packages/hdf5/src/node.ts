/**
 * Node entry point: everything of `@flacarray/hdf5`, plus files on disk through h5wasm's Node
 * build (`h5wasm/node`, which reads and writes the host file system directly).
 */
import { existsSync } from "node:fs";
import { NotFoundError } from "@flacarray/core";
import { type WriteOutputsOptions, writeOutputs } from "@flacarray/core/node";
import h5wasm, { type File } from "h5wasm/node";
import { rehearseRead } from "./node/preflight.js";
import { registerH5wasmBuild } from "./transfer.js";

export * from "./index.js";

let loaded = false;

/** Awaits h5wasm's Node build and makes HDF5 errors throw instead of only printing. */
async function ready(): Promise<void> {
  const module = await h5wasm.ready;
  if (!loaded) module.activate_throwing_error_handler();
  registerH5wasmBuild(h5wasm.Dataset, module);
  loaded = true;
}

/** Options of {@link openFile}. */
export interface OpenFileOptions {
  /**
   * Milliseconds a worker thread may take to rehearse reading the file before it is opened for
   * reading here (h5wasm is synchronous: on some corrupt files HDF5 never returns). 0 skips the
   * rehearsal. Default 30000.
   */
  timeoutMs?: number;
}

/**
 * Opens an HDF5 file on disk, as `h5py.File(path, mode)`. Awaits h5wasm first. An existing file
 * opened for reading ("r" or "a") is first read on a worker thread within `timeoutMs`, so a corrupt
 * file on which HDF5 would never return is an error instead of a hang.
 * @param mode - "r" (default), "a" (read/write, create if missing), "w" (create or truncate), "x" (create, fail if it exists)
 * @throws {NotFoundError} when the file cannot be opened (missing, or not HDF5), with h5wasm's error as `cause`
 * @throws {InvalidFormatError} when HDF5 does not finish reading it in time, or aborts on it
 * @example
 * const file = await openFile("recording.h5");
 * const { data, shape } = readArray(file.get("ap") as Group, { keep });
 * file.close();
 */
export async function openFile(path: string, mode: "r" | "a" | "w" | "x" = "r", options: OpenFileOptions = {}): Promise<File> {
  await ready();
  if (mode === "a" && !existsSync(path)) mode = "w";
  const timeoutMs = options.timeoutMs ?? 30_000;
  if ((mode === "r" || mode === "a") && timeoutMs > 0 && existsSync(path)) await rehearseRead(path, timeoutMs);
  try {
    return new h5wasm.File(path, mode);
  } catch (err) {
    throw new NotFoundError(path, `cannot open as HDF5 in mode "${mode}"`, { cause: err });
  }
}

/** Options of {@link createFile}: `force` to replace a file, `inputs` it must never replace. */
export type CreateFileOptions = WriteOutputsOptions;

/**
 * Writes a new HDF5 file safely: `build` fills a file with a temporary name beside `path`, which
 * is renamed to `path` only when `build` has finished and the file is closed. If `build` throws,
 * the temporary file is removed and `path` is untouched. While it runs, `path.lock` keeps other
 * writers of `path` out.
 * @throws {OutputExistsError} when `path` exists and `force` is not set, another process is
 *   writing it, or it is one of `inputs`
 * @example
 * await createFile("out.h5", (file) => writeArray({ data, shape }, file.create_group("ap")));
 */
export async function createFile<T>(path: string, build: (file: File) => T | Promise<T>, options: CreateFileOptions = {}): Promise<T> {
  return writeOutputs(
    [path],
    async ([temporary]) => {
      const file = await openFile(temporary, "x");
      let closed = false;
      try {
        const result = await build(file);
        file.close();
        closed = true;
        return result;
      } finally {
        if (!closed) file.close();
      }
    },
    options,
  );
}
