// FLAC subframe decoding in WebAssembly: the hot part of decoding (Rice residuals, the prediction
// that turns them back into samples, the frame CRC-16), built by scripts/build-wasm.mjs with
// clang (--target=wasm32, no libc). The TypeScript decoder (src/flac/subframe-decode.ts) stays
// the reference: every check here mirrors one there, every result is bit for bit the same (valid
// stream or not: test/core/wasm-kernel.test.ts), and on any error this returns -1 and the
// TypeScript decoder decodes the frame again, to throw its typed error with its message and
// byte offset.
//
// Memory (one instance per thread, no allocation): `input` receives a window of the stream, which
// prepare_input then reverses in place, so that one little-endian 64-bit load reads 64 bits of
// the stream in order (see peek); zero bytes lie below it, where reads past the data land.
// `output` holds the decoded subframes.

#include <stdint.h>

typedef uint32_t u32;
typedef int32_t i32;
typedef uint64_t u64;
typedef int64_t i64;

#define EXPORT(name) __attribute__((export_name(#name)))

#define MAX_BLOCK 65536
#define MAX_CHANNELS 2
/**
 * Zero bytes below the (reversed) data: the bytes read past the data's end. Reads are checked
 * against the end at every partition and whenever a Rice code's unary part is longer than a
 * 64-bit load holds, and each check lets at most the largest fixed-size read (32 warm-up samples
 * of 32 bits, 32 coefficients, a subframe header) run past it, which these bytes cover. A Rice
 * code read past the data meets only zeros, so its unary part takes that checked path. Reading
 * past the data is caught at the end (past_end). So no read goes further than about 200 bytes
 * below the data, inside these bytes: none leaves the module's memory, none traps.
 */
#define PAD_BYTES 512

/** Largest input window in bytes (a multiple of 16). */
#define INPUT_BYTES (1 << 20)

/**
 * Zero samples before each output channel: predictors padded to 8 or 12 taps read that far back
 * from a channel's first samples (with zero coefficients), so those reads stay in the array.
 */
#define GUARD 16
#define CHANNEL_STRIDE (GUARD + MAX_BLOCK)

static uint8_t memory_in[PAD_BYTES + INPUT_BYTES] __attribute__((aligned(16)));
static i32 output[MAX_CHANNELS * CHANNEL_STRIDE];
/** One past the stream's first byte in the reversed window: stream byte p is data_end[-1 - p]. */
static const uint8_t *data_end = memory_in + PAD_BYTES;

/** Where TypeScript writes the input window. */
EXPORT(input_ptr) uint8_t *input_ptr(void) { return memory_in + PAD_BYTES; }
/** Where decoded subframe channel c (0 or 1) lands. */
EXPORT(channel_ptr) i32 *channel_ptr(i32 c) { return output + GUARD + c * CHANNEL_STRIDE; }
/** Capacity of the input window in bytes. */
EXPORT(input_capacity) u32 input_capacity(void) { return INPUT_BYTES; }

/** CRC-16 (poly 0x8005) tables for eight bytes per step: crc_table[k][b] is the CRC of b and k zero bytes. */
static uint16_t crc_table[8][256];

/** Fills the CRC tables; call once before anything else. */
EXPORT(init) void init(void) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i << 8;
    for (i32 b = 0; b < 8; b++) c = c & 0x8000 ? (c << 1) ^ 0x8005 : c << 1;
    crc_table[0][i] = (uint16_t)c;
  }
  for (i32 k = 1; k < 8; k++)
    for (u32 i = 0; i < 256; i++) {
      u32 prev = crc_table[k - 1][i];
      crc_table[k][i] = (uint16_t)((prev << 8) ^ crc_table[0][prev >> 8]);
    }
}

/** Byte `p` of the stream window. */
static inline u32 input_byte(u32 p) { return data_end[-1 - (i32)p]; }

/** Stream bytes p..p+7 as a big-endian number (one load: the window is reversed). */
static inline u64 input_u64(u32 p) {
  u64 w;
  __builtin_memcpy(&w, data_end - 8 - p, 8);
  return w;
}

/**
 * CRC-16 of input bytes [start, end), as a FLAC frame's footer holds it; eight bytes a step (the
 * chain from one step to the next is one table load: with four bytes a step, the CRC took a tenth
 * of the decode's time). Returns 0x10000, which no CRC-16 equals, for bytes outside the window.
 */
