// WavPack decoding in WebAssembly: the hot parts of decoding a block (the entropy decoder's
// words, libwavpack's get_words_lossless and get_word, and the decorrelation passes), built
// by scripts/build-wasm.mjs with clang (--target=wasm32, no libc). The TypeScript decoder
// (src/wavpack/words.ts, decorrelate.ts) stays the reference: every result here is bit for bit
// the same, and where the words run past their bitstream this returns -1 and the TypeScript
// decoder decodes the block again, to throw its typed error.
//
// Memory (one instance per thread, no allocation): `bits` holds a block's WV_BITSTREAM bytes
// followed by zero bytes; `samples` holds its residuals, then its samples.

#include <stdint.h>

typedef uint32_t u32;
typedef int32_t i32;

#define EXPORT(name) __attribute__((export_name(#name)))

/** Largest bitstream and block (values: samples, twice that for stereo) the kernel takes. */
#define BITS_BYTES (4 << 20)
#define MAX_VALUES (1 << 20)
/** Zero bytes after the bitstream: a 4-byte window load at any position checked against the end stays inside. */
#define PAD_BYTES 64

static uint8_t bits[BITS_BYTES + PAD_BYTES];
static i32 samples[MAX_VALUES];

EXPORT(bits_ptr) uint8_t *bits_ptr(void) { return bits; }
EXPORT(bits_capacity) u32 bits_capacity(void) { return BITS_BYTES; }
EXPORT(samples_ptr) i32 *samples_ptr(void) { return samples; }
EXPORT(samples_capacity) u32 samples_capacity(void) { return MAX_VALUES; }

/** Zeroes the padding after a bitstream of `length` bytes. */
EXPORT(pad_bits) void pad_bits(u32 length) {
  for (u32 i = 0; i < PAD_BYTES; i++) bits[length + i] = 0;
}

/**
 * The entropy decoder's state, shared with TypeScript (words.ts): channel 0's three medians,
 * then channel 1's, the holding flags, the zero-run count and the bit position.
 */
typedef struct {
  u32 median[6];
  u32 holding_one;
  u32 holding_zero;
  u32 zeros_acc;
  u32 pos;
  /** Hybrid blocks: each channel's slow level, error limit, bit rate accumulator and its step. */
  u32 slow_level[2];
  u32 error_limit[2];
  u32 bitrate_acc[2];
  u32 bitrate_delta[2];
} WordState;

static WordState state;
EXPORT(state_ptr) WordState *state_ptr(void) { return &state; }

/** The 32 bits from bit `pos`, lowest first (at least 25 real ones). */
static inline u32 window_at(u32 pos) {
  u32 w;
  __builtin_memcpy(&w, bits + (pos >> 3), 4); // one unaligned little-endian load
  return w >> (pos & 7);
}

static inline u32 bit_at(u32 pos) { return (bits[pos >> 3] >> (pos & 7)) & 1; }

/** `n` bits (0-32) from `*pos`, lowest first. */
static u32 read_bits(u32 *pos, i32 n) {
  if (n > 24) {
    u32 low = read_bits(pos, 16);
    return low | (read_bits(pos, n - 16) << 16);
  }
  u32 value = n == 0 ? 0 : window_at(*pos) & ((1u << n) - 1);
  *pos += n;
  return value;
}

/** `read_code`: a value from 0 to `max_code` in the fewest bits (words.ts's LsbBitReader.code). */
static inline __attribute__((always_inline)) u32 read_code(u32 *pos, u32 max_code) {
  if (max_code < 2) {
    if (max_code == 0) return 0;
    return bit_at((*pos)++);
  }
  i32 bit_count = 32 - __builtin_clz(max_code);
  if (bit_count > 24) {
    u32 extras = (u32)((1ull << bit_count) - max_code - 1);
    u32 code = read_bits(pos, bit_count - 1);
    if (code >= extras) code = code * 2 - extras + bit_at((*pos)++);
    return code;
  }
  u32 extras = (1u << bit_count) - max_code - 1;
  u32 w = window_at(*pos);
  u32 code = w & ((1u << (bit_count - 1)) - 1);
  if (code >= extras) {
    *pos += bit_count;
    return (code << 1) - extras + ((w >> (bit_count - 1)) & 1);
  }
  *pos += bit_count - 1;
  return code;
}

