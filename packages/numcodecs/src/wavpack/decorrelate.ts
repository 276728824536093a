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

/** `update_weight`: moves the weight by `delta` towards agreement of `source` and `result`. */
function updateWeight(weight: number, delta: number, source: number, result: number): number {
  if (source === 0 || result === 0) return weight;
  const s = (source ^ result) >> 31;
  return ((delta ^ s) + (weight - s)) | 0;
}

/** `update_weight_clip`: {@link updateWeight} with the weight held within ±1024. */
function updateWeightClip(weight: number, delta: number, source: number, result: number): number {
  if (source === 0 || result === 0) return weight;
  const s = (source ^ result) >> 31;
  let w = ((weight ^ s) + (delta - s)) | 0;
  if (w > 1024) w = 1024;
  return ((w ^ s) - s) | 0;
}

/** `decorr_mono_pass`: undoes one pass on `count` mono samples in place. */
export function monoPass(pass: DecorrPass, buffer: Int32Array, count: number): void {
  const delta = pass.delta;
  const a = pass.samplesA;
  let weight = pass.weightA;
  if (pass.term === 17 || pass.term === 18) {
    const seventeen = pass.term === 17;
    for (let i = 0; i < count; i++) {
      const sam = seventeen ? (2 * a[0] - a[1]) | 0 : (3 * a[0] - a[1]) >> 1;
      const residual = buffer[i];
      a[1] = a[0];
      a[0] = (applyWeight(weight, sam) + residual) | 0;
      weight = updateWeight(weight, delta, sam, residual);
      buffer[i] = a[0];
    }
  } else {
    let m = 0;
    let k = pass.term & (MAX_TERM - 1);
    for (let i = 0; i < count; i++) {
      const sam = a[m];
      const residual = buffer[i];
      a[k] = (applyWeight(weight, sam) + residual) | 0;
      weight = updateWeight(weight, delta, sam, residual);
      buffer[i] = a[k];
      m = (m + 1) & (MAX_TERM - 1);
      k = (k + 1) & (MAX_TERM - 1);
    }
  }
  pass.weightA = weight;
}

/** `decorr_stereo_pass`: undoes one pass on `count` interleaved sample pairs in place. */
export function stereoPass(pass: DecorrPass, buffer: Int32Array, count: number): void {
  const delta = pass.delta;
  const a = pass.samplesA;
  const b = pass.samplesB;
  let weightA = pass.weightA;
  let weightB = pass.weightB;
  const end = count * 2;
  switch (pass.term) {
    case 17:
    case 18: {
      const seventeen = pass.term === 17;
      for (let i = 0; i < end; i += 2) {
        let sam = seventeen ? (2 * a[0] - a[1]) | 0 : (a[0] + ((a[0] - a[1]) >> 1)) | 0;
        let residual = buffer[i];
        a[1] = a[0];
        buffer[i] = a[0] = (applyWeight(weightA, sam) + residual) | 0;
        weightA = updateWeight(weightA, delta, sam, residual);
        sam = seventeen ? (2 * b[0] - b[1]) | 0 : (b[0] + ((b[0] - b[1]) >> 1)) | 0;
        residual = buffer[i + 1];
        b[1] = b[0];
        buffer[i + 1] = b[0] = (applyWeight(weightB, sam) + residual) | 0;
        weightB = updateWeight(weightB, delta, sam, residual);
      }
      break;
    }
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
    default: {
      let m = 0;
      let k = pass.term & (MAX_TERM - 1);
      for (let i = 0; i < end; i += 2) {
        let sam = a[m];
        let residual = buffer[i];
        a[k] = (applyWeight(weightA, sam) + residual) | 0;
        weightA = updateWeight(weightA, delta, sam, residual);
        buffer[i] = a[k];
        sam = b[m];
        residual = buffer[i + 1];
        b[k] = (applyWeight(weightB, sam) + residual) | 0;
        weightB = updateWeight(weightB, delta, sam, residual);
        buffer[i + 1] = b[k];
        m = (m + 1) & (MAX_TERM - 1);
        k = (k + 1) & (MAX_TERM - 1);
      }
    }
  }
  pass.weightA = weightA;
  pass.weightB = weightB;
}
