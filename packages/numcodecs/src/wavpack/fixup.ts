import type { LsbBitReader } from "./bit-reader.js";
import { FLAG, FLOAT_FLAG, MONO_DATA } from "./constants.js";
import { countBits } from "./log2.js";

/** Extended-precision state of a block: `ID_INT32_INFO`, `ID_FLOAT_INFO` and the WVX stream. */
export interface ExtendedInfo {
  int32SentBits: number;
  int32Zeros: number;
  int32Ones: number;
  int32Dups: number;
  int32MaxWidth: number;
  floatFlags: number;
  floatShift: number;
  floatMaxExp: number;
  floatMinShiftedZeros: number;
  floatMaxShiftedOnes: number;
  /** The "extra" bitstream with the bits the main stream leaves out, or undefined. */
  wvx: LsbBitReader | undefined;
  /** Running checksum of the extended output (`crc_x`). */
  crcX: number;
}

/**
 * `fixup_samples`: turns the decorrelated integers of a block into output samples: float
 * reconstruction, extended 32-bit integers, and the final shift (or, for lossy data,
 * clipping to the sample size and shift in one step).
 */
export function fixupSamples(flags: number, info: ExtendedInfo, buffer: Int32Array, count: number): void {
  const values = flags & MONO_DATA ? count : count * 2;
  if (flags & FLAG.FLOAT_DATA) {
    if (info.wvx) floatValues(info, info.wvx, buffer, values);
    else floatValuesWithoutWvx(info, buffer, values);
    return;
  }
  const lossy = (flags & FLAG.HYBRID) !== 0;
  let shift = (flags >>> FLAG.SHIFT_LSB) & 0x1f;
  if (flags & FLAG.INT32_DATA) {
    const sentBits = info.int32SentBits & 0x1f;
    let zeros = info.int32Zeros & 0x1f;
    let ones = info.int32Ones & 0x1f;
    let dups = info.int32Dups & 0x1f;
    if (info.wvx) {
      const wvx = info.wvx;
      const maxWidth = info.int32MaxWidth;
      let crc = info.crcX;
      for (let i = 0; i < values; i++) {
        let v = buffer[i];
        if (sentBits) {
          if (maxWidth) {
            const width = countBits(v < 0 ? ~v : v) + sentBits;
            let toRead = sentBits;
            if (width <= maxWidth || (toRead -= width - maxWidth) > 0) v = ((v << toRead) | wvx.bits(toRead)) << (sentBits - toRead);
            else v <<= sentBits;
          } else v = (v << sentBits) | wvx.bits(sentBits);
        }
        v = restoreLowBits(v, zeros, ones, dups);
        crc = (Math.imul(crc, 9) + (v & 0xffff) * 3 + ((v >> 16) & 0xffff)) | 0;
        buffer[i] = v;
      }
      info.crcX = crc;
    } else if (!sentBits && zeros + ones + dups) {
      while (lossy && (flags & FLAG.BYTES_STORED) === 3 && shift < 8) {
        if (zeros) zeros--;
        else if (ones) ones--;
        else if (dups) dups--;
        else break;
        shift++;
      }
      for (let i = 0; i < values; i++) buffer[i] = restoreLowBits(buffer[i], zeros, ones, dups);
    } else shift += zeros + sentBits + ones + dups;
  }
  shift &= 0x1f;
  if (lossy) {
    const bits = 8 * ((flags & FLAG.BYTES_STORED) + 1);
    const minValue = -(2 ** (bits - 1)) >> shift;
    const maxValue = (2 ** (bits - 1) - 1) >> shift;
    const minShifted = minValue << shift;
    const maxShifted = maxValue << shift;
    for (let i = 0; i < values; i++) {
      const v = buffer[i];
      buffer[i] = v < minValue ? minShifted : v > maxValue ? maxShifted : v << shift;
    }
  } else if (shift) for (let i = 0; i < values; i++) buffer[i] <<= shift;
}

