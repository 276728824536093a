/** A {@link Reader} that can also write the whole recording back to a raw `.bin` file. */
import { open } from "node:fs/promises";
import { writeOutputs } from "@flacarray/core/node";
import { bytesOf, isFloat } from "../dtype.js";
import { CheckFailedError } from "../errors.js";
import { Reader } from "../reader.js";

/** Options of {@link NodeReader.toFile}. */
export interface ToFileOptions {
  /** Replace an existing file (mtsdecomp -f). Default false. */
  overwrite?: boolean;
  /** Chunks decompressed at once (default 4). */
  concurrency?: number;
  /**
   * Compare the SHA-1 of what was written with the header's `sha1_uncompressed` (default true;
   * skipped for floats, which mtscomp does not store losslessly, and for chopped files, which
   * have no hash).
   */
  check?: boolean;
  /** Called after each chunk with the chunks done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** A {@link Reader} of a file or URL in Node, with {@link NodeReader.toFile}. */
export class NodeReader extends Reader {
  /**
   * Decompresses everything into a raw C-order file at `path` (Python's `Reader.tofile`),
   * chunks decoded in parallel, written under a temporary name and renamed when complete.
   * @returns the bytes written and their SHA-1
   * @throws {CheckFailedError} when the written samples do not hash to the header's `sha1_uncompressed`
   */
  async toFile(path: string, options: ToFileOptions = {}): Promise<{ bytes: number; sha1: string }> {
    return writeOutputs(
      [path],
      async ([temporary]) => {
        const file = await open(temporary as string, "w");
        const hash = this.backend.sha1();
        let bytes = 0;
        try {
          for await (const chunk of this.chunks({ concurrency: options.concurrency })) {
            const raw = bytesOf(chunk.data);
            await file.write(raw);
            hash.update(raw);
            bytes += raw.length;
            options.onProgress?.(chunk.index + 1, this.nChunks);
          }
        } finally {
          await file.close();
        }
        const sha1 = hash.hex();
        const expected = this.header.json.sha1_uncompressed;
        if ((options.check ?? true) && typeof expected === "string" && !isFloat(this.dtype) && expected.toLowerCase() !== sha1) {
          throw new CheckFailedError(
            this.name,
            -1,
            `the decompressed samples have SHA-1 ${sha1}, the header's sha1_uncompressed is ${expected}`,
          );
        }
        return { bytes, sha1 };
      },
      { force: options.overwrite ?? false, inputs: [this.name] },
    );
  }
}
