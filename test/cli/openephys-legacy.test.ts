// Legacy Open Ephys recordings (one .continuous file per channel) compressed with the built command.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidFormatError } from "@flacarray/core";
import { openRecording } from "@flacarray/recording/node";
import { beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { rejection } from "../helpers/errors.js";
import { LEGACY_RECORD_BYTES, writeLegacyOpenEphys } from "../helpers/recordings.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("flacarray-oe-legacy-");
// channel order on purpose: CH10 sorts after CH2 by number, AUX after the headstage channels
const NAMES = ["CH1", "CH2", "CH10", "AUX1"];
const folder = join(dir, "2017-05-01_12-00-00");
let rows: Int16Array;

beforeAll(() => {
  mkdirSync(folder, { recursive: true });
  rows = writeLegacyOpenEphys(folder, "100_", NAMES, 40, { sampleRate: 30000, bitVolts: 0.195 });
});

/** Compresses `input`, decompresses to raw, and returns the raw bytes and the --json summary. */
async function roundTrip(input: string, name: string, extra: string[] = []) {
  const out = join(dir, name);
  const c = await runCli("flacarray", ["compress", input, "-o", out, "--json", ...extra]);
  expect(c.code, c.stderr).toBe(0);
  const back = join(dir, `${name}.bin`);
  const d = await runCli("flacarray", ["decompress", out, "-o", back]);
  expect(d.code, d.stderr).toBe(0);
  return { summary: JSON.parse(c.stdout), raw: readFileSync(back), out };
}

/** A copy of the recording folder in which `damage` has changed one file. */
function damagedCopy(name: string, damage: (files: Map<string, Buffer>) => void): string {
  const copy = join(dir, name);
  mkdirSync(copy);
  const files = new Map(readdirSync(folder).map((f) => [f, readFileSync(join(folder, f))]));
  damage(files);
  for (const [f, bytes] of files) writeFileSync(join(copy, f), bytes);
  return copy;
}

describe("legacy Open Ephys .continuous input", () => {
  test("a folder: every channel file, in Open Ephys order, rate and bitVolts from the headers; byte for byte back", async () => {
    const { summary, raw, out } = await roundTrip(folder, "legacy.zarr");
    expect(summary).toMatchObject({ nChannels: 4, sampleRate: 30000, nSamples: 40 * 1024, dtype: "int16" });
    expect(raw.equals(Buffer.from(rows.buffer))).toBe(true);
    const info = JSON.parse((await runCli("flacarray", ["info", out, "--json"])).stdout);
    expect(info.recording).toMatchObject({ bitVolts: [0.195], channelNames: 4 });
    const attrs = JSON.parse(readFileSync(join(out, ".zattrs"), "utf8"));
    expect(JSON.parse(attrs.recording_channel_names)).toStrictEqual(NAMES);
  });

  test("one channel file stands for its whole recording", async () => {
    const { summary, raw } = await roundTrip(join(folder, "100_CH2.continuous"), "one-file.h5");
    expect(summary.nChannels).toBe(4);
    expect(raw.equals(Buffer.from(rows.buffer))).toBe(true);
  });

  test("a folder with two recordings needs --stream, and the error lists them", async () => {
    const two = join(dir, "two");
    mkdirSync(two);
    writeLegacyOpenEphys(two, "100_", ["CH1", "CH2"], 3, { seed: 1 });
    const second = writeLegacyOpenEphys(two, "100_", ["CH1_2", "CH2_2"], 2, { seed: 2 });
    const r = await runCli("flacarray", ["compress", two, "-o", join(dir, "two.h5")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds 2 recordings \(0: 100_, 1: 100__2\); choose one with --stream/);
    const { summary, raw } = await roundTrip(two, "two.h5", ["--stream", "_2"]);
    expect(summary).toMatchObject({ nChannels: 2, nSamples: 2048 });
    expect(raw.equals(Buffer.from(second.buffer))).toBe(true);
  });

  test.each([
    [
      "a broken record marker",
      (files: Map<string, Buffer>) => {
        (files.get("100_CH10.continuous") as Buffer)[1024 + 3 * LEGACY_RECORD_BYTES - 1] = 254;
      },
      /InvalidFormatError: .*100_CH10\.continuous: record 2 \(byte offset 5164\): its end marker .* is wrong/,
    ],
    [
      "a gap in the timestamps",
      (files: Map<string, Buffer>) => {
        for (const bytes of files.values()) bytes.writeBigInt64LE(999999n, 1024 + 7 * LEGACY_RECORD_BYTES);
      },
      /100_CH1\.continuous: record 7 \(byte offset 15514\): timestamp 999999, expected 12168: the recording has a gap/,
    ],
    [
      "a file cut short",
      (files: Map<string, Buffer>) => {
        files.set("100_CH2.continuous", (files.get("100_CH2.continuous") as Buffer).subarray(0, 1024 + 5 * LEGACY_RECORD_BYTES + 100));
      },
      /100_CH2\.continuous: is 11474 bytes: not the 1024-byte header plus whole records of 2070 bytes \(100 bytes left over/,
    ],
    [
      "a channel with fewer records",
      (files: Map<string, Buffer>) => {
        files.set("100_CH2.continuous", (files.get("100_CH2.continuous") as Buffer).subarray(0, 1024 + 39 * LEGACY_RECORD_BYTES));
      },
      /100_CH2\.continuous: holds 39 records at 30000 Hz, but 100_CH1\.continuous holds 40 at 30000 Hz/,
    ],
    [
      "a file named .continuous that is not one",
      (files: Map<string, Buffer>) => {
        files.set("100_CH1.continuous", Buffer.alloc(1024 + LEGACY_RECORD_BYTES));
      },
      /100_CH1\.continuous: is not an Open Ephys \.continuous file/,
    ],
  ])("%s is an InvalidFormatError naming the file and the place", async (name, damage, message) => {
    // the reader in-process (@flacarray/recording), as the command uses it
    const copy = damagedCopy(name.replace(/ /g, "-"), damage);
    const err = await rejection(openRecording(copy).then((rec) => rec.read().finally(() => rec.close())));
    expect(err).toBeInstanceOf(InvalidFormatError);
    expect(`InvalidFormatError: ${(err as Error).message}`).toMatch(message);
  });

  test("the command stops on a damaged file with one line and writes nothing", async () => {
    const copy = damagedCopy("damaged-for-cli", (files) => {
      (files.get("100_CH1.continuous") as Buffer)[1024 + 5 * LEGACY_RECORD_BYTES - 1] = 7;
    });
    const out = join(dir, "damaged.h5");
    const r = await runCli("flacarray", ["compress", copy, "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/InvalidFormatError: .*100_CH1\.continuous: record 4 \(byte offset 9304\): its end marker/);
    expect(existsSync(out)).toBe(false);
  });
});

const real = join(import.meta.dirname, "..", "..", "..", "shared", "realdata", "openephys_example_data");
test.skipIf(!existsSync(real))(
  "the real Open Ephys example data (GUI 0.6.7, 16 channels at 40 kHz) round-trips byte for byte",
  async () => {
    const { summary, raw, out } = await roundTrip(real, "example-data.zarr");
    // as its README says, checked with numpy: 130 records per channel, (133120, 16) int16 at 40 kHz
    expect(summary).toMatchObject({ nChannels: 16, sampleRate: 40000, nSamples: 133120, dtype: "int16" });
    // an independent reading of the files: big-endian samples at 1024 + record * 2070 + 12
    const expected = Buffer.alloc(133120 * 16 * 2);
    for (let c = 0; c < 16; c++) {
      const file = readFileSync(join(real, `100_example-data_CH${c + 1}.continuous`));
      for (let s = 0; s < 133120; s++) {
        const at = 1024 + Math.floor(s / 1024) * LEGACY_RECORD_BYTES + 12 + 2 * (s % 1024);
        expected.writeInt16LE(file.readInt16BE(at), 2 * (s * 16 + c));
      }
    }
    expect(raw.equals(expected)).toBe(true);
    // and the README's statistics: per-channel std of about 760-820 counts
    const samples = new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
    for (let c = 0; c < 16; c++) {
      let sum = 0;
      let sq = 0;
      for (let s = 0; s < 133120; s++) {
        const v = samples[s * 16 + c] as number;
        sum += v;
        sq += v * v;
      }
      const std = Math.sqrt(sq / 133120 - (sum / 133120) ** 2);
      expect(std).toBeGreaterThan(740);
      expect(std).toBeLessThan(840);
    }
    const attrs = JSON.parse(readFileSync(join(out, ".zattrs"), "utf8"));
    expect(JSON.parse(attrs.recording_bit_volts)).toStrictEqual(Array(16).fill(0.05));
    expect(JSON.parse(attrs.recording_channel_names)).toStrictEqual(Array.from({ length: 16 }, (_, c) => `CH${c + 1}`));
  },
);
