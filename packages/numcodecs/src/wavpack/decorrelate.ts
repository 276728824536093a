import { MAX_TERM } from "./constants.js";

/**
 * One decorrelation pass (libwavpack `struct decorr_pass`): a prediction term with adaptive
 * weights, undone on decode. Terms 1 to 8 predict from the sample `term` back, 17 and 18
 * extrapolate from the last two, and -1 to -3 (stereo only) predict across channels.
 */
export class DecorrPass {
  term = 0;
  delta = 0;
  weightA = 0;
  weightB = 0;
  readonly samplesA = new Int32Array(MAX_TERM);
  readonly samplesB = new Int32Array(MAX_TERM);
}

/**
 * `apply_weight`: `(weight * sample + 512) >> 10` in 32-bit arithmetic, split in two
 * products when the sample does not fit 16 bits, exactly as libwavpack computes it.
 */
function applyWeight(weight: number, sample: number): number {
  if (sample === (sample << 16) >> 16) return (Math.imul(weight, sample) + 512) >> 10;
  return ((Math.imul(sample & 0xffff, weight) >> 9) + Math.imul((sample & ~0xffff) >> 9, weight) + 1) >> 1;
}

/** `update_weight_clip`: {@link updateWeight} with the weight held within ±1024. */
function updateWeightClip(weight: number, delta: number, source: number, result: number): number {
  if (source === 0 || result === 0) return weight;
  const s = (source ^ result) >> 31;
  let w = ((weight ^ s) + (delta - s)) | 0;
  if (w > 1024) w = 1024;
  return ((w ^ s) - s) | 0;
}

/**
 * One positive-term pass over one channel: `count` samples at `buffer[offset]`, every
 * `stride`-th value. Terms 1-8 predict from the output `term` samples back (the pass's stored
 * history for the first `term`), 17 and 18 extrapolate from the last two outputs.
 * `monoTerm18` selects the mono formula of term 18, which wraps differently on overflow.
 * Returns the final weight.
 */
function termPass(
  buffer: Int32Array,
  offset: number,
  stride: number,
  count: number,
  term: number,
  delta: number,
  weight: number,
  history: Int32Array,
  monoTerm18: boolean,
): number {
  const end = offset + count * stride;
  if (term > MAX_TERM) {
    let s0 = history[0] as number;
    let s1 = history[1] as number;
    const mode = term === 17 ? 0 : monoTerm18 ? 1 : 2;
    for (let i = offset; i < end; i += stride) {
      const sam = mode === 0 ? (2 * s0 - s1) | 0 : mode === 1 ? (3 * s0 - s1) >> 1 : (s0 + ((s0 - s1) >> 1)) | 0;
      const residual = buffer[i] as number;
      const out = (applyWeight(weight, sam) + residual) | 0;
      if (sam !== 0 && residual !== 0) {
        const s = (sam ^ residual) >> 31;
        weight = ((delta ^ s) + (weight - s)) | 0;
      }
      buffer[i] = out;
      s1 = s0;
      s0 = out;
    }
    return weight;
  }
  // the first `term` samples predict from the stored history, the rest from the output
  const lag = term * stride;
  const historyEnd = Math.min(end, offset + lag);
  for (let i = offset, j = 0; i < historyEnd; i += stride, j++) {
    const sam = history[j] as number;
    const residual = buffer[i] as number;
    buffer[i] = (applyWeight(weight, sam) + residual) | 0;
    if (sam !== 0 && residual !== 0) {
      const s = (sam ^ residual) >> 31;
      weight = ((delta ^ s) + (weight - s)) | 0;
    }
  }
  for (let i = historyEnd; i < end; i += stride) {
    const sam = buffer[i - lag] as number;
    const residual = buffer[i] as number;
    buffer[i] = (applyWeight(weight, sam) + residual) | 0;
    if (sam !== 0 && residual !== 0) {
      const s = (sam ^ residual) >> 31;
      weight = ((delta ^ s) + (weight - s)) | 0;
    }
  }
  return weight;
}

/** `decorr_mono_pass`: undoes one pass on `count` mono samples in place. */
export function monoPass(pass: DecorrPass, buffer: Int32Array, count: number): void {
  pass.weightA = termPass(buffer, 0, 1, count, pass.term, pass.delta, pass.weightA, pass.samplesA, true);
}

/** `decorr_stereo_pass`: undoes one pass on `count` interleaved sample pairs in place. */
export function stereoPass(pass: DecorrPass, buffer: Int32Array, count: number): void {
  if (pass.term > 0) {
    pass.weightA = termPass(buffer, 0, 2, count, pass.term, pass.delta, pass.weightA, pass.samplesA, false);
    pass.weightB = termPass(buffer, 1, 2, count, pass.term, pass.delta, pass.weightB, pass.samplesB, false);
    return;
  }
  crossPass(pass, buffer, count);
}

/** Terms -1 to -3: predictions across the two channels of a stereo block. */
function crossPass(pass: DecorrPass, buffer: Int32Array, count: number): void {
  const delta = pass.delta;
  const a = pass.samplesA;
  const b = pass.samplesB;
  let weightA = pass.weightA;
  let weightB = pass.weightB;
  const end = count * 2;
  switch (pass.term) {
    case -1:
      for (let i = 0; i < end; i += 2) {
        const sam = (buffer[i] + applyWeight(weightA, a[0])) | 0;
        weightA = updateWeightClip(weightA, delta, a[0], buffer[i]);
        buffer[i] = sam;
        a[0] = (buffer[i + 1] + applyWeight(weightB, sam)) | 0;
        weightB = updateWeightClip(weightB, delta, sam, buffer[i + 1]);
        buffer[i + 1] = a[0];
      }
      break;
    case -2:
      for (let i = 0; i < end; i += 2) {
        const sam = (buffer[i + 1] + applyWeight(weightB, b[0])) | 0;
        weightB = updateWeightClip(weightB, delta, b[0], buffer[i + 1]);
        buffer[i + 1] = sam;
        b[0] = (buffer[i] + applyWeight(weightA, sam)) | 0;
        weightA = updateWeightClip(weightA, delta, sam, buffer[i]);
        buffer[i] = b[0];
      }
      break;
    case -3:
      for (let i = 0; i < end; i += 2) {
        const samA = (buffer[i] + applyWeight(weightA, a[0])) | 0;
        weightA = updateWeightClip(weightA, delta, a[0], buffer[i]);
        const samB = (buffer[i + 1] + applyWeight(weightB, b[0])) | 0;
        weightB = updateWeightClip(weightB, delta, b[0], buffer[i + 1]);
        buffer[i] = b[0] = samA;
        buffer[i + 1] = a[0] = samB;
      }
      break;
  }
  pass.weightA = weightA;
  pass.weightB = weightB;
}
