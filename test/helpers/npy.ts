import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** A numpy array read from a `.npy` file. */
export interface NpyArray {
  dtype: string;
  shape: number[];
  data: Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array | Uint8Array;
}

const CTORS: Record<string, new (b: ArrayBuffer) => NpyArray["data"]> = {
  "<i2": Int16Array,
  "<i4": Int32Array,
  "<i8": BigInt64Array,
  "<f4": Float32Array,
  "<f8": Float64Array,
  "|u1": Uint8Array,
  "|b1": Uint8Array,
};

/** Reads a little-endian C-order `.npy` (or `.npy.gz`) file. */
export function readNpy(path: string): NpyArray {
  let buf: Uint8Array = readFileSync(path);
  if (path.endsWith(".gz")) buf = gunzipSync(buf);
  const major = buf[6];
  const headerLen = major === 1 ? buf[8] | (buf[9] << 8) : buf[8] | (buf[9] << 8) | (buf[10] << 16) | (buf[11] << 24);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(buf.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1] ?? "";
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${path}: Fortran order not supported`);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? "";
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const Ctor = CTORS[descr];
  if (!Ctor) throw new Error(`${path}: dtype ${descr} not supported`);
  const start = headerStart + headerLen;
  const body = Uint8Array.prototype.slice.call(buf, start);
  return { dtype: descr, shape, data: new Ctor(body.buffer) };
}
