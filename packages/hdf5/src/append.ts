/**
 * Writing a flacarray group stream by stream, for data too large to hold: `compressed` is a
 * chunked dataset that grows as streams arrive; the stream tables and attributes are written by
 * `finish`, once the leading shape is known.
 */
import { StreamTableBuilder } from "@flacarray/core";
import type { Group } from "h5wasm";
import { DEFAULT_MAX_TRANSFER_BYTES, writeBytes } from "./transfer.js";
import { assertWritable, createGrowingBytes, writeTablesAndAttributes } from "./write.js";

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
 * layout `writeFlacArray` writes for large data (a chunked `compressed`). Memory stays at 16
 * bytes per stream; the bytes go to the file as they come.
 * @throws {InvalidArgumentError} as `writeFlacArray` for groups that cannot take a flacarray
 */
export function appendFlacArray(group: Group, options: AppendOptions): FlacArrayAppender {
  assertWritable(group);
  const dataset = createGrowingBytes(group);
  const tables = new StreamTableBuilder();
  return {
    append(compressed, streamBytes) {
      const at = tables.nbytes;
      tables.add(streamBytes, compressed.length);
      dataset.resize([tables.nbytes]);
      writeBytes(dataset, at, compressed, DEFAULT_MAX_TRANSFER_BYTES);
    },
    finish(leadingShape) {
      const built = tables.tables(leadingShape);
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
