/**
 * Writing a flacarray group stream by stream, for data too large to hold: `compressed` is a
 * chunked dataset that grows as streams arrive; the stream tables and attributes are written by
 * `finish`, once the leading shape is known.
 */
import { concatBytes, NAMES, StreamTableBuilder } from "@flacarray/core";
import type { Dataset, Group } from "h5wasm";
import { DEFAULT_MAX_TRANSFER_BYTES, writeBytes } from "./transfer.js";
import { assertWritable, createGrowingBytes, LARGE_CHUNK_BYTES, writeTablesAndAttributes } from "./write.js";

/** A flacarray group being written stream by stream (see {@link appendFlacArray}). */
export interface FlacArrayAppender {
  /** Appends FLAC streams: their bytes one after another, and the byte length of each. */
  append(compressed: Uint8Array, streamBytes: ArrayLike<number>): void;
  /** Writes the stream tables for `leadingShape` and the attributes. */
  finish(leadingShape: number[]): void;
}

/** Options of {@link appendFlacArray}. */
export interface AppendOptions {
  /** Samples per stream (every stream). */
  streamSize: number;
  /** The integer dtype the streams hold (int32: one FLAC channel; int64: two). */
  dtype: "int32" | "int64";
}

/**
 * Starts writing a flacarray group of integers stream by stream into an HDF5 group, in the
 * layout `writeFlacArray` writes: a chunked `compressed` (4 MiB chunks) for data of 4 MiB or
 * more, a contiguous one otherwise. Memory stays at 4 MiB plus 16 bytes per stream; the bytes go
 * to the file as they come.
 * @throws {InvalidArgumentError} as `writeFlacArray` for groups that cannot take a flacarray
 */
export function appendFlacArray(group: Group, options: AppendOptions): FlacArrayAppender {
  assertWritable(group);
  const tables = new StreamTableBuilder();
  // the first bytes wait here: data that never fill a chunk become a contiguous dataset of their
  // exact size (a chunked one would take a whole 4 MiB chunk on disk)
  let pending: Uint8Array[] = [];
  let dataset: Dataset | undefined;
  const write = (bytes: Uint8Array, at: number) => {
    (dataset as Dataset).resize([at + bytes.length]);
    writeBytes(dataset as Dataset, at, bytes, DEFAULT_MAX_TRANSFER_BYTES);
  };
  return {
    append(compressed, streamBytes) {
      const at = tables.nbytes;
      tables.add(streamBytes, compressed.length);
      if (dataset) return write(compressed, at);
      pending.push(compressed.slice());
      if (tables.nbytes < LARGE_CHUNK_BYTES) return;
      dataset = createGrowingBytes(group);
      write(concatBytes(pending), 0);
      pending = [];
    },
    finish(leadingShape) {
      const built = tables.tables(leadingShape);
      if (!dataset) group.create_dataset({ name: NAMES.compressed, data: concatBytes(pending), dtype: "<B" });
      writeTablesAndAttributes(group, {
        ...built,
        leadingShape,
        streamOffsets: null,
        streamGains: null,
        streamSize: options.streamSize,
        dtype: options.dtype,
      });
    },
  };
}
