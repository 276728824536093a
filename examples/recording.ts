// Open recordings of several formats with @flacarray/recording and read a window of each:
// a flacarray Zarr store written here, and the real Neuropixels stubs when ../shared is present.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeWorkers } from "@flacarray/core";
import { openRecording } from "@flacarray/recording/node";
import { createStore, writeArray } from "@flacarray/zarr/node";
import { neuropixelsLike } from "../bench/neuropixels-like.js";

const dir = mkdtempSync(join(tmpdir(), "flacarray-example-recording-"));
try {
  // 16 channels x 2 s at 30 kHz, as Python users store them: one stream per channel
  const data = neuropixelsLike(16, 60000, 7);
  await createStore(join(dir, "rec.zarr"), (root) => writeArray({ data, shape: [16, 60000] }, root.resolve("ap")));

  const rec = await openRecording(join(dir, "rec.zarr"), { sampleRate: 30000, workers: 2 });
  const { data: window, shape } = await rec.read({ start: 30000, stop: 60000, channels: { start: 0, stop: 10 } });
  console.log(`${rec.format}: ${rec.nChannels} channels x ${rec.nSamples} samples at ${rec.sampleRate} Hz; window of shape [${shape}]`);
  if (window[0] !== data[30000]) throw new Error("the window does not start with channel 0 at sample 30000");
  await rec.close();

  const stubs = join(import.meta.dirname, "..", "..", "shared", "realdata", "neuropixels");
  const real: [string, { stream?: string }][] = [
    [join(stubs, "spikeglx_np_ultra_stub", "p5_g0_t0.imec0.ap.bin"), {}],
    [join(stubs, "openephys_np1_lfp_1s"), { stream: "116.1" }], // its structure.oebin lists the AP and LFP streams
  ];
  for (const [path, options] of real.filter(([p]) => existsSync(p))) {
    const r = await openRecording(path, options);
    const { shape: s } = await r.read({ start: 0, stop: Math.min(r.nSamples, 1000), channels: [0, 1, 2] });
    console.log(`${r.format}: ${r.nChannels} channels x ${r.nSamples} samples at ${r.sampleRate} Hz; read [${s}]`);
    await r.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await closeWorkers();
}
