/**
 * Typed errors of flacarray. Every error says what went wrong and where, with the
 * numbers as fields, and carries a `_tag` so callers can narrow with {@link isFlacArrayError}.
 */

/** The tags of all flacarray errors. */
export type FlacArrayErrorTag =
  | "InvalidStreamError"
  | "UnsupportedDtypeError"
  | "FormatVersionError"
  | "NotFoundError"
  | "InvalidSelectionError"
  | "QuantizationError"
  | "InvalidArgumentError"
  | "InvalidFormatError"
  | "ReadError"
  | "OutputExistsError"
  | "WriteError"
  | "WorkerError";

/**
 * Base class of every error this project throws on purpose, in every package: the format
 * adapters (mtscomp's `HeaderError`, say) extend it with tags of their own.
 */
export abstract class FlacArrayError<T extends string = FlacArrayErrorTag> extends Error {
  abstract readonly _tag: T;
}

/** An error about one file, group, URL or output: `path: reason`, both also as fields. */
export abstract class PathError<T extends string> extends FlacArrayError<T> {
  /** The file and group, dataset, key, URL or output at fault. */
  readonly path: string;
  /** What happened, without the location: what was expected and what was found. */
  readonly reason: string;
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`${path}: ${reason}`, options);
    this.path = path;
    this.reason = reason;
  }
}

/** A FLAC stream (or a set of streams) is corrupt, truncated or not FLAC at all. */
export class InvalidStreamError extends FlacArrayError<"InvalidStreamError"> {
  readonly _tag = "InvalidStreamError" as const;
  override readonly name = "InvalidStreamError";
  /** Index of the stream in its array, or -1 for a lone stream. */
  readonly stream: number;
  /** Byte offset of the problem, relative to the start of the stream. */
  readonly byteOffset: number;
  /** What was wrong, without the location. */
  readonly reason: string;
  /** Where the streams are stored (file and group), when known. */
  readonly path: string | undefined;
  /**
   * @param reason - what was wrong (expected vs found)
   * @param stream - stream index, or -1
   * @param byteOffset - byte offset inside the stream
   * @param options - `path`: the file and group holding the stream; `cause`
   */
  constructor(reason: string, stream: number, byteOffset: number, options?: ErrorOptions & { path?: string }) {
    const where = `${stream >= 0 ? `stream ${stream}` : "FLAC stream"}, byte ${byteOffset}`;
    super(`${options?.path ? `${options.path}: ` : ""}${where}: ${reason}`, options);
    this.stream = stream;
    this.byteOffset = byteOffset;
    this.reason = reason;
    this.path = options?.path;
  }
}

/** The array's dtype is not one flacarray stores (int32, int64, float32, float64). */
export class UnsupportedDtypeError extends FlacArrayError<"UnsupportedDtypeError"> {
  readonly _tag = "UnsupportedDtypeError" as const;
  override readonly name = "UnsupportedDtypeError";
  /** What was found instead (a constructor name or dtype string). */
  readonly found: string;
  constructor(found: string, where = "input array") {
    super(`${where}: unsupported dtype ${found} (expected int32, int64, float32 or float64)`);
    this.found = found;
  }
}

/** A stored flacarray group has a format version this reader does not know. */
export class FormatVersionError extends FlacArrayError<"FormatVersionError"> {
  readonly _tag = "FormatVersionError" as const;
  override readonly name = "FormatVersionError";
  /** The version attribute as found. */
  readonly found: unknown;
  /** The group path. */
  readonly path: string;
  constructor(path: string, found: unknown, reason = `unknown flacarray_format_version ${describeValue(found)} (expected 0 or "1")`) {
    super(`${path}: ${reason}`);
    this.found = found;
    this.path = path;
  }
}

/** A value found in a file as text for messages: JSON where JSON can say it, bigints and typed arrays too. */
export function describeValue(value: unknown): string {
  if (typeof value === "bigint") return `${value}`;
  if (ArrayBuffer.isView(value)) return `[${Array.from(value as unknown as ArrayLike<unknown>, describeValue).join(", ")}]`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The first complaint of an error message: HDF5's `error message = '...'` in an `HDF5-DIAG` dump, else the first line. */
export function firstComplaint(message: string): string {
  return /error message = '([^']*)'/.exec(message)?.[1] ?? message.split("\n")[0];
}

