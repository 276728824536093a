// Open Ephys binary recordings (structure.oebin + continuous.dat) compressed with the built command.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { writeRawRecording } from "../helpers/recordings.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("flacarray-openephys-");
const recording = join(dir, "Record Node 101", "experiment1", "recording1");
const streams = [
  { folder_name: "Rhythm_FPGA-100.0/", sample_rate: 30000, num_channels: 4, bitVolts: 0.195 },
  { folder_name: "Rhythm_FPGA-100.ADC/", sample_rate: 30000, num_channels: 2, bitVolts: 0.00015 },
];

beforeAll(() => {
  const continuous = streams.map((s) => ({
    folder_name: s.folder_name,
    sample_rate: s.sample_rate,
    num_channels: s.num_channels,
    channels: Array.from({ length: s.num_channels }, (_, c) => ({ channel_name: `CH${c + 1}`, bit_volts: s.bitVolts, units: "uV" })),
  }));
  mkdirSync(recording, { recursive: true });
  writeFileSync(
    join(recording, "structure.oebin"),
    JSON.stringify({ "GUI version": "0.6.7", continuous, events: [], spikes: [] }, null, 2),
  );
  streams.forEach((s, i) => {
    const folder = join(recording, "continuous", s.folder_name);
    mkdirSync(folder, { recursive: true });
    writeRawRecording(join(folder, "continuous.dat"), 30000 + 77, s.num_channels, "int16", 5 + i);
  });
});

describe("Open Ephys binary input", () => {
  test("a folder with several streams needs --stream; the error lists them", async () => {
    const r = await runCli("flacarray", ["compress", recording, "-o", join(dir, "x.h5")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds 2 streams \(0: Rhythm_FPGA-100\.0, 1: Rhythm_FPGA-100\.ADC\); choose one with --stream/);
    const ambiguous = await runCli("flacarray", ["compress", recording, "-o", join(dir, "x.h5"), "--stream", "Rhythm"]);
    expect(ambiguous.stderr).toMatch(/--stream Rhythm: matches 2 of the streams/);
  });

  test.each([
    ["Rhythm_FPGA-100.0", "oe.h5", 0],
    ["1", "oe-adc.zarr", 1],
  ])("--stream %s: channels, rate, bit_volts and names from the file; decompresses to the same bytes", async (stream, name, index) => {
    const out = join(dir, name);
    const c = await runCli("flacarray", ["compress", join(recording, "structure.oebin"), "-o", out, "--stream", stream, "--json"]);
    expect(c.code, c.stderr).toBe(0);
    const s = streams[index];
    expect(JSON.parse(c.stdout)).toMatchObject({ nChannels: s.num_channels, sampleRate: s.sample_rate, dtype: "int16" });
    const back = join(dir, `${name}.bin`);
    expect((await runCli("flacarray", ["decompress", out, "-o", back])).code).toBe(0);
    expect(readFileSync(back).equals(readFileSync(join(recording, "continuous", s.folder_name, "continuous.dat")))).toBe(true);
    const info = JSON.parse((await runCli("flacarray", ["info", out, "--json"])).stdout);
    expect(info.recording).toMatchObject({ bitVolts: [s.bitVolts], channelNames: s.num_channels });
  });
});

const stub = join(import.meta.dirname, "..", "..", "..", "shared", "realdata", "neuropixels", "openephys_np1_lfp_1s");
test.skipIf(!existsSync(stub))("the real Neuropixels LFP stub (Open Ephys 0.5.3) round-trips byte for byte", async () => {
  const out = join(dir, "np1-lfp.zarr");
  const c = await runCli("flacarray", ["compress", stub, "-o", out, "--stream", "116.1", "--json"]);
  expect(c.code, c.stderr).toBe(0);
  expect(JSON.parse(c.stdout)).toMatchObject({ nChannels: 384, sampleRate: 2500, nSamples: 2500 });
  const back = join(dir, "np1-lfp.bin");
  expect((await runCli("flacarray", ["decompress", out, "-o", back])).code).toBe(0);
  expect(readFileSync(back).equals(readFileSync(join(stub, "continuous.dat")))).toBe(true);
  const attrs = JSON.parse(readFileSync(join(out, ".zattrs"), "utf8"));
  expect(JSON.parse(attrs.recording_bit_volts)[0]).toBeCloseTo(0.195, 6);
  expect(JSON.parse(attrs.recording_channel_names).slice(0, 2)).toStrictEqual(["LFP1", "LFP2"]);
});

test("a damaged recording_bit_volts attribute is a typed error naming the store, not a crash", async () => {
  const out = join(dir, "damaged.zarr");
  expect((await runCli("flacarray", ["compress", recording, "-o", out, "--stream", "0"])).code).toBe(0);
  const attrsPath = join(out, ".zattrs");
  const attrs = JSON.parse(readFileSync(attrsPath, "utf8"));
  writeFileSync(attrsPath, JSON.stringify({ ...attrs, recording_bit_volts: "[0.195, 0.1" }));
  const r = await runCli("flacarray", ["info", out]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/InvalidFormatError: .*damaged\.zarr.*attribute recording_bit_volts is not JSON/);
});

test("a continuous.dat that is not a whole number of frames is refused, naming it", async () => {
  const cut = join(dir, "cut");
  mkdirSync(join(cut, "continuous", "Rhythm_FPGA-100.0"), { recursive: true });
  writeFileSync(join(cut, "structure.oebin"), readFileSync(join(recording, "structure.oebin")));
  writeFileSync(join(cut, "continuous", "Rhythm_FPGA-100.0", "continuous.dat"), new Uint8Array(4 * 2 * 100 + 3));
  const r = await runCli("flacarray", ["compress", cut, "-o", join(dir, "cut.h5"), "--stream", "0"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/continuous\.dat: the file size \(803 bytes\) is incompatible/);
});
