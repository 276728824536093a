// Writes the benchmark array (bench/neuropixels-like.ts, seed 42) to the file argv[2] as int32
// little-endian samples, channel-major: the input of the C and Python references. codec.ts runs
// it in a child process so that its own process holds no array while the calls users make are
// timed in theirs.
import { writeFileSync } from "node:fs";
import { neuropixelsLike } from "./neuropixels-like.js";
import { CHANNELS, SAMPLES } from "./setup.js";

const path = process.argv[2];
if (!path) throw new Error("usage: array-file.ts OUTPUT");
writeFileSync(path, neuropixelsLike(CHANNELS, SAMPLES, 42));