/** Restores low bits the encoder removed because they were all zeros, all ones, or copies. */
function restoreLowBits(v: number, zeros: number, ones: number, dups: number): number {
  if (zeros) return v << zeros;
  if (ones) return ((v + 1) << ones) - 1;
  if (dups) return ((v + (v & 1)) << dups) - (v & 1);
  return v;
}

/** Sets the mantissa, exponent and sign fields of a float's bit pattern. */
function floatBits(mantissa: number, exponent: number, sign: number): number {
  return (sign << 31) | ((exponent & 0xff) << 23) | (mantissa & 0x7fffff) | 0;
}

/** `float_values`: lossless floats, with the bits the integer stream left out read from the WVX stream. */
function floatValues(info: ExtendedInfo, wvx: LsbBitReader, values: Int32Array, count: number): void {
  const { floatFlags, floatMaxExp } = info;
  const minShiftedZeros = info.floatMinShiftedZeros;
  const maxShiftedOnes = info.floatMaxShiftedOnes;
  let crc = info.crcX;
  for (let i = 0; i < count; i++) {
    let v = values[i];
    let exp = floatMaxExp;
    let mantissa = 0;
    let exponent = 0;
    let sign = 0;
    if (v === 0) {
      if (floatFlags & FLOAT_FLAG.ZEROS_SENT) {
        if (wvx.bit()) {
          mantissa = wvx.bits(23);
          if (exp >= 25) exponent = wvx.bits(8);
          sign = wvx.bit();
        } else if (floatFlags & FLOAT_FLAG.NEG_ZEROS) sign = wvx.bit();
      }
    } else {
      v <<= info.floatShift & 0x1f;
      if (v < 0) {
        v = -v | 0;
        sign = 1;
      }
      if (v === 0x1000000) {
        if (wvx.bit()) mantissa = wvx.bits(23);
        exponent = 255;
      } else {
        let shiftCount = 0;
        if (exp)
          while (!(v & 0x800000) && --exp) {
            shiftCount++;
            v <<= 1;
          }
        shiftCount &= 0x1f;
        if (shiftCount) {
          if (floatFlags & FLOAT_FLAG.SHIFT_ONES || (floatFlags & FLOAT_FLAG.SHIFT_SAME && wvx.bit())) v |= (1 << shiftCount) - 1;
          else if (floatFlags & FLOAT_FLAG.SHIFT_SENT) {
            const mask = (1 << shiftCount) - 1;
            let numZeros = 0;
            if (maxShiftedOnes && shiftCount > maxShiftedOnes) numZeros = shiftCount - maxShiftedOnes;
            if (minShiftedZeros > numZeros) numZeros = Math.min(minShiftedZeros, shiftCount);
            const toRead = shiftCount - numZeros;
            if (toRead > 0) v |= (wvx.bits(toRead) << numZeros) & mask;
          }
        }
        mantissa = v;
        exponent = exp;
      }
    }
    const out = floatBits(mantissa, exponent, sign);
    crc = (Math.imul(crc, 27) + (out & 0x7fffff) * 9 + ((out >>> 23) & 0xff) * 3 + (out >>> 31)) | 0;
    values[i] = out;
  }
  info.crcX = crc;
}

/** `float_values_nowvx`: floats of a lossy block, or of a lossless block that needs no extra bits. */
function floatValuesWithoutWvx(info: ExtendedInfo, values: Int32Array, count: number): void {
  const { floatFlags, floatMaxExp } = info;
  for (let i = 0; i < count; i++) {
    let v = values[i];
    if (v === 0) continue;
    let exp = floatMaxExp;
    let sign = 0;
    v <<= info.floatShift & 0x1f;
    if (v < 0) {
      v = -v | 0;
      sign = 1;
    }
    if (v >= 0x1000000) {
      while (v & 0xf000000) {
        v >>= 1;
        ++exp;
      }
    } else if (exp) {
      let shiftCount = 0;
      while (!(v & 0x800000) && --exp) {
        shiftCount++;
        v <<= 1;
      }
      shiftCount &= 0x1f;
      if (shiftCount && floatFlags & FLOAT_FLAG.SHIFT_ONES) v |= (1 << shiftCount) - 1;
    }
    values[i] = floatBits(v, exp, sign);
  }
}
