/**
 * Opening a recording in Node: everything the browser entry opens, plus files and folders: HDF5
 * files and Zarr stores, mtscomp `.cbin`/`.ch`, SpikeGLX `.bin` + `.meta`, Open Ephys binary
 * (`structure.oebin` or its folder) and legacy Open Ephys (`.continuous` files or their folder).
 * Files are recognised by their content where they have a signature.
 */
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { bytesOf, InvalidArgumentError, InvalidFormatError, startWorkers } from "@flacarray/core";
import { nodeHttpFetch } from "@flacarray/core/node";
import * as hdf5 from "@flacarray/hdf5/node";
import { decompress } from "@flacarray/mtscomp/node";
import * as zarr from "@flacarray/zarr/node";
import { flacarrayRecording } from "../flacarray-recording.js";
import { chooseGroup } from "../hdf5-groups.js";
import { cbinOf, mtscompRecording } from "../mtscomp-recording.js";
import { isHdf5, type OpenRecordingOptions, openRecording as openInBrowser, type RecordingSource } from "../open.js";
import type { Recording } from "../recording.js";
import { rowsRecording } from "../rows-recording.js";
import { hdf5Stored } from "../stored-group.js";
import { openZarrRecording } from "../zarr-recording.js";
import { openRemoteHdf5 } from "./hdf5-ranges.js";
import { findFlacArrayGroups } from "./open-stored.js";
import { oebinOf, openEphysStream } from "./openephys.js";
import { isLegacyOpenEphys, openLegacyOpenEphys } from "./openephys-legacy.js";
import { rawFileRecording } from "./raw-recording.js";
import { findMeta } from "./spikeglx.js";

/** The first bytes of a file. */
function headOf(path: string): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const head = new Uint8Array(8);
    return head.subarray(0, readSync(fd, head, 0, 8, 0));
  } finally {
    closeSync(fd);
  }
}

/** The bytes of a Blob or bytes with the HDF5 signature, or undefined for other sources. */
async function hdf5BytesOf(source: Blob | ArrayBuffer | ArrayBufferView): Promise<{ bytes: Uint8Array; where: string } | undefined> {
  const bytes = await bytesOf(source);
  if (!isHdf5(bytes)) return undefined;
  return { bytes, where: source instanceof Blob && "name" in source ? String((source as File).name) : "the bytes given" };
}

/**
 * Opens HDF5 bytes in Node through a temporary file and `openFile`, which first reads the file on
 * a worker thread under a deadline (`timeoutMs`): HDF5 spins forever on some damaged files, and
 * nothing could stop it on this thread. The temporary file is removed by `close()`.
 */
async function openHdf5Bytes(bytes: Uint8Array, where: string, options: OpenRecordingOptions): Promise<Recording> {
  const dir = mkdtempSync(join(tmpdir(), "flacarray-recording-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const path = join(dir, "recording.h5");
    writeFileSync(path, bytes);
    const file = await hdf5.openFile(path, "r", { timeoutMs: options.timeoutMs });
    try {
      const rec = flacarrayRecording(hdf5Stored(chooseGroup(file, options.group, where), file, where), "flacarray-hdf5", options);
      return {
        ...rec,
        close: async () => {
          await rec.close();
          remove();
        },
      };
    } catch (err) {
      file.close();
      throw err;
    }
  } catch (err) {
    remove();
    throw err;
  }
}

/** Whether a folder is a Zarr store or group. */
const isZarr = (dir: string) => [".zgroup", ".zattrs", "zarr.json"].some((f) => existsSync(join(dir, f)));

/**
 * Opens a recording from a file or folder path, or anything the browser entry opens (URLs, Blobs, bytes).
 * @throws {InvalidArgumentError} for a path that does not exist or is no recording this package reads
 * @throws {InvalidSelectionError} when a file holds several groups or streams and the options choose none
 * @throws the format's errors, naming the file
 */
export async function openRecording(source: RecordingSource, given: OpenRecordingOptions = {}): Promise<Recording> {
  // requests through node:http unless told otherwise: Node's fetch costs several times more per request
  const options = { fetch: nodeHttpFetch, ...given };
  if (options.workers) startWorkers(options.workers);
  if (typeof source === "string" || source instanceof URL) {
    const url = String(source);
    if (/^https?:\/\//i.test(url) && /\.(h5|hdf5)$/i.test(new URL(url).pathname)) {
      return flacarrayRecording(await openRemoteHdf5(url, options.group, options), "flacarray-hdf5", options);
    }
    // a remote .cbin through mtscomp's Node entry: node:zlib inflates its chunks off this thread
    const cbin = /^https?:\/\//i.test(url) ? cbinOf(url) : undefined;
    if (cbin) return mtscompRecording(await decompress(cbin, undefined, options), cbin);
    if (source instanceof URL || /^https?:\/\//i.test(url)) return openInBrowser(source, options);
  } else {
    const bytes = await hdf5BytesOf(source);
    return bytes ? openHdf5Bytes(bytes.bytes, bytes.where, options) : openInBrowser(source, options);
  }
  const path = source;
  const kind = statSync(path, { throwIfNoEntry: false });
  if (!kind) throw new InvalidArgumentError(`${path}: no such file or folder`);
  const oebin = oebinOf(path);
  if (oebin) {
    const stream = openEphysStream(oebin, options.stream);
    return rawFileRecording(stream.datPath, stream.nChannels, {
      format: "openephys",
      sampleRate: options.sampleRate ?? stream.sampleRate,
      bitVolts: stream.bitVolts,
      channelNames: stream.channelNames,
    });
  }
  if (kind.isDirectory() && isZarr(path)) {
    let group = options.group;
    if (group === undefined) {
      const found = await findFlacArrayGroups(path);
      group = found.length === 1 ? found[0] : "/";
    }
    return openZarrRecording(zarr.openZarr(path).resolve(group.replace(/^\//, "") || "."), options);
  }
  const head = kind.isFile() ? headOf(path) : undefined;
  if (isLegacyOpenEphys(path, head)) {
    const legacy = await openLegacyOpenEphys(path, options.stream);
    return rowsRecording(legacy.source, {
      format: "openephys",
      sampleRate: options.sampleRate ?? legacy.sampleRate,
      bitVolts: legacy.bitVolts,
      channelNames: legacy.channelNames,
    });
  }
  if (!kind.isFile() || head === undefined) throw new InvalidArgumentError(`${path}: a folder that holds no recording this package reads`);
  if (isHdf5(head)) {
    const file = await hdf5.openFile(path);
    try {
      return flacarrayRecording(hdf5Stored(chooseGroup(file, options.group, path), file, path), "flacarray-hdf5", options);
    } catch (err) {
      file.close();
      throw err;
    }
  }
  const cbin = cbinOf(path);
  if (cbin) return mtscompRecording(await decompress(cbin, undefined, options), cbin);
  const meta = findMeta(path);
  if (meta?.nChannels !== undefined) {
    return rawFileRecording(path, meta.nChannels, { format: "spikeglx", sampleRate: options.sampleRate ?? meta.sampleRate });
  }
  throw new InvalidFormatError(
    path,
    `is not a recording this package reads (${basename(path)}: no HDF5 signature, not .cbin/.ch, no SpikeGLX .meta beside it, not Open Ephys)`,
  );
}