EXPORT(crc16) u32 crc16(u32 start, u32 end) {
  /* bytes outside the window: no CRC-16 equals this, so the frame is decoded again in TypeScript */
  if (start > end || end > (u32)(data_end - (memory_in + PAD_BYTES))) return 0x10000;
  u32 crc = 0;
  u32 p = start;
  for (; p + 8 <= end; p += 8) {
    u64 w = input_u64(p);
    u32 hi = (u32)(w >> 32);
    u32 lo = (u32)w;
    crc = crc_table[7][(crc >> 8) ^ (hi >> 24)] ^ crc_table[6][(crc & 0xff) ^ ((hi >> 16) & 0xff)] ^ crc_table[5][(hi >> 8) & 0xff] ^
          crc_table[4][hi & 0xff] ^ crc_table[3][lo >> 24] ^ crc_table[2][(lo >> 16) & 0xff] ^ crc_table[1][(lo >> 8) & 0xff] ^
          crc_table[0][lo & 0xff];
  }
  for (; p < end; p++) crc = ((crc << 8) ^ crc_table[0][(crc >> 8) ^ input_byte(p)]) & 0xffff;
  return crc;
}

/** Reverses the first `bytes` bytes of the input in place (see peek). */
EXPORT(prepare_input) void prepare_input(u32 bytes) {
  uint8_t *a = memory_in + PAD_BYTES;
  uint8_t *b = a + bytes;
  while (b - a >= 16) {
    u64 x, y;
    b -= 8;
    __builtin_memcpy(&x, a, 8);
    __builtin_memcpy(&y, b, 8);
    x = __builtin_bswap64(x);
    y = __builtin_bswap64(y);
    __builtin_memcpy(a, &y, 8);
    __builtin_memcpy(b, &x, 8);
    a += 8;
  }
  while (b - a >= 2) {
    uint8_t t = *a;
    *a++ = *--b;
    *b = t;
  }
  data_end = memory_in + PAD_BYTES + bytes;
}

/**
 * The stream's bits from bit `pos` on, left-aligned in 64 bits, of which at least the first 57
 * are the stream's (or the zeros after it). One load: the window is stored reversed, so a
 * little-endian load holds stream byte pos / 8 in its top byte.
 */
static inline u64 peek(u32 pos) {
  u64 w;
  __builtin_memcpy(&w, data_end - 8 - (pos >> 3), 8);
  return w << (pos & 7);
}

/** Bits of a peek that are the stream's, at least. */
#define PEEK_BITS 57

/** Bit reader over the input: the next bit is `pos`; the data end at bit `end_bit`. */
typedef struct {
  u32 pos;
  u32 end_bit;
} Reader;

/** Reads n (0-32) bits as an unsigned number. */
static inline u32 read_bits(Reader *r, i32 n) {
  /* (w >> 32) >> (32 - n), not w >> (64 - n): a shift by 64 is a shift by 0 */
  u32 v = (u32)((peek(r->pos) >> 32) >> (32 - n));
  r->pos += (u32)n;
  return v;
}

/** Reads n (1-32) bits as a two's complement number. */
static inline i32 read_signed(Reader *r, i32 n) {
  u32 v = read_bits(r, n);
  return n == 32 ? (i32)v : (i32)(v << (32 - n)) >> (32 - n);
}

/** Whether the reader has read past the data. */
static inline int past_end(const Reader *r) { return r->pos > r->end_bit; }

/** Whether `bits` more bits are left in the data. */
static inline int has_bits(const Reader *r, i64 bits) { return (i64)r->pos + bits <= r->end_bit; }

/** Leading zeros of a 64-bit number: 64 for 0 (WebAssembly's i64.clz). */
static inline i32 clz64(u64 w) { return w == 0 ? 64 : __builtin_clzll(w); }

/** Reads a unary number (zeros, then a one); returns -1 past the end of the data. */
static inline i32 read_unary(Reader *r) {
  u32 q = 0;
  for (;;) {
    if (past_end(r)) return -1;
    u64 w = peek(r->pos);
    if (w != 0) {
      i32 z = clz64(w);
      r->pos += (u32)z + 1;
      return (i32)(q + (u32)z);
    }
    q += PEEK_BITS;
    r->pos += PEEK_BITS;
  }
}

