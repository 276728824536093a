// The LPC residual of the FLAC encoder in WebAssembly SIMD, four samples at a time, built by
// scripts/build-wasm.mjs with clang (--target=wasm32 -msimd128, no libc). It covers the case the
// encoder meets most: predictors of up to 12 taps whose sums fit in 32 bits (libFLAC's "small"
// rule), where every operation wraps in 32 bits exactly as src/flac/lpc.ts's residual8 and
// residual12 do, so both give the same residual and the same partition sums
// (test/core/residual-kernel.test.ts).
// That TypeScript code stays the reference and the fallback where SIMD cannot run.
//
// Memory: GUARD zero samples, then the block's samples (`samples`), then its residual, then the
// sum of |residual| of each partition (as doubles, exact below 2^53). The caller copies a block
// in and the results out.

#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

#define MAX_BLOCK 65536
#define GUARD 12
#define MAX_PARTITIONS 65536

static int32_t input[GUARD + MAX_BLOCK + 4];
static int32_t residual[MAX_BLOCK + 4];
static double sums[MAX_PARTITIONS];
static int32_t coefficients[12];

EXPORT(samples_ptr) int32_t *samples_ptr(void) { return input + GUARD; }
EXPORT(residual_ptr) int32_t *residual_ptr(void) { return residual; }
EXPORT(sums_ptr) double *sums_ptr(void) { return sums; }
EXPORT(coefficients_ptr) int32_t *coefficients_ptr(void) { return coefficients; }

/**
 * residual[i] = x[i] - (sum_j q[j] x[i-1-j]) >> shift for i in [order, n), in wrapping 32-bit
 * arithmetic, with q padded with zeros to TAPS taps (the guard zeros make the reads before the
 * block harmless), and the sum of |residual| of each partition of `partition_size` samples (the
 * first one starts at `order`). Returns the number of partitions.
 */
#define RESIDUAL(NAME, TAPS)                                                                             \
  EXPORT(NAME) int32_t NAME(int32_t n, int32_t order, int32_t shift, int32_t partition_size) {           \
    const int32_t *x = input + GUARD;                                                                    \
    v128_t q[TAPS];                                                                                      \
    for (int j = 0; j < TAPS; j++) q[j] = wasm_i32x4_splat(j < order ? coefficients[j] : 0);             \
    int32_t p = 0;                                                                                       \
    for (int32_t a = order; a < n; p++) {                                                                \
      int32_t b = (p + 1) * partition_size;                                                              \
      if (b > n) b = n;                                                                                  \
      int32_t i = a;                                                                                     \
      v128_t total = wasm_i64x2_splat(0);                                                                \
      for (; i + 4 <= b; i += 4) {                                                                       \
        v128_t sum = wasm_i32x4_mul(q[0], wasm_v128_load(x + i - 1));                                    \
        for (int j = 1; j < TAPS; j++) sum = wasm_i32x4_add(sum, wasm_i32x4_mul(q[j], wasm_v128_load(x + i - 1 - j))); \
        v128_t r = wasm_i32x4_sub(wasm_v128_load(x + i), wasm_i32x4_shr(sum, shift));                   \
        wasm_v128_store(residual + i, r);                                                                \
        /* |r| as unsigned 32 bits (|-2^31| is 2^31), summed in 64 bits */                               \
        v128_t magnitude = wasm_i32x4_abs(r);                                                            \
        total = wasm_i64x2_add(total, wasm_u64x2_extend_low_u32x4(magnitude));                           \
        total = wasm_i64x2_add(total, wasm_u64x2_extend_high_u32x4(magnitude));                          \
      }                                                                                                  \
      int64_t sum_abs = wasm_i64x2_extract_lane(total, 0) + wasm_i64x2_extract_lane(total, 1);           \
      for (; i < b; i++) {                                                                               \
        uint32_t sum = 0;                                                                                \
        for (int j = 0; j < order; j++) sum += (uint32_t)coefficients[j] * (uint32_t)x[i - 1 - j];       \
        int32_t r = (int32_t)((uint32_t)x[i] - (uint32_t)((int32_t)sum >> shift));                       \
        residual[i] = r;                                                                                 \
        sum_abs += r < 0 ? -(int64_t)r : r;                                                              \
      }                                                                                                  \
      sums[p] = (double)sum_abs; /* exact: below 2^53 */                                                 \
      a = b;                                                                                             \
    }                                                                                                    \
    return p;                                                                                            \
  }

