/**
 * Apodization windows of the LPC analysis: libFLAC's tukey(0.5) over the whole block, and
 * for subdivide_tukey(n) one tukey window over each part of the block split into 2..n parts.
 */

/** Fills `out[0, n)` with a tukey window of parameter `p` over `[start, end)` and zeros elsewhere. */
export function tukeyWindow(out: Float64Array, n: number, p: number, start = 0, end = n): void {
  out.fill(0, 0, n);
  const len = end - start;
  const np = Math.floor((p / 2) * len) - 1;
  for (let i = start; i < end; i++) out[i] = 1;
  if (np > 0) {
    for (let i = 0; i <= np; i++) {
      out[start + i] = 0.5 - 0.5 * Math.cos((Math.PI * i) / np);
      out[end - np - 1 + i] = 0.5 - 0.5 * Math.cos((Math.PI * (i + np)) / np);
    }
  }
}

/** A window over a block, zero outside `[start, end)`. */
export interface BlockWindow {
  values: Float64Array;
  start: number;
  end: number;
}

/**
 * The windows of a block of `n` samples for `subdivide` parts: the whole-block tukey(0.5)
 * first, then each part of each subdivision 2..subdivide.
 */
export function blockWindows(n: number, subdivide: number): BlockWindow[] {
  const whole = new Float64Array(n);
  tukeyWindow(whole, n, 0.5);
  const windows = [{ values: whole, start: 0, end: n }];
  for (let parts = 2; parts <= subdivide; parts++) {
    for (let k = 0; k < parts; k++) {
      const start = Math.floor((k * n) / parts);
      const end = Math.floor(((k + 1) * n) / parts);
      if (end - start < 32) continue;
      const values = new Float64Array(n);
      tukeyWindow(values, n, 0.5 / parts, start, end);
      windows.push({ values, start, end });
    }
  }
  return windows;
}
