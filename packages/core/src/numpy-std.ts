/**
 * numpy's `np.std(x)` over one stream, reproduced bit for bit: pairwise summation with numpy's
 * 8-way unrolled blocks of up to 128 values, in float32 arithmetic for float32 input.
 * Python flacarray derives the quanta of `precision=` from it.
 */

const BLOCK = 128;

/** numpy's pairwise sum of `x[start, start + n)` (`f` rounds each operation: Math.fround or identity). */
function pairwiseSum(x: ArrayLike<number>, start: number, n: number, f: (v: number) => number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = f(res + x[start + i]);
    return res;
  }
  if (n <= BLOCK) {
    const r = [x[start], x[start + 1], x[start + 2], x[start + 3], x[start + 4], x[start + 5], x[start + 6], x[start + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = f(r[j] + x[start + i + j]);
    let res = f(f(f(r[0] + r[1]) + f(r[2] + r[3])) + f(f(r[4] + r[5]) + f(r[6] + r[7])));
    for (; i < n; i++) res = f(res + x[start + i]);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return f(pairwiseSum(x, start, n2, f) + pairwiseSum(x, start + n2, n - n2, f));
}

const identity = (v: number) => v;

/**
 * Population standard deviation of `x[start, start + n)` as numpy computes it.
 * @param float32 - compute in float32, as numpy does for float32 arrays
 */
export function numpyStd(x: ArrayLike<number>, start: number, n: number, float32: boolean): number {
  const f = float32 ? Math.fround : identity;
  const mean = f(pairwiseSum(x, start, n, f) / n);
  const sq = float32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = f(x[start + i] - mean);
    sq[i] = f(d * d);
  }
  return f(Math.sqrt(f(pairwiseSum(sq, 0, n, f) / n)));
}