/** An escaped count (n 1s, a 0, n - 1 bits below an implied top bit); -1 at the end-of-stream mark. */
static int64_t escaped_count(u32 *pos) {
  i32 n = 0;
  while (n < 33 && bit_at((*pos)++)) n++;
  if (n == 33) return -1;
  if (n < 2) return n;
  return (int64_t)(read_bits(pos, n - 1) | (1u << (n - 1)));
}

#define LIMIT_ONES 16

/**
 * The zone of a residual from its count of 1s (words.ts's zone, libwavpack's GET_MED, INC_MED and
 * DEC_MED): updates channel `c`'s medians, returns the zone's low end (wrapped to 32 bits as in C)
 * and sets `*span` to its width minus one.
 */
static inline __attribute__((always_inline)) u32 zone(u32 *median, u32 c, u32 ones, u32 *span) {
  u32 m0 = median[c];
  if (ones == 0) {
    *span = m0 >> 4;
    median[c] = m0 - ((m0 + 126) >> 7) * 2;
    return 0;
  }
  u32 low = (m0 >> 4) + 1;
  median[c] = m0 + ((m0 + 128) >> 7) * 5;
  u32 m1 = median[c + 1];
  if (ones == 1) {
    *span = m1 >> 4;
    median[c + 1] = m1 - ((m1 + 62) >> 6) * 2;
    return low;
  }
  low += (m1 >> 4) + 1;
  median[c + 1] = m1 + ((m1 + 64) >> 6) * 5;
  u32 m2 = median[c + 2];
  *span = m2 >> 4;
  if (ones == 2) {
    median[c + 2] = m2 - ((m2 + 30) >> 5) * 2;
    return low;
  }
  median[c + 2] = m2 + ((m2 + 32) >> 5) * 5;
  return low + (ones - 2) * (*span + 1);
}

/**
 * `get_words_lossless` (words.ts's WordDecoder.lossless): `count` samples (mono) or sample pairs
 * (stereo, interleaved) into `samples`, from bit `state.pos` of a bitstream of `size_bits` bits.
 * @returns 0; -1 at an end-of-stream code or once reading runs past the bitstream (TypeScript
 *   then decodes the block again and says which)
 */
