/**
 * Legacy Open Ephys recordings (GUI before 0.6, and the "Open Ephys" format of later GUIs): one
 * `.continuous` file per channel, `<processor>_<stream>CH<n>[_<recording>].continuous`. Each file
 * is a 1024-byte text header, then records of a little-endian int64 timestamp, a uint16 sample
 * count (1024), a uint16 recording number, 1024 big-endian int16 samples and a 10-byte marker
 * (0 1 2 3 4 5 6 7 8 255). The channel files of one recording are read together as rows.
 */

import { readdirSync, statSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { InvalidArgumentError, InvalidFormatError, InvalidSelectionError } from "@flacarray/core";
import type { SampleSource } from "@flacarray/mtscomp/node";

/** Bytes of the text header of every `.continuous` file. */
const HEADER_BYTES = 1024;
/** Samples per record: every GUI that writes this format writes 1024. */
const RECORD_SAMPLES = 1024;
/** Bytes of a record: timestamp, count, recording number, samples, marker. */
const RECORD_BYTES = 8 + 2 + 2 + 2 * RECORD_SAMPLES + 10;
const MARKER = [0, 1, 2, 3, 4, 5, 6, 7, 8, 255];
/** The first characters of a `.continuous` header. */
export const LEGACY_SIGNATURE = "header.format = 'Open Ephys Data Format'";

/** A channel file's name split into its recording's key and its place in the recording. */
const CHANNEL_FILE = /^(.*?)(CH|AUX|ADC)(\d+)(_\d+)?\.continuous$/;
/** Open Ephys order within a recording: headstage channels, then auxiliary, then ADC. */
const KIND_ORDER = ["CH", "AUX", "ADC"];

/** A legacy Open Ephys recording, ready to read by rows. */
export interface LegacyRecording {
  source: SampleSource & { dtype: "int16" };
  sampleRate: number;
  /** µV per count of each channel (`header.bitVolts`). */
  bitVolts: number[];
  /** Each channel's name (`header.channel`). */
  channelNames: string[];
}

/** Whether `path` is a `.continuous` file or a folder holding some. */
export function isLegacyOpenEphys(path: string, head: Uint8Array | undefined): boolean {
  if (head && new TextDecoder("latin1").decode(head.subarray(0, LEGACY_SIGNATURE.length)) === LEGACY_SIGNATURE) return true;
  if (path.endsWith(".continuous")) return true;
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true && readdirSync(path).some((f) => CHANNEL_FILE.test(f));
}

/** The fields of a `.continuous` header (`header.key = value;` lines), strings unquoted. */
function parseHeader(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const m of text.matchAll(/header\.(\w+)\s*=\s*(.*?);\s*$/gm)) fields.set(m[1] as string, (m[2] as string).replace(/^'(.*)'$/, "$1"));
  return fields;
}

/**
 * The channel files of the recording that `path` names: a `.continuous` file (with the other
 * channels of its recording beside it) or a folder; `stream` chooses among a folder's recordings
 * by key (the file name without its channel), a unique part of it, or an index.
 */
function channelFiles(path: string, stream: string | undefined): string[] {
  const isFolder = statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
  const folder = isFolder ? path : dirname(path);
  const byKey = new Map<string, { file: string; kind: number; number: number }[]>();
  for (const file of readdirSync(folder).sort()) {
    const m = CHANNEL_FILE.exec(file);
    if (!m) continue;
    const key = `${m[1]}${m[4] ?? ""}`;
    const list = byKey.get(key) ?? [];
    list.push({ file: join(folder, file), kind: KIND_ORDER.indexOf(m[2] as string), number: Number(m[3]) });
    byKey.set(key, list);
  }
  const keys = [...byKey.keys()];
  let key: string;
  if (!isFolder) {
    const m = CHANNEL_FILE.exec(basename(path));
    if (!m) throw new InvalidArgumentError(`${path}: not named as an Open Ephys channel file (<processor>_CH<n>.continuous)`);
    key = `${m[1]}${m[4] ?? ""}`;
    if (stream !== undefined)
      throw new InvalidSelectionError(`--stream ${stream}: give the folder, not one channel file, to choose a recording`);
  } else {
    const listing = keys.map((k, i) => `${i}: ${k}`).join(", ");
    if (keys.length === 0) throw new InvalidArgumentError(`${path}: holds no Open Ephys .continuous files`);
    const matches =
      stream === undefined
        ? keys.map((_, i) => i)
        : /^\d+$/.test(stream)
          ? [Number(stream)].filter((i) => i < keys.length)
          : keys.flatMap((k, i) => (k.includes(stream) ? [i] : []));
    if (stream === undefined && keys.length > 1)
      throw new InvalidSelectionError(`${path}: holds ${keys.length} recordings (${listing}); choose one with --stream (option stream)`);
    if (matches.length !== 1)
      throw new InvalidSelectionError(`--stream ${stream}: matches ${matches.length} of the recordings (${listing})`);
    key = keys[matches[0] as number] as string;
  }
  const files = byKey.get(key) ?? [];
  files.sort((a, b) => a.kind - b.kind || a.number - b.number);
  return files.map((f) => f.file);
}