/** How a subframe predicts each sample from the ones before it. */
typedef struct {
  /** Samples it looks back: 0-4 for a fixed polynomial, 1-32 for LPC. */
  i32 order;
  /** 1: FLAC's fixed polynomial of `order`; 0: LPC with `c` and `shift`. */
  i32 fixed;
  /** LPC sums wrap in 32 bits as libFLAC's do (libFLAC's rule: bps + precision + log2(order) <= 32), else exact in 64. */
  i32 small;
  i32 shift;
  i32 c[32];
} Predictor;

/** The prediction of x[i] (all arithmetic wraps in 32 bits but exact LPC sums, as TypeScript's). */
static i32 predict(const i32 *x, i32 i, const Predictor *p) {
  const u32 *u = (const u32 *)x;
  if (p->fixed) {
    switch (p->order) {
      case 0:
        return 0;
      case 1:
        return x[i - 1];
      case 2:
        return (i32)(2 * u[i - 1] - u[i - 2]);
      case 3:
        return (i32)(3 * (u[i - 1] - u[i - 2]) + u[i - 3]);
      default:
        return (i32)(4 * (u[i - 1] + u[i - 3]) - 6 * u[i - 2] - u[i - 4]);
    }
  }
  if (p->small) {
    u32 sum = 0;
    for (i32 j = p->order - 1; j >= 0; j--) sum += (u32)p->c[j] * u[i - 1 - j];
    return (i32)sum >> p->shift;
  }
  i64 sum = 0;
  for (i32 j = p->order - 1; j >= 0; j--) sum += (i64)p->c[j] * x[i - 1 - j];
  return (i32)(u32)(sum >> p->shift);
}

/**
 * Takes the Rice code in the top `s` = z + 1 + k bits of `cache` (z zeros, a one, k low bits):
 * its number into `u`, its bits out of the cache. The top s bits read as a number are 2^k + low.
 */
#define RICE_TAKE(u)                                                    \
  {                                                                     \
    u = (u32)(z - 1) * scale + (u32)(cache >> (64 - s));                \
    cache <<= s;                                                        \
    pos += (u32)s;                                                      \
  }

/**
 * Reads the next Rice code (parameter k) into `res`. `cache` holds the stream's bits from bit
 * `pos` on, of which the first `nbits` are sure; it is loaded again (one load, see peek) when
 * the code is not among them, about every sixth code. (A load for every code put the load's
 * latency between each code and the next: 15% fewer instructions than a word-by-word cache, and
 * no faster.) A code longer than a peek is read by read_unary, which checks the end of the data;
 * returns -1 from the function past it. There is no other check per code: codes read past the
 * data meet only the zeros below it (PAD_BYTES), so they take that path.
 */
#define RICE_NEXT(res)                                                  \
  {                                                                     \
    i32 z = clz64(cache);                                               \
    i32 s = z + 1 + k;                                                  \
    u32 u;                                                              \
    if (s <= nbits) {                                                   \
      RICE_TAKE(u)                                                      \
      nbits -= s;                                                       \
    } else {                                                            \
      cache = peek(pos);                                                \
      z = clz64(cache);                                                 \
      s = z + 1 + k;                                                    \
      if (s <= PEEK_BITS) {                                             \
        RICE_TAKE(u)                                                    \
        nbits = PEEK_BITS - s;                                          \
      } else {                                                          \
        Reader slow = {pos, r->end_bit};                                \
        i32 q = read_unary(&slow);                                      \
        if (q < 0) return -1;                                           \
        u = ((u32)q << k) | read_bits(&slow, k);                        \
        pos = slow.pos;                                                 \
        cache = peek(pos);                                              \
        nbits = PEEK_BITS;                                              \
      }                                                                 \
    }                                                                   \
    res = (i32)(u >> 1) ^ -(i32)(u & 1);                                \
  }

/**
 * Defines NAME(r, x, i, end, k, p): decodes the Rice codes of x[i, end) and adds each one's
 * prediction as it goes, so that the reading of the codes and the chain of predictions (each
 * sample needs the one before) run side by side in the processor. PREDICTION is an expression
 * of `res` (the residual), `prev` (x[i - 1] kept in a local), x, i and `kc` (the coefficients
 * as SUM). Returns 0, or -1 past the data.
 */