EXPORT(lossless) i32 lossless(u32 count, i32 stereo, u32 size_bits) {
  u32 *median = state.median;
  u32 pos = state.pos;
  u32 holding_one = state.holding_one;
  u32 holding_zero = state.holding_zero;
  u32 zeros_acc = state.zeros_acc;
  const u32 words = stereo ? count * 2 : count;
  if (words > MAX_VALUES) return -1;
  i32 *out = samples;
  for (u32 i = 0; i < words; ++i) {
    // at most about 120 bits per value: checked at each one, the reads stay in the padding
    if (pos > size_bits) return -1;
    u32 c = stereo ? (i & 1) * 3 : 0;
    if (holding_zero) {
      holding_zero = 0;
      u32 m = median[c];
      u32 low = read_code(&pos, m >> 4);
      median[c] = m - ((m + 126) >> 7) * 2;
      out[i] = bit_at(pos) ? (i32)~low : (i32)low;
      pos++;
      if (++i == words) break;
      c = stereo ? (i & 1) * 3 : 0;
    }
    if (median[0] < 2 && !holding_one && median[3] < 2) {
      if (zeros_acc) {
        if (--zeros_acc) {
          out[i] = 0;
          continue;
        }
      } else {
        int64_t z = escaped_count(&pos);
        if (z < 0) return -1;
        zeros_acc = (u32)z;
        if (zeros_acc) {
          for (i32 k = 0; k < 6; k++) median[k] = 0;
          out[i] = 0;
          continue;
        }
      }
    }
    u32 zeros = ~window_at(pos) | 0x20000;
    u32 ones = (u32)__builtin_ctz(zeros);
    if (ones < LIMIT_ONES)
      pos += ones + 1;
    else {
      // readOnes: 17 or more ones escape to a count (or mark the end)
      pos += ones;
      if (ones > LIMIT_ONES || bit_at(pos++)) return -1;
      int64_t e = escaped_count(&pos);
      if (e < 0) return -1;
      ones = (u32)e + LIMIT_ONES;
    }
    u32 held = holding_one;
    holding_one = ones & 1;
    holding_zero = ~ones & 1;
    ones = (ones >> 1) + held;
    u32 span;
    u32 low = zone(median, c, ones, &span);
    u32 value = low + read_code(&pos, span);
    out[i] = bit_at(pos) ? (i32)~value : (i32)value;
    pos++;
  }
  if (pos > size_bits) return -1;
  state.pos = pos;
  state.holding_one = holding_one;
  state.holding_zero = holding_zero;
  state.zeros_acc = zeros_acc;
  return 0;
}

/** WavPack's 8-bit log tables, log2.ts's LOG2_TABLE then EXP2_TABLE, copied in by TypeScript. */
static uint8_t tables[512];
#define log2_table tables
#define exp2_table (tables + 256)
EXPORT(tables_ptr) uint8_t *tables_ptr(void) { return tables; }

/** `wp_log2` (log2.ts's log2). */
static i32 wp_log2(u32 value) {
  u32 a = value + (value >> 9);
  i32 dbits = a == 0 ? 0 : 32 - __builtin_clz(a);
  if (a < 256) return (dbits << 8) + log2_table[(a << (9 - dbits)) & 0xff];
  return (dbits << 8) + log2_table[(a >> (dbits - 9)) & 0xff];
}

/** `wp_exp2s` (log2.ts's exp2s). */
static i32 exp2s(i32 log) {
  if (log < 0) return (i32)(0u - (u32)exp2s(-log));
  u32 value = exp2_table[log & 0xff] | 0x100;
  i32 exponent = log >> 8;
  return exponent <= 9 ? (i32)(value >> (9 - exponent)) : (i32)(value << ((exponent - 9) & 0x1f));
}

#define SLS 8
#define SLO (1u << (SLS - 1))
#define FLAG_HYBRID 8u
#define FLAG_HYBRID_BITRATE 0x200u
#define FLAG_HYBRID_BALANCE 0x400u
#define MONO_DATA (4u | 0x40000000u)

static u32 error_limit_for(i32 slow_log, i32 bitrate) {
  return slow_log - bitrate > -0x100 ? (u32)exp2s(slow_log - bitrate + 0x100) : 0;
}

/** `update_error_limit` (words.ts's updateErrorLimit). */
static void update_error_limit(u32 flags) {
  state.bitrate_acc[0] += state.bitrate_delta[0];
  i32 bitrate0 = (i32)(state.bitrate_acc[0] >> 16);
  if (flags & MONO_DATA) {
    if (flags & FLAG_HYBRID_BITRATE)
      state.error_limit[0] = error_limit_for((i32)((state.slow_level[0] + SLO) >> SLS), bitrate0);
    else
      state.error_limit[0] = (u32)exp2s(bitrate0);
    return;
  }
  state.bitrate_acc[1] += state.bitrate_delta[1];
  i32 bitrate1 = (i32)(state.bitrate_acc[1] >> 16);
  if (flags & FLAG_HYBRID_BITRATE) {
    i32 slow_log0 = (i32)((state.slow_level[0] + SLO) >> SLS);
    i32 slow_log1 = (i32)((state.slow_level[1] + SLO) >> SLS);
    if (flags & FLAG_HYBRID_BALANCE) {
      i32 balance = (slow_log1 - slow_log0 + bitrate1 + 1) >> 1;
      if (balance > bitrate0) {
        bitrate1 = bitrate0 * 2;
        bitrate0 = 0;
      } else if (-balance > bitrate0) {
        bitrate0 = bitrate0 * 2;
        bitrate1 = 0;
      } else {
        bitrate1 = bitrate0 + balance;
        bitrate0 = bitrate0 - balance;
      }
    }
    state.error_limit[0] = error_limit_for(slow_log0, bitrate0);
    state.error_limit[1] = error_limit_for(slow_log1, bitrate1);
  } else {
    state.error_limit[0] = (u32)exp2s(bitrate0);
    state.error_limit[1] = (u32)exp2s(bitrate1);
  }
}

