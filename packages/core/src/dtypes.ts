import { UnsupportedDtypeError } from "./errors.js";

/** The dtypes flacarray stores, named as numpy names them. */
export type DataType = "int32" | "int64" | "float32" | "float64";

/** The typed array holding values of dtype `D`. */
export type TypedArray<D extends DataType> = D extends "int32"
  ? Int32Array
  : D extends "int64"
    ? BigInt64Array
    : D extends "float32"
      ? Float32Array
      : Float64Array;

/** The dtype of a typed array type (the inverse of {@link TypedArray}). */
export type DtypeOf<T extends AnyTypedArray> = T extends Int32Array
  ? "int32"
  : T extends BigInt64Array
    ? "int64"
    : T extends Float32Array
      ? "float32"
      : "float64";

/** Any typed array flacarray stores. */
export type AnyTypedArray = Int32Array | BigInt64Array | Float32Array | Float64Array;

/** An N-dimensional array in C order: `data.length` is the product of `shape`. */
export interface NdArray<D extends DataType = DataType> {
  data: TypedArray<D>;
  shape: number[];
}

/** Constructors of the typed arrays of each dtype. */
export const TYPED_ARRAYS = {
  int32: Int32Array,
  int64: BigInt64Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/**
 * The dtype of a typed array.
 * @throws {UnsupportedDtypeError} for any other array type
 */
export function dtypeOf(data: unknown): DataType {
  if (data instanceof Int32Array) return "int32";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  const name = (data as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof data;
  throw new UnsupportedDtypeError(name);
}

/** FLAC channels per stream of a dtype: 2 for 64-bit types (low and high 32 bits), else 1. */
export function channelsOf(dtype: DataType): 1 | 2 {
  return dtype === "int64" || dtype === "float64" ? 2 : 1;
}

/** Whether the dtype is floating point (stored with offsets and gains). */
export function isFloat(dtype: DataType): dtype is "float32" | "float64" {
  return dtype === "float32" || dtype === "float64";
}

/** Product of the dimensions of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
