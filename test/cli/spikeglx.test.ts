// Real SpikeGLX Neuropixels stubs from ../shared/realdata (not committed): channels and rate come
// from the .meta beside each .bin, and the recording comes back byte for byte.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

const stubs = join(import.meta.dirname, "..", "..", "..", "shared", "realdata", "neuropixels", "spikeglx_np_ultra_stub");
const dir = tempDir("flacarray-spikeglx-");

test.skipIf(!existsSync(stubs)).each([
  ["ap", "h5", 30000],
  ["lf", "zarr", 2500],
])("the real %s stub: channels and rate from its .meta, byte for byte back (%s)", async (band, container, rate) => {
  const bin = join(stubs, `p5_g0_t0.imec0.${band}.bin`);
  const out = join(dir, `${band}.${container}`);
  const c = await runCli("flacarray", ["compress", bin, "-o", out, "--json"]);
  expect(c.code, c.stderr).toBe(0);
  expect(JSON.parse(c.stdout)).toMatchObject({ nChannels: 385, sampleRate: rate, dtype: "int16", verified: true });
  const back = join(dir, `${band}.bin`);
  expect((await runCli("flacarray", ["decompress", out, "-o", back])).code).toBe(0);
  expect(readFileSync(back).equals(readFileSync(bin))).toBe(true);
  const info = JSON.parse((await runCli("flacarray", ["info", out, "--json"])).stdout);
  expect(info.recording.spikeglxMeta).toBe(true);
});