/** words.ts's readOnes: the count of 1s that picks a residual's zone; -1 at the end-of-stream mark. */
static int64_t read_ones(u32 *pos) {
  u32 ones = (u32)__builtin_ctz(~window_at(*pos) | 0x20000);
  *pos += ones;
  if (ones < LIMIT_ONES) {
    (*pos)++;
    return ones;
  }
  if (ones > LIMIT_ONES || bit_at((*pos)++)) return -1;
  int64_t e = escaped_count(pos);
  if (e < 0) return -1;
  return (u32)e + LIMIT_ONES;
}

/** `get_word` (words.ts's WordDecoder.hybrid): one residual of a hybrid block for channel `chan`; sets *end at the end mark. */
static i32 hybrid_word(u32 *pos, u32 chan, u32 flags, int *end) {
  u32 *median = state.median;
  u32 c = chan * 3;
  if (!(median[0] & ~1u) && !state.holding_zero && !state.holding_one && !(median[3] & ~1u)) {
    if (state.zeros_acc) {
      if (--state.zeros_acc) {
        state.slow_level[chan] -= (state.slow_level[chan] + SLO) >> SLS;
        return 0;
      }
    } else {
      int64_t z = escaped_count(pos);
      if (z < 0) {
        *end = 1;
        return 0;
      }
      state.zeros_acc = (u32)z;
      if (state.zeros_acc) {
        state.slow_level[chan] -= (state.slow_level[chan] + SLO) >> SLS;
        for (i32 k = 0; k < 6; k++) median[k] = 0;
        return 0;
      }
    }
  }
  u32 ones;
  if (state.holding_zero) {
    ones = 0;
    state.holding_zero = 0;
  } else {
    int64_t r = read_ones(pos);
    if (r < 0) {
      *end = 1;
      return 0;
    }
    ones = (u32)r;
    if (state.holding_one) {
      state.holding_one = ones & 1;
      ones = (ones >> 1) + 1;
    } else {
      state.holding_one = ones & 1;
      ones >>= 1;
    }
    state.holding_zero = ~state.holding_one & 1;
  }
  if ((flags & FLAG_HYBRID) && chan == 0) update_error_limit(flags);
  u32 span;
  u32 zone_low = zone(median, c, ones, &span);
  u32 low = zone_low & 0x7fffffff;
  u32 high = (zone_low + span) & 0x7fffffff;
  if (low > high) high = low;
  u32 mid = (high + low + 1) >> 1;
  u32 limit = state.error_limit[chan];
  if (!limit)
    mid = read_code(pos, high - low) + low;
  else
    while (high - low > limit) {
      if (bit_at((*pos)++)) {
        low = mid;
        mid = (high + low + 1) >> 1;
      } else {
        high = mid - 1;
        mid = (high + low + 1) >> 1;
      }
    }
  u32 sign = bit_at((*pos)++);
  if (flags & FLAG_HYBRID_BITRATE) {
    state.slow_level[chan] -= (state.slow_level[chan] + SLO) >> SLS;
    state.slow_level[chan] += (u32)wp_log2(mid);
  }
  return sign ? (i32)~mid : (i32)mid;
}