#define DEFINE_RICE_RESTORE(NAME, SUM, ORDER, PREDICTION)                     \
  static int NAME(Reader *r, i32 *x, i32 i, i32 end, i32 k, const Predictor *p) { \
    u32 pos = r->pos;                                                         \
    u64 cache = peek(pos);                                                    \
    i32 nbits = PEEK_BITS;                                                    \
    const u32 scale = 1u << k;                                                \
    const i32 shift = p->shift;                                               \
    SUM kc[ORDER + 1];                                                        \
    for (i32 j = 0; j < ORDER; j++) kc[j] = (SUM)p->c[j]; /* zero past the order */ \
    SUM prev = (SUM)x[i - 1]; /* a guard sample at i = 0 */                  \
    (void)shift;                                                              \
    (void)prev;                                                               \
    for (; i < end; i++) {                                                    \
      i32 res;                                                                \
      RICE_NEXT(res)                                                          \
      i32 v = PREDICTION;                                                     \
      x[i] = v;                                                               \
      prev = (SUM)v;                                                          \
    }                                                                         \
    r->pos = pos;                                                             \
    return past_end(r) ? -1 : 0;                                              \
  }

/** The LPC sum of one order, oldest sample first: only the newest product waits for the sample before. */
#define LPC_SUM(SUM, ORDER)                                                   \
  ({                                                                          \
    const i32 *h = x + i - ORDER; /* h[ORDER - 1] is x[i - 1]: positive offsets fold into the loads */ \
    SUM sum = 0;                                                              \
    for (i32 j = ORDER - 1; j >= 1; j--) sum += kc[j] * (SUM)h[ORDER - 1 - j]; \
    sum + kc[0] * prev;                                                       \
  })
#define SMALL(ORDER) (i32)((u32)res + (u32)((i32)LPC_SUM(u32, ORDER) >> shift))
#define WIDE(ORDER) (i32)(u32)((i64)res + (LPC_SUM(i64, ORDER) >> shift))

DEFINE_RICE_RESTORE(rice_fixed0, u32, 0, res)
DEFINE_RICE_RESTORE(rice_fixed1, u32, 0, (i32)((u32)res + prev))
DEFINE_RICE_RESTORE(rice_fixed2, u32, 0, (i32)((u32)res + 2 * prev - (u32)x[i - 2]))
DEFINE_RICE_RESTORE(rice_fixed3, u32, 0, (i32)((u32)res + 3 * (prev - (u32)x[i - 2]) + (u32)x[i - 3]))
DEFINE_RICE_RESTORE(rice_fixed4, u32, 0, (i32)((u32)res + 4 * (prev + (u32)x[i - 3]) - 6 * (u32)x[i - 2] - (u32)x[i - 4]))
/* orders up to 8 and up to 12, with zero coefficients past the order (fewer functions, as fast) */
DEFINE_RICE_RESTORE(rice_small8, u32, 8, SMALL(8))
DEFINE_RICE_RESTORE(rice_small12, u32, 12, SMALL(12))
DEFINE_RICE_RESTORE(rice_wide8, i64, 8, WIDE(8))
DEFINE_RICE_RESTORE(rice_wide12, i64, 12, WIDE(12))
/** Orders 13-32: the generic prediction. */
DEFINE_RICE_RESTORE(rice_any, u32, 0, (i32)((u32)res + (u32)predict(x, i, p)))

typedef int (*RiceRestore)(Reader *, i32 *, i32, i32, i32, const Predictor *);
static const RiceRestore FIXED[5] = {rice_fixed0, rice_fixed1, rice_fixed2, rice_fixed3, rice_fixed4};

/**
 * Decodes a partitioned Rice residual into x[order, n) and adds the prediction to every sample
 * (the warm-up samples x[0, order) are already there); returns 0 or -1.
 */
static int residual(Reader *r, i32 *x, i32 n, const Predictor *p) {
  const i32 order = p->order;
  u32 method = read_bits(r, 2);
  if (method > 1) return -1;
  i32 param_bits = method == 0 ? 4 : 5;
  u32 escape = method == 0 ? 15 : 31;
  i32 partition_order = (i32)read_bits(r, 4);
  i32 size = n >> partition_order;
  if ((size << partition_order) != n || size < order) return -1;
  RiceRestore rice = p->fixed ? FIXED[order] : order > 12 ? rice_any : order > 8 ? (p->small ? rice_small12 : rice_wide12) : p->small ? rice_small8 : rice_wide8;
  i32 i = order;
  for (i32 part = 0; part < (1 << partition_order); part++) {
    if (past_end(r)) return -1;
    i32 end = (part + 1) * size;
    u32 k = read_bits(r, param_bits);
    if (k == escape) {
      i32 bits = (i32)read_bits(r, 5);
      if (!has_bits(r, (i64)bits * (end - i))) return -1;
      for (; i < end; i++) x[i] = (i32)((u32)(bits == 0 ? 0 : read_signed(r, bits)) + (u32)predict(x, i, p));
    } else if (i < end) {
      if (rice(r, x, i, end, (i32)k, p) < 0) return -1;
      i = end;
    }
  }
  return 0;
}

