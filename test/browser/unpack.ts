// The Node side of ./page/transfer.ts: packed arrays back into typed arrays.
import { type Packed, unpackBytes } from "./page/transfer.js";

const TYPES = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;

/** The typed array a page packed, of the same type. */
export function unpack(packed: Packed): ArrayBufferView & ArrayLike<number | bigint> {
  const Type = TYPES[packed.type as keyof typeof TYPES];
  if (!Type) throw new Error(`the page sent an array of unknown type ${packed.type}`);
  const bytes = unpackBytes(packed);
  return new Type(bytes.buffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT);
}