/** One channel file, opened and checked against its size. */
interface ChannelFile {
  path: string;
  handle: FileHandle;
  name: string;
  sampleRate: number;
  bitVolts: number;
  records: number;
}

/** Opens one channel file and reads its header. */
async function openChannel(path: string): Promise<ChannelFile> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(HEADER_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEADER_BYTES, 0);
    const text = new TextDecoder("latin1").decode(head.subarray(0, bytesRead));
    if (!text.startsWith(LEGACY_SIGNATURE)) {
      throw new InvalidFormatError(path, `is not an Open Ephys .continuous file (it does not start with "${LEGACY_SIGNATURE}")`);
    }
    const fields = parseHeader(text);
    const headerBytes = Number(fields.get("header_bytes") ?? HEADER_BYTES);
    const blockLength = Number(fields.get("blockLength") ?? RECORD_SAMPLES);
    const sampleRate = Number(fields.get("sampleRate"));
    const bitVolts = Number(fields.get("bitVolts"));
    if (headerBytes !== HEADER_BYTES || blockLength !== RECORD_SAMPLES) {
      throw new InvalidFormatError(path, `header_bytes ${headerBytes} and blockLength ${blockLength}; only 1024 and 1024 exist`);
    }
    if (!(sampleRate > 0 && sampleRate <= 1e8)) throw new InvalidFormatError(path, `header.sampleRate is ${fields.get("sampleRate")}`);
    if (!(bitVolts > 0)) throw new InvalidFormatError(path, `header.bitVolts is ${fields.get("bitVolts")}`);
    if (size < HEADER_BYTES || (size - HEADER_BYTES) % RECORD_BYTES !== 0) {
      throw new InvalidFormatError(
        path,
        `is ${size} bytes: not the 1024-byte header plus whole records of ${RECORD_BYTES} bytes (${(size - HEADER_BYTES) % RECORD_BYTES} bytes left over; a file cut short?)`,
      );
    }
    return {
      path,
      handle,
      name: fields.get("channel") ?? basename(path),
      sampleRate,
      bitVolts,
      records: (size - HEADER_BYTES) / RECORD_BYTES,
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * Checks one record's framing and its place in the recording, so that a damaged or
 * discontinuous file is an error rather than samples from the wrong place.
 */
function checkRecord(file: ChannelFile, index: number, record: DataView, first: { timestamp: bigint; recording: number }): void {
  const at = HEADER_BYTES + index * RECORD_BYTES;
  const fail = (what: string): never => {
    throw new InvalidFormatError(file.path, `record ${index} (byte offset ${at}): ${what}`);
  };
  const count = record.getUint16(8, true);
  if (count !== RECORD_SAMPLES) fail(`holds ${count} samples, not ${RECORD_SAMPLES}`);
  for (let i = 0; i < MARKER.length; i++) {
    if (record.getUint8(RECORD_BYTES - 10 + i) !== MARKER[i]) fail("its end marker (0 1 2 3 4 5 6 7 8 255) is wrong: the file is damaged");
  }
  const timestamp = record.getBigInt64(0, true);
  const expected = first.timestamp + BigInt(index * RECORD_SAMPLES);
  if (timestamp !== expected) {
    fail(`timestamp ${timestamp}, expected ${expected}: the recording has a gap or a jump here, and samples cannot be placed in one array`);
  }
  const recording = record.getUint16(10, true);
  if (recording !== first.recording) fail(`belongs to recording ${recording}, the file starts with recording ${first.recording}`);
}

/**
 * Opens the legacy Open Ephys recording at `path` (a `.continuous` file or its folder) as rows
 * of int16 samples, one column per channel file.
 * @throws {InvalidFormatError} when a file is not a `.continuous` file, is cut short, or the channels disagree on their length or rate
 * @throws {InvalidSelectionError} when a folder holds several recordings and `stream` does not choose one
 */
export async function openLegacyOpenEphys(path: string, stream: string | undefined): Promise<LegacyRecording> {
  const paths = channelFiles(path, stream);
  const channels: ChannelFile[] = [];
  try {
    for (const p of paths) channels.push(await openChannel(p));
    const [ref] = channels as [ChannelFile];
    for (const c of channels) {
      if (c.records !== ref.records || c.sampleRate !== ref.sampleRate) {
        throw new InvalidFormatError(
          c.path,
          `holds ${c.records} records at ${c.sampleRate} Hz, but ${basename(ref.path)} holds ${ref.records} at ${ref.sampleRate} Hz`,
        );
      }
    }
    // every channel's first record sets the timestamp and recording number the others follow
    const starts = await Promise.all(
      channels.map(async (c) => {
        const view = new DataView(new ArrayBuffer(12));
        await c.handle.read(new Uint8Array(view.buffer), 0, 12, HEADER_BYTES);
        return { timestamp: view.getBigInt64(0, true), recording: view.getUint16(10, true) };
      }),
    );
    for (let c = 1; c < channels.length; c++) {
      if (starts[c]?.timestamp !== starts[0]?.timestamp) {
        throw new InvalidFormatError(
          (channels[c] as ChannelFile).path,
          `starts at timestamp ${starts[c]?.timestamp}, but ${basename(ref.path)} starts at ${starts[0]?.timestamp}`,
        );
      }
    }
    const n = channels.length;
    const nSamples = ref.records * RECORD_SAMPLES;
    const source: LegacyRecording["source"] = {
      name: paths.length === 1 ? path : `${dirname(ref.path)} (${n} channel files)`,
      dtype: "int16",
      nSamples,
      nChannels: n,
      shape: [nSamples, n],
      async read(first, count) {
        const out = new Int16Array(count * n);
        if (count === 0) return out;
        const firstRecord = Math.floor(first / RECORD_SAMPLES);
        const lastRecord = Math.floor((first + count - 1) / RECORD_SAMPLES);
        const span = (lastRecord - firstRecord + 1) * RECORD_BYTES;
        const bytes = new Uint8Array(span);
        for (let c = 0; c < n; c++) {
          const file = channels[c] as ChannelFile;
          const { bytesRead } = await file.handle.read(bytes, 0, span, HEADER_BYTES + firstRecord * RECORD_BYTES);
          if (bytesRead !== span) throw new InvalidFormatError(file.path, `was cut short while being read (the file shrank)`);
          const view = new DataView(bytes.buffer);
          for (let r = firstRecord; r <= lastRecord; r++) {
            const base = (r - firstRecord) * RECORD_BYTES;
            checkRecord(file, r, new DataView(bytes.buffer, base, RECORD_BYTES), starts[c] as (typeof starts)[number]);
            const from = Math.max(first, r * RECORD_SAMPLES);
            const to = Math.min(first + count, (r + 1) * RECORD_SAMPLES);
            // samples are big-endian
            for (let s = from, at = base + 12 + 2 * (from - r * RECORD_SAMPLES); s < to; s++, at += 2) {
              out[(s - first) * n + c] = view.getInt16(at, false);
            }
          }
        }
        return out;
      },
      async close() {
        await Promise.all(channels.map((c) => c.handle.close()));
      },
    };
    return { source, sampleRate: ref.sampleRate, bitVolts: channels.map((c) => c.bitVolts), channelNames: channels.map((c) => c.name) };
  } catch (err) {
    await Promise.all(channels.map((c) => c.handle.close()));
    throw err;
  }
}
