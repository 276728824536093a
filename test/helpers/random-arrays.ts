// No Node or vitest imports: the browser suite bundles this too, so both sides make the same arrays.
import { mulberry32 } from "../../bench/neuropixels-like.js";

/** Random walks of every dtype and several ranks, from a seed: int32 (3, 5000), int64 (2, 2, 3000), float32 (4000), float64 (2, 2500). */
export function randomArrays(seed: number) {
  const rnd = mulberry32(seed);
  const walk = (n: number, scale: number) => {
    const out = new Float64Array(n);
    let v = 0;
    for (let i = 0; i < n; i++) out[i] = v += (rnd() - 0.5) * scale;
    return out;
  };
  return {
    int32: { data: Int32Array.from(walk(3 * 5000, 2000), Math.round), shape: [3, 5000] },
    int64: { data: BigInt64Array.from(walk(2 * 2 * 3000, 1e12), (v) => BigInt(Math.round(v))), shape: [2, 2, 3000] },
    float32: { data: Float32Array.from(walk(4000, 3)), shape: [4000] },
    float64: { data: walk(2 * 2500, 1e-3), shape: [2, 2500] },
  };
}
