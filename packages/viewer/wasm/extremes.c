// Min/max decimation of int16 samples in WebAssembly SIMD, built by scripts/build-wasm.mjs with
// clang (--target=wasm32 -msimd128, no libc). The TypeScript loop (src/decimate.ts) stays the
// reference and the fallback where SIMD is not available; both give the same extremes
// (test/viewer/view-model.test.ts). Eight channels' extremes are kept in one vector, row by row,
// where the TypeScript loop compares one value at a time.
//
// Memory: the caller grows the memory and lays out, from heap_start(): the rows (count x width
// int16), then the results of each column touched (width lows, then width highs, int16), then the
// indices of those columns (int32).

#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

extern unsigned char __heap_base;

/** The first byte the caller may use, 16-byte aligned. */
EXPORT(heap_start) uint32_t heap_start(void) { return ((uint32_t)(uintptr_t)&__heap_base + 15u) & ~15u; }

/**
 * Column extremes of `count` time-major rows of `width` int16 values at `data`: rows
 * [first, first + count) of a window of `rows` rows over `columns` pixel columns, row R falling
 * in column floor(R * columns / rows). For the k-th column touched, writes its index to
 * `column_of[k]`, and the `width` lows then the `width` highs of its rows to `out + 2 * k * width`.
 * Returns the number of columns touched.
 */
EXPORT(extremes_i16)
int32_t extremes_i16(const int16_t *data, int32_t count, int32_t width, int32_t first, int32_t rows, int32_t columns, int16_t *out,
                     int32_t *column_of) {
  int32_t k = 0;
  for (int32_t r = 0; r < count; k++) {
    int64_t column = (int64_t)(first + r) * columns / rows;
    if (column > columns - 1) column = columns - 1;
    // the column's rows here: up to the first row of the next column, ceil((column + 1) * rows / columns)
    int64_t end = column == columns - 1 ? count : (((column + 1) * rows + columns - 1) / columns) - first;
    if (end > count) end = count;
    if (end < r + 1) end = r + 1;
    int16_t *lo = out + 2 * (int64_t)k * width;
    int16_t *hi = lo + width;
    column_of[k] = (int32_t)column;
    const int16_t *row = data + (int64_t)r * width;
    int32_t ch = 0;
    for (; ch + 8 <= width; ch += 8) wasm_v128_store(lo + ch, wasm_v128_load(row + ch));
    for (; ch < width; ch++) lo[ch] = row[ch];
    for (ch = 0; ch < width; ch++) hi[ch] = lo[ch];
    for (int32_t i = r + 1; i < end; i++) {
      row = data + (int64_t)i * width;
      for (ch = 0; ch + 8 <= width; ch += 8) {
        v128_t v = wasm_v128_load(row + ch);
        wasm_v128_store(lo + ch, wasm_i16x8_min(wasm_v128_load(lo + ch), v));
        wasm_v128_store(hi + ch, wasm_i16x8_max(wasm_v128_load(hi + ch), v));
      }
      for (; ch < width; ch++) {
        int16_t v = row[ch];
        if (v < lo[ch]) lo[ch] = v;
        if (v > hi[ch]) hi[ch] = v;
      }
    }
    r = (int32_t)end;
  }
  return k;
}
