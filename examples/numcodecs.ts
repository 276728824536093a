// Read a SpikeInterface Zarr recording whose chunks use the numcodecs "wavpack" codec (as the
// Allen Institute publishes Neuropixels data): with zarrita after registerNumcodecs(), and with
// @flacarray/recording's openRecording. The store is one of the Python-written test fixtures.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getCodec, registerNumcodecs } from "@flacarray/numcodecs";
import { openRecording } from "@flacarray/recording/node";
import FileSystemStore from "@zarrita/storage/fs";
import * as zarr from "zarrita";

const store = join(import.meta.dirname, "..", "test", "fixtures", "numcodecs", "zarr", "npx384_wv2_0.1s.zarr");

// zarrita: register the codecs once, then open and get as usual
registerNumcodecs();
const traces = await zarr.open.v2(zarr.root(new FileSystemStore(store)).resolve("traces_seg0"), { kind: "array" });
if (!traces.is("int16")) throw new Error(`expected int16 traces, found ${traces.dtype}`);
const window = await zarr.get(traces, [zarr.slice(1000, 1100), zarr.slice(0, 8)]);
console.log(`zarrita: ${traces.dtype} ${traces.shape} chunks ${traces.chunks}; window ${window.shape}, first value ${window.data[0]}`);

// @flacarray/recording: channel names, µV per count, and windows, fetching only their chunks
const rec = await openRecording(store);
const { data, shape } = await rec.read({ start: 1000, stop: 1100, channels: { start: 0, stop: 8 } });
console.log(
  `${rec.format}: ${rec.nChannels} channels (${rec.channelNames?.[0]}, ...) at ${rec.sampleRate} Hz, ${rec.bitVolts?.[0]} µV/count`,
);
if (data[0] !== window.data[0] || shape[0] !== 100 || shape[1] !== 8) throw new Error("the two readers disagree");

// one chunk, decoded directly, as numcodecs' get_codec(config).decode(chunk) gives it
const { compressor } = JSON.parse(readFileSync(join(store, "traces_seg0", ".zarray"), "utf8"));
const chunk = readFileSync(join(store, "traces_seg0", "0.0"));
const bytes = getCodec(compressor).decode(new Uint8Array(chunk));
console.log(`chunk 0.0: ${chunk.length} bytes decode to ${bytes.length} (${(bytes.length / chunk.length).toFixed(2)} : 1)`);