/**
 * The words of a hybrid block: `count` samples (mono) or pairs (stereo) into `samples`, from bit
 * `state.pos`; returns 0, or -1 at the end mark or past the bitstream (as lossless).
 */
EXPORT(hybrid) i32 hybrid(u32 count, i32 stereo, u32 flags, u32 size_bits) {
  const u32 values = stereo ? count * 2 : count;
  if (values > MAX_VALUES) return -1;
  u32 pos = state.pos;
  int end = 0;
  for (u32 i = 0; i < values; i++) {
    // each word reads at most about 100 bits past this check, and the error-limit loop at most 31
    if (pos > size_bits) return -1;
    samples[i] = hybrid_word(&pos, stereo ? (i & 1) : 0, flags, &end);
    if (end) return -1;
  }
  if (pos > size_bits) return -1;
  state.pos = pos;
  return 0;
}

/** One decorrelation pass (decorrelate.ts's DecorrPass), shared with TypeScript. */
typedef struct {
  i32 term;
  i32 delta;
  i32 weight_a;
  i32 weight_b;
  i32 samples_a[8];
  i32 samples_b[8];
} Pass;

#define MAX_PASSES 16
static Pass passes[MAX_PASSES];
EXPORT(passes_ptr) Pass *passes_ptr(void) { return passes; }

/** `apply_weight`, exactly as libwavpack (and decorrelate.ts) compute it in 32 bits. */
static inline i32 apply_weight(i32 weight, i32 sample) {
  if (sample == (i32)(int16_t)sample) return (i32)((u32)weight * (u32)sample + 512) >> 10;
  u32 low = (u32)((i32)((u32)(sample & 0xffff) * (u32)weight) >> 9);
  u32 high = (u32)((sample & ~0xffff) >> 9) * (u32)weight;
  return (i32)(low + high + 1) >> 1;
}

/** `update_weight_clip`. */
static inline i32 update_weight_clip(i32 weight, i32 delta, i32 source, i32 result) {
  if (source == 0 || result == 0) return weight;
  i32 s = (source ^ result) >> 31;
  i32 w = (i32)(((u32)weight ^ (u32)s) + ((u32)delta - (u32)s));
  if (w > 1024) w = 1024;
  return (i32)(((u32)w ^ (u32)s) - (u32)s);
}

/** The sign-driven weight update of terms 1-18. */
#define UPDATE_WEIGHT(weight, sam, residual)                          \
  if ((sam) != 0 && (residual) != 0) {                                \
    i32 s_ = ((sam) ^ (residual)) >> 31;                              \
    weight = (i32)(((u32)delta ^ (u32)s_) + ((u32)weight - (u32)s_)); \
  }

/** decorrelate.ts's termPass on a mono block: one positive term over `count` samples from `x`; returns the weight. */
static i32 term_pass(i32 *x, u32 count, i32 term, i32 delta, i32 weight, const i32 *history) {
  const u32 stride = 1;
  i32 *end = x + count * stride;
  if (term > 8) {
    i32 s0 = history[0], s1 = history[1];
    for (i32 *p = x; p < end; p += stride) {
      // (mono term 18 wraps differently from stereo's on overflow, as libwavpack's)
      i32 sam = term == 17 ? (i32)(2 * (u32)s0 - (u32)s1) : (i32)(3 * (u32)s0 - (u32)s1) >> 1;
      i32 residual = *p;
      i32 out = (i32)((u32)apply_weight(weight, sam) + (u32)residual);
      UPDATE_WEIGHT(weight, sam, residual)
      *p = out;
      s1 = s0;
      s0 = out;
    }
    return weight;
  }
  const u32 lag = (u32)term * stride;
  i32 *history_end = count > (u32)term ? x + lag : end;
  i32 j = 0;
  for (i32 *p = x; p < history_end; p += stride, j++) {
    i32 sam = history[j];
    i32 residual = *p;
    *p = (i32)((u32)apply_weight(weight, sam) + (u32)residual);
    UPDATE_WEIGHT(weight, sam, residual)
  }
  if (term == 1 && history_end < end) {
    // the sample before, kept in a local: no store and reload between one sample and the next
    i32 sam = history_end[-(i32)stride];
    for (i32 *p = history_end; p < end; p += stride) {
      i32 residual = *p;
      i32 out = (i32)((u32)apply_weight(weight, sam) + (u32)residual);
      UPDATE_WEIGHT(weight, sam, residual)
      *p = out;
      sam = out;
    }
    return weight;
  }
  for (i32 *p = history_end; p < end; p += stride) {
    i32 sam = p[-(i32)lag];
    i32 residual = *p;
    *p = (i32)((u32)apply_weight(weight, sam) + (u32)residual);
    UPDATE_WEIGHT(weight, sam, residual)
  }
  return weight;
}