RESIDUAL(residual8, 8)
RESIDUAL(residual12, 12)

/**
 * libFLAC's guess of the best fixed predictor: the sums of |x[i]|, and of |its 1st to 4th
 * differences|, for i in [4, n), into sums[0..4]. The differences are computed in 32 bits, so the
 * caller must have samples of at most 27 bits (4th differences then stay below 2^31); the sums
 * are exact, as the TypeScript loop's doubles are.
 */
EXPORT(fixed_errors) void fixed_errors(int32_t n) {
  const int32_t *x = input + GUARD;
  v128_t e[5];
  for (int k = 0; k < 5; k++) e[k] = wasm_i64x2_splat(0);
  int32_t i = 4;
  for (; i + 4 <= n; i += 4) {
    v128_t x0 = wasm_v128_load(x + i), x1 = wasm_v128_load(x + i - 1), x2 = wasm_v128_load(x + i - 2);
    v128_t x3 = wasm_v128_load(x + i - 3), x4 = wasm_v128_load(x + i - 4);
    v128_t d0 = wasm_i32x4_sub(x0, x1), d1 = wasm_i32x4_sub(x1, x2), d2 = wasm_i32x4_sub(x2, x3), d3 = wasm_i32x4_sub(x3, x4);
    v128_t s0 = wasm_i32x4_sub(d0, d1), s1 = wasm_i32x4_sub(d1, d2), s2 = wasm_i32x4_sub(d2, d3);
    v128_t t0 = wasm_i32x4_sub(s0, s1), t1 = wasm_i32x4_sub(s1, s2);
    v128_t f0 = wasm_i32x4_sub(t0, t1);
    v128_t by_order[5] = {x0, d0, s0, t0, f0};
    for (int k = 0; k < 5; k++) {
      v128_t magnitude = wasm_i32x4_abs(by_order[k]);
      e[k] = wasm_i64x2_add(e[k], wasm_u64x2_extend_low_u32x4(magnitude));
      e[k] = wasm_i64x2_add(e[k], wasm_u64x2_extend_high_u32x4(magnitude));
    }
  }
  int64_t total[5];
  for (int k = 0; k < 5; k++) total[k] = wasm_i64x2_extract_lane(e[k], 0) + wasm_i64x2_extract_lane(e[k], 1);
  for (; i < n; i++) {
    int64_t d[5];
    d[0] = x[i];
    d[1] = (int64_t)x[i] - x[i - 1];
    d[2] = (int64_t)x[i] - 2 * (int64_t)x[i - 1] + x[i - 2];
    d[3] = (int64_t)x[i] - 3 * (int64_t)x[i - 1] + 3 * (int64_t)x[i - 2] - x[i - 3];
    d[4] = (int64_t)x[i] - 4 * (int64_t)x[i - 1] + 6 * (int64_t)x[i - 2] - 4 * (int64_t)x[i - 3] + x[i - 4];
    for (int k = 0; k < 5; k++) total[k] += d[k] < 0 ? -d[k] : d[k];
  }
  for (int k = 0; k < 5; k++) sums[k] = (double)total[k];
}

#define AUTOC_GUARD 14
static double windowed[AUTOC_GUARD + MAX_BLOCK + 2];
static double window_values[MAX_BLOCK];
static double lags[14];

EXPORT(window_ptr) double *window_ptr(void) { return window_values; }
EXPORT(lags_ptr) double *lags_ptr(void) { return lags; }

/**
 * The autocorrelation of y = x * window over [start, end), y zero outside it, for lags 0-12
 * into lags[0..12]: each lag's products are added in the order of i, as the TypeScript loop
 * adds them, so the sums are the same doubles. Two lags per vector.
 */
