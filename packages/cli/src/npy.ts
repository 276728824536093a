/** The `.npy` format (numpy's format 1.0), so that `np.load` reads what `decompress` writes. */

/** numpy's little-endian names of the dtypes written. */
const DESCR = { int16: "<i2", int32: "<i4", int64: "<i8", float32: "<f4", float64: "<f8" } as const;

/** The dtypes a `.npy` header can say. */
export type NpyDtype = keyof typeof DESCR;

/**
 * The header of a C-order `.npy` file: magic, version 1.0, and the dict padded with spaces so
 * that the data start at a multiple of 64 bytes, as numpy writes it.
 * @param shape - the array's shape, for example `[samples, channels]`
 */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(", ");
  const dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = 10 + dict.length + 1;
  const text = `${dict}${" ".repeat((64 - (unpadded % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + text.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 0xff, text.length >> 8]);
  out.set(new TextEncoder().encode(text), 10);
  return out;
}