/** One sample of a positive-term pass: `*p` (a residual) becomes the sample predicted from `sam`. */
#define TERM_STEP(p, sam, weight)                                     \
  {                                                                   \
    i32 residual_ = *(p);                                             \
    i32 out_ = (i32)((u32)apply_weight(weight, sam) + (u32)residual_); \
    UPDATE_WEIGHT(weight, sam, residual_)                             \
    *(p) = out_;                                                      \
  }

/**
 * term_pass on both channels of a stereo block at once (decorrelate.ts's stereoPass for terms
 * 1-8, 17 and 18): the two channels' chains are independent, so the processor runs them side by side.
 */
static void stereo_term_pass(Pass *pass, i32 *x, u32 count) {
  const i32 term = pass->term, delta = pass->delta;
  i32 wa = pass->weight_a, wb = pass->weight_b;
  i32 *end = x + 2 * count;
  if (term > 8) {
    i32 a0 = pass->samples_a[0], a1 = pass->samples_a[1], b0 = pass->samples_b[0], b1 = pass->samples_b[1];
    for (i32 *p = x; p < end; p += 2) {
      i32 sam_a = term == 17 ? (i32)(2 * (u32)a0 - (u32)a1) : (i32)((u32)a0 + (u32)((i32)((u32)a0 - (u32)a1) >> 1));
      i32 sam_b = term == 17 ? (i32)(2 * (u32)b0 - (u32)b1) : (i32)((u32)b0 + (u32)((i32)((u32)b0 - (u32)b1) >> 1));
      TERM_STEP(p, sam_a, wa)
      TERM_STEP(p + 1, sam_b, wb)
      a1 = a0;
      a0 = p[0];
      b1 = b0;
      b0 = p[1];
    }
  } else {
    const u32 lag = 2 * (u32)term;
    i32 *history_end = count > (u32)term ? x + lag : end;
    i32 j = 0;
    for (i32 *p = x; p < history_end; p += 2, j++) {
      TERM_STEP(p, pass->samples_a[j], wa)
      TERM_STEP(p + 1, pass->samples_b[j], wb)
    }
    for (i32 *p = history_end; p < end; p += 2) {
      TERM_STEP(p, p[-(i32)lag], wa)
      TERM_STEP(p + 1, p[1 - (i32)lag], wb)
    }
  }
  pass->weight_a = wa;
  pass->weight_b = wb;
}

