import { FlacArrayError } from "@flacarray/core";

/** Which numcodecs codec an {@link InvalidChunkError} is about. */
export type CodecName = "wavpack" | "flac";

/**
 * A numcodecs chunk is corrupt, truncated, or not what its codec writes: it says which codec,
 * which WavPack block (or FLAC frame), the byte offset inside the chunk, and what was expected.
 */
export class InvalidChunkError extends FlacArrayError<"InvalidChunkError"> {
  readonly _tag = "InvalidChunkError" as const;
  override readonly name = "InvalidChunkError";
  /** The codec of the chunk. */
  readonly codec: CodecName;
  /** Index of the WavPack block at fault, or -1 when the fault is not in one block. */
  readonly block: number;
  /** Byte offset of the problem inside the chunk. */
  readonly byteOffset: number;
  /** What was wrong: expected vs found. */
  readonly reason: string;
  /** The store and chunk key, when the chunk came from a store. */
  readonly path: string | undefined;

  constructor(codec: CodecName, block: number, byteOffset: number, reason: string, options?: ErrorOptions & { path?: string }) {
    const where = `${codec} chunk${block >= 0 ? `, block ${block}` : ""}, byte ${byteOffset}`;
    super(`${options?.path ? `${options.path}: ` : ""}${where}: ${reason}`, options);
    this.codec = codec;
    this.block = block;
    this.byteOffset = byteOffset;
    this.reason = reason;
    this.path = options?.path;
  }
}

/** A numcodecs config this package cannot build a codec from. */
export class UnsupportedCodecError extends FlacArrayError<"UnsupportedCodecError"> {
  readonly _tag = "UnsupportedCodecError" as const;
  override readonly name = "UnsupportedCodecError";
  /** The config's `id`. */
  readonly id: string;
  constructor(id: string, reason: string) {
    super(`numcodecs codec "${id}": ${reason}`);
    this.id = id;
  }
}
