/**
 * Constants of the WavPack 4/5 block format: header flags and metadata sub-block ids,
 * as `include/wavpack.h` of libwavpack defines them.
 */

/** Header flags (`WavpackHeader.flags`). */
export const FLAG = {
  /** Low two bits: bytes per sample minus one. */
  BYTES_STORED: 3,
  MONO: 4,
  HYBRID: 8,
  JOINT_STEREO: 0x10,
  CROSS_DECORR: 0x20,
  HYBRID_SHAPE: 0x40,
  FLOAT_DATA: 0x80,
  INT32_DATA: 0x100,
  HYBRID_BITRATE: 0x200,
  HYBRID_BALANCE: 0x400,
  INITIAL_BLOCK: 0x800,
  FINAL_BLOCK: 0x1000,
  SHIFT_LSB: 13,
  MAG_LSB: 18,
  SRATE_LSB: 23,
  HAS_CHECKSUM: 0x10000000,
  NEW_SHAPING: 0x20000000,
  FALSE_STEREO: 0x40000000,
  DSD: 0x80000000,
} as const;

/** A mono stream, or a stereo block that carries mono data (`MONO_DATA`). */
export const MONO_DATA = FLAG.MONO | FLAG.FALSE_STEREO;

/** Metadata sub-block ids (the low six bits of the id byte). */
export const ID = {
  DUMMY: 0x0,
  ENCODER_INFO: 0x1,
  DECORR_TERMS: 0x2,
  DECORR_WEIGHTS: 0x3,
  DECORR_SAMPLES: 0x4,
  ENTROPY_VARS: 0x5,
  HYBRID_PROFILE: 0x6,
  SHAPING_WEIGHTS: 0x7,
  FLOAT_INFO: 0x8,
  INT32_INFO: 0x9,
  WV_BITSTREAM: 0xa,
  WVC_BITSTREAM: 0xb,
  WVX_BITSTREAM: 0xc,
  CHANNEL_INFO: 0xd,
  DSD_BLOCK: 0xe,
  /** Sub-blocks a decoder may skip when it does not know them. */
  OPTIONAL_DATA: 0x20,
  /** The stored length is one byte longer than the data. */
  ODD_SIZE: 0x40,
  /** The length takes three bytes instead of one. */
  LARGE: 0x80,
  WVX_NEW_BITSTREAM: 0x20 | 0xc,
  BLOCK_CHECKSUM: 0x20 | 0xf,
} as const;

/** Float-info flags (`ID_FLOAT_INFO`, first byte). */
export const FLOAT_FLAG = {
  SHIFT_ONES: 1,
  SHIFT_SAME: 2,
  SHIFT_SENT: 4,
  ZEROS_SENT: 8,
  NEG_ZEROS: 0x10,
  EXCEPTIONS: 0x20,
} as const;

/** Most decorrelation passes a block may carry. */
export const MAX_NTERMS = 16;
/** Longest plain decorrelation term (terms 17 and 18 are extrapolations). */
export const MAX_TERM = 8;
/** Stream versions libwavpack 5 decodes. */
export const MIN_STREAM_VERSION = 0x402;
export const MAX_STREAM_VERSION = 0x410;
/** Size of the block header. */
export const HEADER_BYTES = 32;
/** Most channels a WavPack stream carries. */
export const MAX_CHANNELS = 4096;
