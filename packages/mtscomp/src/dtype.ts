/**
 * The sample types mtscomp stores, named as numpy names them in the `.ch` (`"int16"`, ...), and
 * the typed arrays that hold them. 64-bit integers are processed as pairs of 32-bit lanes so
 * that no BigInt is made per sample.
 */

/** A dtype name as written in the `.ch` header. */
export type Dtype = "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float32" | "float64";

/** The typed array of each dtype. */
export interface DtypeArrays {
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** Any typed array mtscomp data come in. */
export type SampleArray = DtypeArrays[Dtype];

/** A typed array whose elements are JS numbers (every dtype's lane type). */
export type LaneArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

interface DtypeInfo {
  /** Bytes per sample. */
  readonly itemsize: number;
  /** Typed array of the samples. */
  readonly array: new (
    buffer: ArrayBufferLike,
    byteOffset: number,
    length: number,
  ) => SampleArray;
  /** Typed array of the lanes arithmetic works on (Int32Array for 64-bit integers). */
  readonly lanes: new (
    buffer: ArrayBufferLike,
    byteOffset: number,
    length: number,
  ) => LaneArray;
  /** Integer (exact, wraps around) or floating point (rounds, compared with allclose). */
  readonly kind: "int" | "float";
}

const INFO: Record<Dtype, DtypeInfo> = {
  int8: { itemsize: 1, array: Int8Array, lanes: Int8Array, kind: "int" },
  uint8: { itemsize: 1, array: Uint8Array, lanes: Uint8Array, kind: "int" },
  int16: { itemsize: 2, array: Int16Array, lanes: Int16Array, kind: "int" },
  uint16: { itemsize: 2, array: Uint16Array, lanes: Uint16Array, kind: "int" },
  int32: { itemsize: 4, array: Int32Array, lanes: Int32Array, kind: "int" },
  uint32: { itemsize: 4, array: Uint32Array, lanes: Uint32Array, kind: "int" },
  int64: { itemsize: 8, array: BigInt64Array, lanes: Int32Array, kind: "int" },
  uint64: { itemsize: 8, array: BigUint64Array, lanes: Int32Array, kind: "int" },
  float32: { itemsize: 4, array: Float32Array, lanes: Float32Array, kind: "float" },
  float64: { itemsize: 8, array: Float64Array, lanes: Float64Array, kind: "float" },
};

/** Every dtype name mtscomp can store. */
export const DTYPES = Object.keys(INFO) as Dtype[];

/** True when `name` is a dtype this package reads and writes. */
export function isDtype(name: unknown): name is Dtype {
  return typeof name === "string" && Object.hasOwn(INFO, name);
}

/** Bytes per sample of `dtype`. */
export function itemsize(dtype: Dtype): number {
  return INFO[dtype].itemsize;
}

/** True for float32 and float64. */
export function isFloat(dtype: Dtype): boolean {
  return INFO[dtype].kind === "float";
}

/** True for int64 and uint64, whose samples are two 32-bit lanes. */
export function isWide(dtype: Dtype): boolean {
  return INFO[dtype].itemsize === 8 && INFO[dtype].kind === "int";
}

/** A new zero-filled array of `length` samples of `dtype`. */
export function allocate<D extends Dtype>(dtype: D, length: number): DtypeArrays[D] {
  return new INFO[dtype].array(new ArrayBuffer(length * INFO[dtype].itemsize), 0, length) as DtypeArrays[D];
}

/** `bytes` seen as samples of `dtype`, copied first when they are not aligned. */
export function samplesOf<D extends Dtype>(dtype: D, bytes: Uint8Array): DtypeArrays[D] {
  const size = INFO[dtype].itemsize;
  const aligned = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  return new INFO[dtype].array(aligned.buffer, aligned.byteOffset, aligned.byteLength / size) as DtypeArrays[D];
}

/** The lanes of `samples` (the same memory; Int32Array pairs for 64-bit integers). */
export function lanesOf(dtype: Dtype, samples: SampleArray): LaneArray {
  const lanes = INFO[dtype].lanes;
  const perSample = isWide(dtype) ? 2 : 1;
  return new lanes(samples.buffer, samples.byteOffset, samples.length * perSample);
}

/** The bytes of `samples` (the same memory). */
export function bytesOf(samples: SampleArray | LaneArray): Uint8Array {
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** The dtype a typed array holds, or undefined for other objects. */
export function dtypeOfArray(array: unknown): Dtype | undefined {
  return DTYPES.find((d) => array instanceof INFO[d].array);
}