/**
 * An LPC residual whose sums may not fit 32 bits by libFLAC's rule (Python's 32-bit streams):
 * decoded with sums wrapping in 32 bits first, which are exact where every sum's magnitude is
 * below 2^31. That holds when (sum of |coefficients|) x (largest |sample| decoded) does: the first
 * sum to overflow would use only samples before it, all right, and none beyond that bound. Else
 * the residual is decoded again with exact 64-bit sums. Returns 0 or -1, as {@link residual}.
 */
static int residual_checked(Reader *r, i32 *x, i32 n, Predictor *p) {
  i64 s = 0;
  for (i32 j = 0; j < p->order; j++) s += p->c[j] < 0 ? -(i64)p->c[j] : (i64)p->c[j];
  const Reader start = *r;
  p->small = 1;
  if (residual(r, x, n, p) < 0) return -1;
  if (s == 0) return 0;
  /* |x| <= limit for every sample, checked as one unsigned comparison: x + limit in [0, 2 limit] */
  const u32 limit = (u32)(0x7fffffff / s);
  u32 over = 0;
  for (i32 i = 0; i < n; i++) over |= (u32)x[i] + limit > 2 * limit;
  if (!over) return 0;
  *r = start;
  p->small = 0;
  return residual(r, x, n, p);
}

static inline i32 ceil_log2(i32 v) {
  i32 b = 0;
  while ((1 << b) < v) b++;
  return b;
}

/**
 * Decodes one subframe of `bps` (1-32) bits per sample and `n` samples, starting `bit` bits
 * into the input, into output channel `channel`. The input's data end at byte `end_byte`.
 * @returns the bit position after the subframe, or -1 when the subframe is invalid or runs past
 *   the data (the caller then decodes it again in TypeScript, which says why)
 */
EXPORT(decode_subframe) i32 decode_subframe(u32 bit, u32 end_byte, i32 channel, i32 n, i32 bps) {
  Reader r = {bit, end_byte * 8};
  /* a start or end outside the window would read outside the bytes below it */
  if (end_byte > (u32)(data_end - (memory_in + PAD_BYTES)) || bit > r.end_bit) return -1;
  i32 *x = channel_ptr(channel);
  if (read_bits(&r, 1) != 0) return -1;
  i32 type = (i32)read_bits(&r, 6);
  i32 wasted = 0;
  if (read_bits(&r, 1) == 1) {
    i32 u = read_unary(&r);
    if (u < 0) return -1;
    wasted = u + 1;
    if (wasted >= bps) return -1;
  }
  if ((type >= 2 && type < 8) || (type >= 13 && type < 32)) return -1;
  i32 b = bps - wasted;
  if (type == 0) {
    i32 v = read_signed(&r, b);
    for (i32 i = 0; i < n; i++) x[i] = v;
  } else if (type == 1) {
    if (!has_bits(&r, (i64)b * n)) return -1;
    for (i32 i = 0; i < n; i++) x[i] = read_signed(&r, b);
  } else {
    i32 order = type < 32 ? type - 8 : type - 31;
    if (order > n) return -1;
    for (i32 i = 0; i < order; i++) x[i] = read_signed(&r, b);
    Predictor p = {order, type < 32, 0, 0, {0}}; /* coefficients past the order stay 0 */
    if (!p.fixed) {
      i32 precision = (i32)read_bits(&r, 4) + 1;
      if (precision == 16) return -1;
      p.shift = read_signed(&r, 5);
      if (p.shift < 0) return -1;
      for (i32 j = 0; j < order; j++) p.c[j] = read_signed(&r, precision);
      p.small = b + precision + ceil_log2(order) <= 32;
    }
    if ((p.fixed || p.small ? residual(&r, x, n, &p) : residual_checked(&r, x, n, &p)) < 0) return -1;
  }
  if (past_end(&r)) return -1;
  if (wasted > 0)
    for (i32 i = 0; i < n; i++) x[i] = (i32)((u32)x[i] << wasted);
  return (i32)r.pos;
}
