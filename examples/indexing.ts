// numpy-style indexing of a 3-D array: (probe, channel, sample).
import { FlacArray } from "@flacarray/core";

const shape = [2, 4, 5000];
const data = Int32Array.from({ length: 2 * 4 * 5000 }, (_, i) => Math.round(1000 * Math.sin(i / 37)));
const fa = FlacArray.fromArray({ data, shape });

const a = fa.get(1, [null, null, 2], [100, 110]); // probe 1, every other channel, samples 100-109
console.log(`fa.get(1, [null, null, 2], [100, 110]) -> shape [${a.shape}]`);
const b = fa.get(-1, -1, -1); // the very last sample, a 0-d result
console.log(`fa.get(-1, -1, -1) -> shape [${b.shape}], value ${b.data[0]} (input ${data[data.length - 1]})`);
const { indices } = fa.toArray({
  keep: [
    [true, false, false, true],
    [false, true, false, false],
  ],
  keepIndices: true,
  streamSlice: [0, 10],
});
console.log(`kept streams: ${JSON.stringify(indices)}`);
if (b.data[0] !== data[data.length - 1]) throw new Error("indexing returned the wrong sample");
