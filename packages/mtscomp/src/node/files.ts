/** Files for the Node entry: a random-access source, and outputs written under temporary names. */
import { existsSync } from "node:fs";
import { type FileHandle, open, rename, rm, stat } from "node:fs/promises";
import type { ByteSource } from "../byte-source.js";
import { OutputExistsError, SourceError } from "../errors.js";

/** A {@link ByteSource} over a file; the size is read now, the file opened on the first read. */
export async function fileSource(path: string): Promise<ByteSource> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw new SourceError(path, `cannot open: ${(e as Error).message}`, { cause: e });
  }
  let handle: Promise<FileHandle> | undefined;
  return {
    name: path,
    size,
    async read(offset, length) {
      if (offset + length > size)
        throw new SourceError(path, `needed bytes ${offset}-${offset + length} but the file ends at byte ${size}`);
      handle ??= open(path, "r");
      const bytes = new Uint8Array(length);
      for (let done = 0; done < length; ) {
        const { bytesRead } = await (await handle).read(bytes, done, length - done, offset + done);
        if (bytesRead === 0) throw new SourceError(path, `file ended at byte ${offset + done} (expected ${length} bytes from ${offset})`);
        done += bytesRead;
      }
      return bytes;
    },
    async close() {
      const h = handle;
      handle = undefined;
      if (h) await (await h).close();
    },
  };
}

/**
 * Writes files safely: `build` writes each output's temporary name; they are renamed to their
 * final names (in the given order) only when `build` has finished. On any error the temporary
 * files are removed and existing outputs are untouched.
 * @throws {OutputExistsError} when an output exists and `overwrite` is not set
 */
export async function writeFilesSafely<T>(paths: string[], overwrite: boolean, build: (temporary: string[]) => Promise<T>): Promise<T> {
  if (!overwrite) for (const p of paths) if (existsSync(p)) throw new OutputExistsError(p);
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const temporary = paths.map((p) => `${p}.partial-${stamp}`);
  try {
    const result = await build(temporary);
    for (let i = 0; i < paths.length; i++) await rename(temporary[i] as string, paths[i] as string);
    return result;
  } catch (e) {
    await Promise.all(temporary.map((t) => rm(t, { force: true })));
    throw e;
  }
}