/** Something expected in a file or group is missing. */
export class NotFoundError extends FlacArrayError<"NotFoundError"> {
  readonly _tag = "NotFoundError" as const;
  override readonly name = "NotFoundError";
  /** Path of what is missing. */
  readonly path: string;
  constructor(path: string, what: string, options?: ErrorOptions) {
    super(`${path}: ${what}`, options);
    this.path = path;
  }
}

/** A keep mask, slice or index does not fit the array. */
export class InvalidSelectionError extends FlacArrayError<"InvalidSelectionError"> {
  readonly _tag = "InvalidSelectionError" as const;
  override readonly name = "InvalidSelectionError";
}

/** Floats cannot be converted to integers (NaN, missing or conflicting quanta/precision). */
export class QuantizationError extends FlacArrayError<"QuantizationError"> {
  readonly _tag = "QuantizationError" as const;
  override readonly name = "QuantizationError";
}

/** An option is out of its range (level outside 0–8, empty array, wrong shape...). */
export class InvalidArgumentError extends FlacArrayError<"InvalidArgumentError"> {
  readonly _tag = "InvalidArgumentError" as const;
  override readonly name = "InvalidArgumentError";
}

/** A stored group breaks the flacarray format: wrong dtypes, inconsistent stream tables, truncated data. */
export class InvalidFormatError extends PathError<"InvalidFormatError"> {
  readonly _tag = "InvalidFormatError" as const;
  override readonly name = "InvalidFormatError";
}

/** Reading from a store failed: an HTTP error status, a short answer, a file that cannot be read. */
export class ReadError extends PathError<"ReadError"> {
  readonly _tag = "ReadError" as const;
  override readonly name = "ReadError";
}

/** An output cannot be written: it exists (and replacing was not asked for), another process is writing it, or it is an input. */
export class OutputExistsError extends PathError<"OutputExistsError"> {
  readonly _tag = "OutputExistsError" as const;
  override readonly name = "OutputExistsError";
  /**
   * @param path - the output
   * @param reason - why it cannot be written (default: it exists)
   */
  constructor(path: string, reason = "the output already exists (use --force / force / overwrite to replace it)") {
    super(path, reason);
  }
}

/** Writing an output failed (a full disk, a read-only file system, HDF5 failing to write); nothing was left under its name. */
export class WriteError extends PathError<"WriteError"> {
  readonly _tag = "WriteError" as const;
  override readonly name = "WriteError";
}

/** A worker (thread or Web Worker) could not start, crashed or exited mid-job, or a job failed there with an error that is not a flacarray one. */
export class WorkerError extends FlacArrayError<"WorkerError"> {
  readonly _tag = "WorkerError" as const;
  override readonly name = "WorkerError";
}

type ErrorByTag = {
  InvalidStreamError: InvalidStreamError;
  UnsupportedDtypeError: UnsupportedDtypeError;
  FormatVersionError: FormatVersionError;
  NotFoundError: NotFoundError;
  InvalidSelectionError: InvalidSelectionError;
  QuantizationError: QuantizationError;
  InvalidArgumentError: InvalidArgumentError;
  InvalidFormatError: InvalidFormatError;
  ReadError: ReadError;
  OutputExistsError: OutputExistsError;
  WriteError: WriteError;
  WorkerError: WorkerError;
};

/**
 * The one guard for flacarray errors.
 * @param err - anything caught
 * @param tags - the tags to accept; none accepts every flacarray error
 * @returns whether `err` is a flacarray error with one of the tags
 * @example
 * try { fa.toArray() } catch (e) { if (isFlacArrayError(e, "InvalidStreamError")) console.log(e.stream) }
 */
export function isFlacArrayError<T extends FlacArrayErrorTag = FlacArrayErrorTag>(err: unknown, ...tags: T[]): err is ErrorByTag[T] {
  return err instanceof FlacArrayError && (tags.length === 0 || tags.includes(err._tag as T));
}
