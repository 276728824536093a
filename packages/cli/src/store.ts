/**
 * Writing recordings into HDF5 files (`.h5`, `.hdf5`) and Zarr stores (`.zarr`): stream by
 * stream, under a temporary name. Reading them back is `@flacarray/recording`'s.
 */
import { InvalidArgumentError } from "@flacarray/core";
import * as hdf5 from "@flacarray/hdf5/node";
import {
  containerOf,
  hdf5Stored,
  type RecordingInfo,
  recordingAttributes,
  type StoredRecording,
  zarrStored,
} from "@flacarray/recording/node";
import * as zarr from "@flacarray/zarr/node";
import { reportLeftover } from "./cli.js";

/** Streams appended to a new recording group (see {@link writeRecording}). */
export interface RecordingWriter {
  append(compressed: Uint8Array, streamBytes: ArrayLike<number>): Promise<void>;
  /** Writes the tables and attributes; returns the group opened for reading (to verify it). */
  finish(info: RecordingInfo): Promise<StoredRecording>;
}

/**
 * Writes a new recording file or store at `path`: `build` appends the streams and finishes; the
 * output gets its name only when `build` returns. A thrown error leaves nothing at `path`.
 * @throws {InvalidArgumentError} for an unknown extension
 * @throws {OutputExistsError} for an existing output without `force`, one another process is writing, or one of `inputs`
 */
export async function writeRecording<T>(
  path: string,
  options: { force: boolean; chunkSamples: number; inputs: string[] },
  build: (writer: RecordingWriter) => Promise<T>,
): Promise<T> {
  const container = containerOf(path);
  if (container === undefined || /^https?:/i.test(path))
    throw new InvalidArgumentError(`${path}: the output must end in .h5, .hdf5 or .zarr`);
  const appendOptions = { streamSize: options.chunkSamples, dtype: "int32" as const };
  if (container === "hdf5") {
    return hdf5.createFile(
      path,
      async (file) => {
        const appender = hdf5.appendFlacArray(file, appendOptions);
        return build({
          append: async (compressed, streamBytes) => appender.append(compressed, streamBytes),
          finish: async (info) => {
            appender.finish([Math.ceil(info.nSamples / info.chunkSamples), info.nChannels]);
            for (const [name, value] of Object.entries(recordingAttributes(info))) {
              if (typeof value === "string") file.create_attribute(name, value);
              else if (Number.isInteger(value)) file.create_attribute(name, BigInt64Array.of(BigInt(value)), [], "<q");
              else file.create_attribute(name, Float64Array.of(value), [], "<d");
            }
            return hdf5Stored(file);
          },
        });
      },
      { force: options.force, inputs: options.inputs, onLeftover: reportLeftover },
    );
  }
  return zarr.createStore(
    path,
    async (root) => {
      const appender = await zarr.appendFlacArray(root, appendOptions);
      return build({
        append: (compressed, streamBytes) => appender.append(compressed, streamBytes),
        finish: async (info) => {
          // the recording attributes first: finishing merges the flacarray ones into them
          await root.store.set("/.zattrs", new TextEncoder().encode(JSON.stringify(recordingAttributes(info), null, 4)));
          await appender.finish([Math.ceil(info.nSamples / info.chunkSamples), info.nChannels]);
          return zarrStored(root);
        },
      });
    },
    { force: options.force, inputs: options.inputs, onLeftover: reportLeftover },
  );
}
