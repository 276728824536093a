/**
 * Node entry point: everything of `@flacarray/zarr`, plus directory stores on disk.
 */
import { type FileHandle, mkdir, open, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type WriteOutputsOptions, writeOutputs } from "@flacarray/core/node";
import type { AbsolutePath, AsyncMutable, RangeQuery } from "@zarrita/storage";
import * as zarr from "zarrita";

import type { ReadsRangeInto } from "./compressed-bytes.js";
import { checkKey } from "./location.js";

export * from "./index.js";

/**
 * A Zarr store in a directory. Unlike a plain file system store, a range read of a truncated
 * file returns the bytes that are there (so a reader sees the truncation), and every file is
 * written under a temporary name and renamed, so no file is ever seen half-written.
 */
export class DirectoryStore implements AsyncMutable, ReadsRangeInto {
  constructor(readonly root: string) {}

  /** The file of a key, which must lie inside the root. */
  private file(key: AbsolutePath): string {
    checkKey(key, this.root);
    return join(this.root, ...key.split("/").filter(Boolean));
  }

  async get(key: AbsolutePath): Promise<Uint8Array | undefined> {
    return readFile(this.file(key)).then(
      (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
      (err) => (err.code === "ENOENT" || err.code === "ENOTDIR" ? undefined : Promise.reject(err)),
    );
  }

  async getRange(key: AbsolutePath, range: RangeQuery): Promise<Uint8Array | undefined> {
    return this.withFile(key, async (handle, size) => {
      const [offset, length] =
        "suffixLength" in range ? [Math.max(0, size - range.suffixLength), range.suffixLength] : [range.offset, range.length];
      const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      return buffer.subarray(0, await readFully(handle, buffer, offset));
    });
  }

  /**
   * Reads `into.length` bytes of `key` from byte `offset` straight into `into`; returns the bytes
   * read (fewer when the file is shorter), or undefined when there is no such file.
   */
  async readRangeInto(key: AbsolutePath, offset: number, into: Uint8Array): Promise<number | undefined> {
    return this.withFile(key, (handle, size) =>
      readFully(handle, into.subarray(0, Math.max(0, Math.min(into.length, size - offset))), offset),
    );
  }

  /** Runs `use` on the open file of `key` and its size, then closes it; undefined when there is no such file. */
  private async withFile<T>(key: AbsolutePath, use: (handle: FileHandle, size: number) => Promise<T>): Promise<T | undefined> {
    const handle = await open(this.file(key), "r").catch((err) => (err.code === "ENOENT" ? undefined : Promise.reject(err)));
    if (!handle) return undefined;
    try {
      return await use(handle, (await handle.stat()).size);
    } finally {
      await handle.close();
    }
  }

  async set(key: AbsolutePath, value: Uint8Array): Promise<void> {
    const file = this.file(key);
    await mkdir(dirname(file), { recursive: true });
    const temporary = `${file}.partial-${process.pid}`;
    await writeFile(temporary, value);
    await rename(temporary, file);
  }
}

/** Reads `buffer.length` bytes from `offset` (more than one read if the system returns fewer), or up to the end of the file. */
async function readFully(handle: FileHandle, buffer: Uint8Array, offset: number): Promise<number> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, offset + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/**
 * The root of a Zarr store in a directory (created when written to). Resolve a group inside it
 * with `.resolve("path/to/group")`. Remote stores need no opening: pass their URL to the readers.
 * @example
 * const { data, shape } = await readArray(openZarr("rec.zarr").resolve("ap"), { keep });
 */
export function openZarr(path: string): zarr.Location<DirectoryStore> {
  return zarr.root(new DirectoryStore(path));
}

/** Options of {@link createStore}: `force` to replace a store, `inputs` it must never replace. */
export type CreateStoreOptions = WriteOutputsOptions;

/**
 * Writes a new directory store safely: `build` fills a store in a temporary directory beside
 * `path`, which is renamed to `path` only when `build` has finished. If `build` throws, the
 * temporary directory is removed and `path` is untouched. While it runs, `path.lock` keeps other
 * writers of `path` out.
 * @throws {OutputExistsError} when `path` exists and `force` is not set, another process is
 *   writing it, or it is one of `inputs`
 * @example
 * await createStore("rec.zarr", (root) => writeArray({ data, shape }, root.resolve("ap")));
 */
export async function createStore<T>(
  path: string,
  build: (root: zarr.Location<DirectoryStore>) => T | Promise<T>,
  options: CreateStoreOptions = {},
): Promise<T> {
  return writeOutputs(
    [path],
    async ([temporary]) => {
      await mkdir(temporary);
      return build(zarr.root(new DirectoryStore(temporary)));
    },
    options,
  );
}
