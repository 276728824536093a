/**
 * Typed errors of @flacarray/mtscomp. Each says what went wrong and where (file, chunk, byte
 * offset, expected vs found) and carries a `_tag` so callers can narrow with {@link isMtscompError}.
 */
import { FlacArrayError, OutputExistsError } from "@flacarray/core";

export { OutputExistsError };

/** The tags of all mtscomp errors. */
export type MtscompErrorTag = "HeaderError" | "CorruptChunkError" | "InputError" | "IndexError" | "CheckFailedError" | "SourceError";

/** Base class of the errors of this package; like every error of the project, a {@link FlacArrayError}. */
export abstract class MtscompError<T extends MtscompErrorTag = MtscompErrorTag> extends FlacArrayError<T> {}

/** The `.ch` header is missing a key, has a wrong value, or disagrees with the `.cbin`. */
export class HeaderError extends MtscompError<"HeaderError"> {
  readonly _tag = "HeaderError" as const;
  override readonly name = "HeaderError";
  /** The `.ch` (or `.cbin`) file. */
  readonly file: string;
  /** The header key at fault, or "" for the whole header. */
  readonly key: string;
  constructor(file: string, key: string, reason: string, options?: ErrorOptions) {
    super(`${file}: ${key ? `"${key}": ` : ""}${reason}`, options);
    this.file = file;
    this.key = key;
  }
}

/** A compressed chunk of the `.cbin` is truncated, corrupt or decodes to the wrong size. */
export class CorruptChunkError extends MtscompError<"CorruptChunkError"> {
  readonly _tag = "CorruptChunkError" as const;
  override readonly name = "CorruptChunkError";
  /** The `.cbin` file. */
  readonly file: string;
  /** Index of the chunk. */
  readonly chunk: number;
  /** Byte offset of the chunk in the `.cbin`. */
  readonly byteOffset: number;
  constructor(file: string, chunk: number, byteOffset: number, reason: string, options?: ErrorOptions) {
    super(`${file}: chunk ${chunk} at byte ${byteOffset}: ${reason}`, options);
    this.file = file;
    this.chunk = chunk;
    this.byteOffset = byteOffset;
  }
}

/** The data or options given to compress are unusable (size, dtype, sample rate, shape). */
export class InputError extends MtscompError<"InputError"> {
  readonly _tag = "InputError" as const;
  override readonly name = "InputError";
  /** The input (a path, or "input array"). */
  readonly input: string;
  constructor(input: string, reason: string) {
    super(`${input}: ${reason}`);
    this.input = input;
  }
}

/** A row or channel index is out of range, or a selection is not supported. */
export class IndexError extends MtscompError<"IndexError"> {
  readonly _tag = "IndexError" as const;
  override readonly name = "IndexError";
}

/** The check after compressing or decompressing found data that differ from the source. */
export class CheckFailedError extends MtscompError<"CheckFailedError"> {
  readonly _tag = "CheckFailedError" as const;
  override readonly name = "CheckFailedError";
  /** The file that was checked. */
  readonly file: string;
  /** The first chunk that differs, or -1 when a whole-file hash differs. */
  readonly chunk: number;
  constructor(file: string, chunk: number, reason: string) {
    super(`${file}: ${chunk >= 0 ? `chunk ${chunk}: ` : ""}check failed: ${reason}`);
    this.file = file;
    this.chunk = chunk;
  }
}

/** Reading bytes failed: a short file, an HTTP error, a server that ignores ranges badly. */
export class SourceError extends MtscompError<"SourceError"> {
  readonly _tag = "SourceError" as const;
  override readonly name = "SourceError";
  /** The file or URL. */
  readonly source: string;
  constructor(source: string, reason: string, options?: ErrorOptions) {
    super(`${source}: ${reason}`, options);
    this.source = source;
  }
}

/** True for every error of this package, and for an output that cannot be written ({@link OutputExistsError}). */
export function isMtscompError(e: unknown): e is MtscompError | OutputExistsError {
  return e instanceof MtscompError || e instanceof OutputExistsError;
}
