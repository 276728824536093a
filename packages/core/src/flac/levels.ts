import { InvalidArgumentError } from "../errors.js";

/** Encoder settings of one compression level, as libFLAC 1.4 defines them. */
export interface LevelSettings {
  blockSize: number;
  /** Try left/side, right/side and mid/side for two channels. */
  midSide: boolean;
  /** 0: fixed predictors only. */
  maxLpcOrder: number;
  minPartitionOrder: number;
  maxPartitionOrder: number;
  /** How many parts `subdivide_tukey(n)` splits a block into (1 = plain tukey(0.5)). */
  subdivide: number;
}

const LEVELS: LevelSettings[] = [
  { blockSize: 1152, midSide: false, maxLpcOrder: 0, minPartitionOrder: 0, maxPartitionOrder: 3, subdivide: 1 },
  { blockSize: 1152, midSide: true, maxLpcOrder: 0, minPartitionOrder: 0, maxPartitionOrder: 3, subdivide: 1 },
  { blockSize: 1152, midSide: true, maxLpcOrder: 0, minPartitionOrder: 0, maxPartitionOrder: 3, subdivide: 1 },
  { blockSize: 4096, midSide: false, maxLpcOrder: 6, minPartitionOrder: 0, maxPartitionOrder: 4, subdivide: 1 },
  { blockSize: 4096, midSide: true, maxLpcOrder: 8, minPartitionOrder: 0, maxPartitionOrder: 4, subdivide: 1 },
  { blockSize: 4096, midSide: true, maxLpcOrder: 8, minPartitionOrder: 0, maxPartitionOrder: 5, subdivide: 1 },
  { blockSize: 4096, midSide: true, maxLpcOrder: 8, minPartitionOrder: 0, maxPartitionOrder: 6, subdivide: 2 },
  { blockSize: 4096, midSide: true, maxLpcOrder: 12, minPartitionOrder: 0, maxPartitionOrder: 6, subdivide: 2 },
  { blockSize: 4096, midSide: true, maxLpcOrder: 12, minPartitionOrder: 0, maxPartitionOrder: 6, subdivide: 3 },
];

/**
 * Settings of a compression level 0–8 (libFLAC's meaning).
 * @throws {InvalidArgumentError} for a level outside 0–8
 */
export function levelSettings(level: number): LevelSettings {
  if (!Number.isInteger(level) || level < 0 || level > 8) {
    throw new InvalidArgumentError(`compression level ${level} outside 0–8`);
  }
  return LEVELS[level];
}

/** libFLAC's automatic QLP coefficient precision for a stream's bits per sample and block size. */
export function qlpPrecision(bps: number, blockSize: number): number {
  if (bps < 16) return Math.max(5, 2 + (bps >>> 1));
  if (bps === 16) {
    if (blockSize <= 192) return 7;
    if (blockSize <= 384) return 8;
    if (blockSize <= 576) return 9;
    if (blockSize <= 1152) return 10;
    if (blockSize <= 2304) return 11;
    if (blockSize <= 4608) return 12;
    return 13;
  }
  if (blockSize <= 384) return 13;
  if (blockSize <= 1152) return 14;
  return 15;
}