/** decorrelate.ts's crossPass: terms -1 to -3 across the two channels. */
static void cross_pass(Pass *pass, i32 *x, u32 count) {
  const i32 delta = pass->delta;
  i32 *a = pass->samples_a, *b = pass->samples_b;
  i32 wa = pass->weight_a, wb = pass->weight_b;
  i32 *end = x + 2 * count;
  switch (pass->term) {
    case -1:
      for (i32 *p = x; p < end; p += 2) {
        i32 sam = (i32)((u32)p[0] + (u32)apply_weight(wa, a[0]));
        wa = update_weight_clip(wa, delta, a[0], p[0]);
        p[0] = sam;
        a[0] = (i32)((u32)p[1] + (u32)apply_weight(wb, sam));
        wb = update_weight_clip(wb, delta, sam, p[1]);
        p[1] = a[0];
      }
      break;
    case -2:
      for (i32 *p = x; p < end; p += 2) {
        i32 sam = (i32)((u32)p[1] + (u32)apply_weight(wb, b[0]));
        wb = update_weight_clip(wb, delta, b[0], p[1]);
        p[1] = sam;
        b[0] = (i32)((u32)p[0] + (u32)apply_weight(wa, sam));
        wa = update_weight_clip(wa, delta, sam, p[0]);
        p[0] = b[0];
      }
      break;
    case -3:
      for (i32 *p = x; p < end; p += 2) {
        i32 sam_a = (i32)((u32)p[0] + (u32)apply_weight(wa, a[0]));
        wa = update_weight_clip(wa, delta, a[0], p[0]);
        i32 sam_b = (i32)((u32)p[1] + (u32)apply_weight(wb, b[0]));
        wb = update_weight_clip(wb, delta, b[0], p[1]);
        p[0] = b[0] = sam_a;
        p[1] = a[0] = sam_b;
      }
      break;
  }
  pass->weight_a = wa;
  pass->weight_b = wb;
}

/**
 * Undoes passes `terms - 1` down to 0 of `passes` (decode-block.ts's order) on `count` mono
 * samples or sample pairs in `samples`; returns 0, or -1 for a block larger than the kernel's memory.
 */
EXPORT(decorrelate) i32 decorrelate(u32 terms, u32 count, i32 mono) {
  if (terms > MAX_PASSES || (mono ? count : 2 * count) > MAX_VALUES) return -1;
  for (u32 t = 0; t < terms; t++) {
    Pass *pass = &passes[t];
    if (mono)
      pass->weight_a = term_pass(samples, count, pass->term, pass->delta, pass->weight_a, pass->samples_a);
    else if (pass->term > 0)
      stereo_term_pass(pass, samples, count);
    else
      cross_pass(pass, samples, count);
  }
  return 0;
}

static u32 crc;
/** The sample checksum computed by the last check_and_sum. */
EXPORT(last_crc) u32 last_crc(void) { return crc; }

static inline int beyond(i32 v, i32 limit) { return (v < 0 ? -(int64_t)v : (int64_t)v) > limit; }

/**
 * decode-block.ts's checkAndSum on `samples`: undoes joint stereo, computes the block's sample
 * checksum (into last_crc) and finds a sample beyond `mute_limit`.
 * @returns the index of the sample TypeScript would report beyond the limit, or -1
 */
EXPORT(check_and_sum) i32 check_and_sum(u32 count, i32 mono, i32 joint, i32 mute_limit) {
  u32 sum = 0xffffffffu;
  i32 *x = samples;
  if (mono) {
    for (u32 i = 0; i < count; i++) {
      if (beyond(x[i], mute_limit)) return (i32)i;
      sum = sum * 3 + (u32)x[i];
    }
    crc = sum;
    return -1;
  }
  const u32 end = 2 * count;
  for (u32 i = 0; i < end; i += 2) {
    if (joint) {
      x[i + 1] = (i32)((u32)x[i + 1] - (u32)(x[i] >> 1));
      x[i] = (i32)((u32)x[i] + (u32)x[i + 1]);
    }
    u32 left = (u32)x[i];
    sum = sum + (sum << 3) + (left << 1) + left + (u32)x[i + 1];
  }
  crc = sum;
  for (u32 i = 0; i < end; i += 16)
    if (beyond(x[i], mute_limit) || beyond(x[i + 1], mute_limit)) return (i32)i;
  return -1;
}
