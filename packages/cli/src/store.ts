/**
 * Recordings in HDF5 files (`.h5`, `.hdf5`) and Zarr stores (`.zarr`, or an http(s) URL):
 * written stream by stream under a temporary name, and opened for reading with their layout,
 * attributes and a reader of `compressed` byte ranges.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidArgumentError, NAMES, type StoredLayout } from "@flacarray/core";
import * as hdf5 from "@flacarray/hdf5/node";
import * as zarr from "@flacarray/zarr/node";
import type { File, Group } from "h5wasm";
import { reportLeftover } from "./cli.js";
import { type RecordingInfo, readRecordingInfo, recordingAttributes } from "./recording.js";

/** A flacarray group opened for reading. */
export interface StoredRecording {
  /** File and group, for messages. */
  where: string;
  layout: StoredLayout;
  attrs: Record<string, unknown>;
  /** The recording attributes; undefined for ordinary flacarray groups. */
  info: RecordingInfo | undefined;
  /** Bytes `[start, end)` of `compressed`. */
  read(start: number, end: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Streams appended to a new recording group (see {@link writeRecording}). */
export interface RecordingWriter {
  append(compressed: Uint8Array, streamBytes: ArrayLike<number>): Promise<void>;
  /** Writes the tables and attributes; returns the group opened for reading (to verify it). */
  finish(info: RecordingInfo): Promise<StoredRecording>;
}

type Container = "hdf5" | "zarr";

/** The container a path or URL names, by its extension. */
export function containerOf(path: string): Container | undefined {
  if (/^https?:\/\//i.test(path) || /\.zarr\/?$/i.test(path)) return "zarr";
  if (/\.(h5|hdf5)$/i.test(path)) return "hdf5";
  return undefined;
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
            return hdf5Recording(file, false);
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
          return zarrRecording(root);
        },
      });
    },
    { force: options.force, inputs: options.inputs, onLeftover: reportLeftover },
  );
}

function hdf5Recording(file: File | Group, owned: boolean): StoredRecording {
  const { layout, compressed, where } = hdf5.openStoredGroup(file);
  const attrs = Object.fromEntries(
    Object.entries(file.attrs).map(([k, a]) => {
      const v = a.value as unknown;
      return [
        k,
        typeof v === "bigint"
          ? Number(v)
          : ArrayBuffer.isView(v) && (v as unknown as ArrayLike<unknown>).length === 1
            ? Number((v as unknown as ArrayLike<unknown>)[0])
            : v,
      ];
    }),
  );
  return {
    where,
    layout,
    attrs,
    info: readRecordingInfo(attrs, layout.leadingShape, layout.streamSize, where),
    read: async (start, end) => hdf5.readBytes(compressed, start, end),
    close: async () => {
      if (owned) (file as File).close();
    },
  };
}

async function zarrRecording(source: zarr.GroupSource): Promise<StoredRecording> {
  const { layout, compressed, where, attrs } = await zarr.openStoredGroup(source);
  return {
    where,
    layout,
    attrs,
    info: readRecordingInfo(attrs, layout.leadingShape, layout.streamSize, where),
    read: (start, end) => compressed.reader([{ start, end }])({ start, end }),
    close: async () => {},
  };
}

/**
 * Opens a flacarray group (default the root) of an HDF5 file or Zarr store (a path or an http(s)
 * URL of a Zarr store).
 * @throws {InvalidArgumentError} for a path that is neither; the readers' errors for a group that is not a flacarray
 */
export async function openRecording(path: string, group = "/"): Promise<StoredRecording> {
  const container = containerOf(path);
  if (container === "hdf5") {
    const file = await hdf5.openFile(path);
    try {
      const rec = hdf5Recording(hdf5.openGroup(file, group), false);
      return {
        ...rec,
        close: async () => {
          file.close();
        },
      };
    } catch (err) {
      file.close();
      throw err;
    }
  }
  if (container === "zarr") {
    if (/^https?:/i.test(path)) return zarrRecording(group === "/" ? path : `${path.replace(/\/$/, "")}/${group.replace(/^\//, "")}`);
    return zarrRecording(zarr.openZarr(path).resolve(group.replace(/^\//, "") || "."));
  }
  throw new InvalidArgumentError(`${path}: expected an .h5/.hdf5 file, a .zarr store or the URL of a Zarr store`);
}

/** Paths of the flacarray groups inside a local HDF5 file or Zarr store, found by walking it. */
export async function findFlacArrayGroups(path: string): Promise<string[]> {
  const found: string[] = [];
  if (containerOf(path) === "hdf5") {
    const file = await hdf5.openFile(path);
    const walk = (g: Group, at: string) => {
      if (NAMES.formatVersion in g.attrs) found.push(at || "/");
      for (const key of g.keys()) {
        const child = g.get(key);
        if (child && (child as Group).type === "Group") walk(child as Group, `${at}/${key}`);
      }
    };
    walk(file, "");
    file.close();
  } else if (!/^https?:/i.test(path)) {
    const walk = (dir: string, at: string) => {
      for (const name of [".zattrs", "zarr.json"]) {
        const file = join(dir, name);
        if (existsSync(file) && readFileSync(file, "utf8").includes(NAMES.formatVersion)) found.push(at || "/");
      }
      for (const entry of readdirSync(dir, { withFileTypes: true }))
        if (entry.isDirectory()) walk(join(dir, entry.name), `${at}/${entry.name}`);
    };
    walk(path, "");
  }
  return found;
}
