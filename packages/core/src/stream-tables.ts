/** Stream tables built as streams are appended one batch at a time (writers of data too large to hold). */
import { InvalidArgumentError } from "./errors.js";

/** The byte offset and length of every stream appended so far. */
export class StreamTableBuilder {
  private readonly starts: number[] = [];
  private readonly sizes: number[] = [];
  /** Bytes appended so far. */
  nbytes = 0;

  /**
   * Records streams of the given byte lengths, stored one after another.
   * @param compressedLength - the bytes given with them, which must be their sum
   * @throws {InvalidArgumentError} when the lengths do not add up to `compressedLength`
   */
  add(streamBytes: ArrayLike<number>, compressedLength: number): void {
    let sum = 0;
    for (let i = 0; i < streamBytes.length; i++) sum += streamBytes[i] as number;
    if (sum !== compressedLength)
      throw new InvalidArgumentError(`stream lengths add up to ${sum} bytes, but ${compressedLength} were given`);
    for (let i = 0; i < streamBytes.length; i++) {
      this.starts.push(this.nbytes);
      this.sizes.push(streamBytes[i] as number);
      this.nbytes += streamBytes[i] as number;
    }
  }

  /**
   * The tables as stored (`stream_starts`, `stream_bytes`: int64) for `leadingShape`.
   * @throws {InvalidArgumentError} when the shape does not hold the number of streams appended
   */
  tables(leadingShape: readonly number[]): { streamStarts: BigInt64Array; streamBytes: BigInt64Array; nbytes: number } {
    const n = leadingShape.reduce((a, b) => a * b, 1);
    if (n !== this.starts.length)
      throw new InvalidArgumentError(`leading shape [${leadingShape}] holds ${n} streams, ${this.starts.length} were appended`);
    return {
      streamStarts: BigInt64Array.from(this.starts, BigInt),
      streamBytes: BigInt64Array.from(this.sizes, BigInt),
      nbytes: this.nbytes,
    };
  }
}
