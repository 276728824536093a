import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FlacArray, type FlacArrayErrorTag, isFlacArrayError } from "@flacarray/core";
import { createFile, openFile, readArray, readFlacArray, writeArray, writeFlacArray } from "@flacarray/hdf5/node";
import type { File, Group } from "h5wasm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { caught } from "../helpers/errors.js";

const dir = mkdtempSync(join(tmpdir(), "flacarray-hdf5-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const arr = { data: Int32Array.from({ length: 3 * 2000 }, (_, i) => (i * 7919) % 1000), shape: [3, 2000] };
const fa = FlacArray.fromArray(arr);

/** The datasets and attributes of a flacarray group, each of which a case may replace or drop. */
interface Parts {
  compressed?: Uint8Array | null;
  starts?: BigInt64Array | Int32Array | null;
  bytes?: BigInt64Array | null;
  offsets?: Float64Array | null;
  gains?: Float64Array | null;
  version?: string | bigint | null;
  channels?: string | null;
  /** The `stream_size` attribute: any value h5wasm can store. */
  streamSize?: unknown;
}

/** Writes a group from parts by hand, as a broken writer would. */
function writeParts(group: Group, parts: Parts): void {
  const p: Parts = { compressed: fa.compressed, starts: fa.streamStarts, bytes: fa.streamBytes, version: "1", channels: "1", ...parts };
  if (p.compressed) group.create_dataset({ name: "compressed", data: p.compressed });
  if (p.starts)
    group.create_dataset({ name: "stream_starts", data: p.starts }).create_attribute("stream_size", (p.streamSize ?? 2000) as number);
  if (p.bytes) group.create_dataset({ name: "stream_bytes", data: p.bytes });
  if (p.offsets) group.create_dataset({ name: "stream_offsets", data: p.offsets });
  if (p.gains) group.create_dataset({ name: "stream_gains", data: p.gains });
  if (p.channels) group.create_attribute("flac_channels", p.channels);
  if (typeof p.version === "bigint")
    group.create_attribute("flacarray_format_version", Number(p.version), [], "<q"); // int64, as h5py writes ints
  else if (p.version) group.create_attribute("flacarray_format_version", p.version);
}

const corrupt = fa.compressed.slice();
corrupt[Number(fa.streamStarts[2]) + 200] ^= 0xff;

const CASES: [string, Parts, FlacArrayErrorTag, RegExp][] = [
  ["missing stream_bytes", { bytes: null }, "NotFoundError", /\/missing_stream_bytes\/stream_bytes: dataset is missing/],
  ["missing compressed", { compressed: null }, "NotFoundError", /\/compressed: dataset is missing/],
  ["int32 stream_starts", { starts: Int32Array.of(0, 10, 20) }, "InvalidFormatError", /stream_starts has dtype int32, expected int64/],
  [
    "starts and bytes disagree",
    { bytes: BigInt64Array.of(10n, 10n) },
    "InvalidFormatError",
    /stream_bytes: has shape \(2\), expected \(3\) like stream_starts/,
  ],
  [
    "a stream beyond the data",
    { bytes: BigInt64Array.from(fa.streamBytes, (b, i) => (i === 1 ? b + 100000n : b)) },
    "InvalidFormatError",
    /stream 1: bytes \[\d+, \d+\) lie outside the \d+ bytes of compressed/,
  ],
  [
    "truncated compressed",
    { compressed: fa.compressed.subarray(0, fa.compressed.length - 50) },
    "InvalidFormatError",
    /stream 2: .* lie outside/,
  ],
  ["unknown version", { version: "7" }, "FormatVersionError", /unknown flacarray_format_version "7"/],
  ["no version", { version: null }, "NotFoundError", /holds no flacarray/],
  ["bad flac_channels", { channels: "3" }, "InvalidFormatError", /flac_channels is 3/],
  [
    "float64 offsets for one channel",
    { offsets: new Float64Array(3), gains: new Float64Array(3) },
    "InvalidFormatError",
    /have dtypes float64\/float64, expected float32 for 1 FLAC channel/,
  ],
  ["a corrupt stream", { compressed: corrupt }, "InvalidStreamError", /\/a_corrupt_stream: stream 2, byte \d+/],
  ["an integer version other than 0 or 1", { version: 7n }, "FormatVersionError", /unknown flacarray_format_version 7 /],
  [
    "streams that overlap",
    { starts: BigInt64Array.from(fa.streamStarts, (b, i) => (i === 1 ? 0n : b)) },
    "InvalidFormatError",
    /streams 0 and 1 overlap: bytes \[0, \d+\) and \[0, \d+\)/,
  ],
  [
    "more streams than compressed can hold",
    { starts: new BigInt64Array(1000), bytes: new BigInt64Array(1000) },
    "InvalidFormatError",
    /stream_starts: has shape \(1000\): 1000 streams cannot fit in the \d+ bytes of compressed/,
  ],
  [
    "a stream_size larger than the streams can hold",
    { streamSize: 2 ** 30 },
    "InvalidFormatError",
    /stream_size is 1073741824, more samples than the \d+ bytes of stream 0 can hold/,
  ],
  ["a stream_size smaller than the streams", { streamSize: 1999 }, "InvalidStreamError", /STREAMINFO says 2000 samples, expected 1999/],
  ["a fractional stream_size", { streamSize: 2000.5 }, "InvalidFormatError", /stream_size is 2000.5, expected an integer/],
  ["a hex string stream_size", { streamSize: "0x7d0" }, "InvalidFormatError", /stream_size is "0x7d0", expected an integer/],
  ["an empty string stream_size", { streamSize: "" }, "InvalidFormatError", /stream_size is "", expected an integer/],
];

let file: File;
beforeAll(async () => {
  file = await createFile(join(dir, "broken.h5"), () => undefined).then(() => openFile(join(dir, "broken.h5"), "a"));
  for (const [name, parts] of CASES) writeParts(file.create_group(name.replaceAll(" ", "_")), parts);
});
afterAll(() => file.close());

describe("bad groups give typed errors that name the group", () => {
  test.each(CASES)("%s", (name, _parts, tag, message) => {
    const group = file.get(name.replaceAll(" ", "_")) as Group;
    const err = caught(() => readArray(group));
    expect(isFlacArrayError(err, tag), String(err)).toBe(true);
    expect(String(err)).toMatch(message);
    expect(String(err)).toContain(`/${name.replaceAll(" ", "_")}`);
    if (tag !== "InvalidStreamError")
      expect(
        isFlacArrayError(
          caught(() => readFlacArray(group)),
          tag,
        ),
      ).toBe(true);
  });

  test("a corrupt stream leaves the other streams readable", () => {
    const group = file.get("a_corrupt_stream") as Group;
    expect(readArray(group, { keep: [true, true, false] }).data).toStrictEqual(arr.data.subarray(0, 4000));
  });

  test("a keep mask of the wrong shape", () => {
    const good = file.create_group("good");
    writeFlacArray(fa, good);
    expect(
      isFlacArrayError(
        caught(() => readArray(good, { keep: [true, false] })),
        "InvalidSelectionError",
      ),
    ).toBe(true);
    expect(
      isFlacArrayError(
        caught(() => readArray(good, { streamSlice: [0, 2001] })),
        "InvalidSelectionError",
      ),
    ).toBe(true);
  });
});

describe("nothing is written half-way", () => {
  test("writing into a group that already holds a flacarray changes nothing", () => {
    const group = file.create_group("taken");
    writeFlacArray(fa, group);
    const before = { keys: group.keys(), attrs: Object.keys(group.attrs) };
    const err = caught(() => writeArray(arr, group));
    expect(isFlacArrayError(err, "InvalidArgumentError")).toBe(true);
    expect(String(err)).toMatch(/\/taken already has a member "compressed"/);
    expect({ keys: group.keys(), attrs: Object.keys(group.attrs) }).toStrictEqual(before);
    expect(readArray(group).data).toStrictEqual(arr.data);
  });

  test.each([
    ["nan", Float32Array.of(1, Number.NaN, 3), 0.1],
    ["inf", Float64Array.of(1, Number.POSITIVE_INFINITY, 3), 0.1],
    ["overflow32", Float32Array.of(1, 1e38, 3), 1e-3],
    ["overflow64", Float64Array.of(1, 1e20, 3), 0.01],
    ["tiny", Float64Array.of(1, 2, 3), 1e-300],
  ])("input that cannot be quantized (%s) leaves the group empty", (name, data, quanta) => {
    const group = file.create_group(name);
    const err = caught(() => writeArray({ data, shape: [3] }, group, { quanta }));
    expect(isFlacArrayError(err, "QuantizationError")).toBe(true);
    expect(group.keys()).toStrictEqual([]);
    expect(Object.keys(group.attrs)).toStrictEqual([]);
  });

  test("createFile: a failing build leaves no file, and an existing file needs force", async () => {
    const path = join(dir, "never.h5");
    await expect(
      createFile(path, (f) => {
        writeArray(arr, f);
        throw new Error("interrupted");
      }),
    ).rejects.toThrow("interrupted");
    expect(readdirSync(dir).filter((n) => n.startsWith("never"))).toStrictEqual([]);
    await createFile(path, (f) => writeArray(arr, f));
    await expect(createFile(path, () => undefined)).rejects.toThrow(/already exists \(use --force \/ force/);
    await createFile(path, (f) => writeArray({ data: Int32Array.of(1, 2, 3), shape: [3] }, f), { force: true });
    const again = await openFile(path);
    expect(readArray(again).shape).toStrictEqual([3]);
    again.close();
  });

  test("openFile: a missing file and a file that is not HDF5", async () => {
    const missing = await openFile(join(dir, "nope.h5")).catch((e) => e);
    expect(isFlacArrayError(missing, "NotFoundError")).toBe(true);
    writeFileSync(join(dir, "text.h5"), "not an HDF5 file at all");
    const text = await openFile(join(dir, "text.h5")).catch((e) => e);
    expect(isFlacArrayError(text, "NotFoundError")).toBe(true);
    expect(String(text)).toMatch(/text\.h5: cannot open as HDF5/);
  });
});
