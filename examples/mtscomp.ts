// Read an International Brain Laboratory-style mtscomp recording (.cbin + .ch, written by Python
// mtscomp 1.0.2): a window of a few channels, then the whole file back to raw .bin; compress a
// raw file the way the `mtscomp` command does, and check it decodes to the source.

import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compress, decompress } from "@flacarray/mtscomp/node";

const fixture = join(import.meta.dirname, "..", "test", "fixtures", "mtscomp", "np1_ap_385ch_int16");
const cbin = join(fixture, "_spikeglx_ephysData_g0_t0.imec0.ap.cbin"); // its .ch is found beside it
const raw = join(fixture, "_spikeglx_ephysData_g0_t0.imec0.ap.bin");
const dir = mkdtempSync(join(tmpdir(), "flacarray-example-"));
try {
  const reader = await decompress(cbin);
  console.log(
    `${reader.nSamples} samples x ${reader.nChannels} channels of ${reader.dtype} at ${reader.sampleRate} Hz, ${reader.nChunks} chunks`,
  );

  // numpy-style: rows 3000..3009 (only the chunk holding them is read and decoded), channels 0, 2, 4
  const { data, shape } = await reader.get([3000, 3010], [0, 6, 2]);
  console.log(`r[3000:3010, 0:6:2] has shape [${shape}]; first row: ${(data as Int16Array).subarray(0, 3).join(" ")}`);

  // everything back to a raw file, chunks decompressed in parallel, checked against the header's SHA-1
  await reader.toFile(join(dir, "restored.bin"));
  await reader.close();
  if (!readFileSync(join(dir, "restored.bin")).equals(readFileSync(raw))) throw new Error("restored file differs");

  // compress the raw file as `mtscomp -n 385 -s 30000 -d int16` would (checked before it gets its name)
  const out = join(dir, "again.cbin");
  const result = await compress(raw, out, undefined, { sampleRate: 30000, nChannels: 385, dtype: "int16", chunkDuration: 0.1 });
  console.log(
    `compressed ${statSync(raw).size} bytes to ${statSync(out).size} (ratio ${result.ratio.toFixed(3)}); Python's file has ${statSync(cbin).size}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
