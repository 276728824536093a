/** Files for the Node entry: a random-access source over a file. */
import { type FileHandle, open, stat } from "node:fs/promises";
import type { ByteSource } from "../byte-source.js";
import { SourceError } from "../errors.js";

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