EXPORT(autocorrelation12) void autocorrelation12(int32_t start, int32_t end) {
  const int32_t *x = input + GUARD;
  double *y = windowed + AUTOC_GUARD; // y[k] for k in [-AUTOC_GUARD, end - start)
  for (int k = -AUTOC_GUARD; k < 0; k++) y[k] = 0;
  for (int32_t i = start; i < end; i++) y[i - start] = (double)x[i] * window_values[i];
  v128_t acc[7];
  for (int k = 0; k < 7; k++) acc[k] = wasm_f64x2_splat(0);
  for (int32_t i = 0; i < end - start; i++) {
    v128_t v = wasm_f64x2_splat(y[i]);
    // lanes (lag 2k + 1, lag 2k): y[i - 2k - 1], y[i - 2k]
    for (int k = 0; k < 7; k++) acc[k] = wasm_f64x2_add(acc[k], wasm_f64x2_mul(v, wasm_v128_load(y + i - 2 * k - 1)));
  }
  for (int k = 0; k < 7; k++) {
    lags[2 * k] = wasm_f64x2_extract_lane(acc[k], 1);
    lags[2 * k + 1] = wasm_f64x2_extract_lane(acc[k], 0);
  }
}

/*
 * The Rice codes of a residual, written as src/flac/rice-encode.ts's writeResidual writes them
 * (the same bytes: test/core/residual-kernel.test.ts), from `residual` and `params` into
 * `coded`. Bits are gathered in a 64-bit accumulator and stored 32 at a time.
 */

/** Bytes `coded` holds; a residual that needs more is left to TypeScript. */
#define CODED_BYTES (1 << 20)
#define MAX_PARAMS (1 << 15)

static uint8_t coded[CODED_BYTES + 16];
static int32_t params[MAX_PARAMS];
/** The bits after the last whole byte (right-aligned) and how many (0-7). */
static uint32_t tail[2];

EXPORT(coded_ptr) uint8_t *coded_ptr(void) { return coded; }
EXPORT(params_ptr) int32_t *params_ptr(void) { return params; }
EXPORT(tail_ptr) uint32_t *tail_ptr(void) { return tail; }

/** Appends the `bits` (0-32) bits of `v` (which has no others) to the accumulator. */
#define PUT(v, bits)                                                            \
  {                                                                             \
    acc = (acc << (bits)) | (v);                                                \
    nacc += (bits);                                                             \
    if (nacc >= 32) {                                                           \
      nacc -= 32;                                                               \
      uint32_t word = __builtin_bswap32((uint32_t)(acc >> nacc));               \
      __builtin_memcpy(coded + pos, &word, 4);                                  \
      pos += 4;                                                                 \
    }                                                                           \
  }

/**
 * Writes the residual's coding method (RICE2 when `rice2`), partition order and, partition by
 * partition, its parameter from `params` and the Rice codes of residual[order, n), after the
 * `nacc_in` (0-7) bits of `acc_in` that the caller had pending.
 * @returns the number of whole bytes written to `coded` (the rest are in `tail`), or -1 when they
 *   would not fit
 */
EXPORT(rice_write)
int32_t rice_write(int32_t n, int32_t order, int32_t partition_order, int32_t rice2, uint32_t acc_in, int32_t nacc_in) {
  uint64_t acc = acc_in;
  int32_t nacc = nacc_in;
  uint32_t pos = 0;
  PUT((uint32_t)(rice2 ? 1 : 0), 2);
  PUT((uint32_t)partition_order, 4);
  const int32_t param_bits = rice2 ? 5 : 4;
  const int32_t size = n >> partition_order;
  int32_t i = order;
  for (int32_t p = 0; p < (1 << partition_order); p++) {
    const uint32_t k = (uint32_t)params[p];
    PUT(k, param_bits);
    const uint32_t mask = (1u << k) - 1;
    for (const int32_t end = (p + 1) * size; i < end; i++) {
      if (pos > CODED_BYTES - 8) return -1;
      const int32_t r = residual[i];
      const uint32_t u = ((uint32_t)r << 1) ^ (uint32_t)(r >> 31);
      uint32_t q = u >> k;
      if (q + k < 32) {
        PUT((1u << k) | (u & mask), q + k + 1);
      } else {
        for (; q >= 32; q -= 32) {
          PUT(0u, 32);
          if (pos > CODED_BYTES - 8) return -1;
        }
        PUT(1u, q + 1);
        PUT(u & mask, k);
      }
    }
  }
  for (; nacc >= 8; nacc -= 8) coded[pos++] = (uint8_t)(acc >> (nacc - 8));
  tail[0] = (uint32_t)acc & ((1u << nacc) - 1);
  tail[1] = (uint32_t)nacc;
  return (int32_t)pos;
}
