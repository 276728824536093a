// Float time series are quantized to integers first: give the step (quanta) or the number of
// significant digits below the standard deviation (precision), as in Python flacarray.
import { FlacArray } from "@flacarray/core";

const n = 20000;
const data = new Float64Array(2 * n);
for (let i = 0; i < n; i++) {
  data[i] = 1e-3 * Math.sin(i / 300) + 2e-6 * Math.cos(i * 1.7); // detector timestream, volts
  data[n + i] = 273.15 + 0.01 * Math.sin(i / 1000); // temperature, kelvin
}
const fa = FlacArray.fromArray({ data, shape: [2, n] }, { quanta: [1e-9, 1e-6] });
const back = fa.toArray().data;
let maxErr0 = 0;
let maxErr1 = 0;
for (let i = 0; i < n; i++) {
  maxErr0 = Math.max(maxErr0, Math.abs(back[i] - data[i]));
  maxErr1 = Math.max(maxErr1, Math.abs(back[n + i] - data[n + i]));
}
console.log(
  `float64 ${fa.shape}: ${data.byteLength} -> ${fa.nbytes} bytes; max error ${maxErr0.toExponential(2)} V, ${maxErr1.toExponential(2)} K`,
);
if (maxErr0 > 0.5e-9 * 1.0001 || maxErr1 > 0.5e-6 * 1.0001) throw new Error("error above half a quanta");

const f32 = Float32Array.from(data.subarray(0, n));
const byPrecision = FlacArray.fromArray(f32, { precision: 3 });
console.log(`float32 with precision 3: offset ${byPrecision.streamOffsets?.[0]}, gain ${byPrecision.streamGains?.[0]}`);
