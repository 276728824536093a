/**
 * A fixed-seed Neuropixels-like recording: int16-range values, channels x samples, with noise
 * correlated across neighbouring channels, a slow LFP-like common mode and spikes whose
 * waveforms spread over nearby channels. Used by the demo, the benchmark and tests.
 */

/** A small, fast, seedable PRNG (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Generates `channels x samples` int16-range values (C order, one row per channel) in an Int32Array.
 * @param seed - PRNG seed; the same seed gives the same data
 */
export function neuropixelsLike(channels: number, samples: number, seed = 42): Int32Array {
  const rand = mulberry32(seed);
  const gauss = () => {
    const u = rand() || 1e-12;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const out = new Int32Array(channels * samples);
  // common mode: a slow AR(2) process shared by all channels
  const common = new Float64Array(samples);
  let c1 = 0;
  let c2 = 0;
  for (let t = 0; t < samples; t++) {
    const v = 1.97 * c1 - 0.9704 * c2 + gauss() * 2;
    common[t] = v;
    c2 = c1;
    c1 = v;
  }
  // spikes: about 40 units, each on ~6 neighbouring channels, firing ~5 Hz at 30 kHz
  const nUnits = Math.max(1, Math.round(channels / 10));
  const spikes = new Float64Array(channels * samples);
  const shape = (k: number) => (k < 10 ? -Math.sin((Math.PI * k) / 10) : 0.4 * Math.sin((Math.PI * (k - 10)) / 20));
  for (let u = 0; u < nUnits; u++) {
    const center = Math.floor(rand() * channels);
    const amplitude = 60 + rand() * 140;
    const rate = 5 / 30000;
    for (let t = Math.floor(-Math.log(rand() || 1e-12) / rate); t < samples - 30; t += 30 + Math.floor(-Math.log(rand() || 1e-12) / rate)) {
      for (let c = Math.max(0, center - 3); c < Math.min(channels, center + 4); c++) {
        const a = amplitude * Math.exp(-Math.abs(c - center) / 1.5);
        for (let k = 0; k < 30; k++) spikes[c * samples + t + k] += a * shape(k);
      }
    }
  }
  // per channel: AR(1) noise mixed with the neighbour below, plus common mode and spikes
  const prev = new Float64Array(samples);
  for (let c = 0; c < channels; c++) {
    let ar = 0;
    const gain = 0.8 + 0.4 * rand();
    const offset = Math.round((rand() - 0.5) * 100);
    for (let t = 0; t < samples; t++) {
      ar = 0.6 * ar + gauss() * 14;
      const local = 0.7 * ar + 0.3 * prev[t];
      prev[t] = ar;
      const v = Math.round(offset + local + gain * common[t] + spikes[c * samples + t]);
      out[c * samples + t] = Math.max(-32768, Math.min(32767, v));
    }
  }
  return out;
}
