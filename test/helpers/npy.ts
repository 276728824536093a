import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** A numpy array read from a `.npy` file. */
export interface NpyArray {
  dtype: string;
  shape: number[];
  data:
    | Int8Array
    | Uint8Array
    | Int16Array
    | Uint16Array
    | Int32Array
    | Uint32Array
    | BigInt64Array
    | BigUint64Array
    | Float32Array
    | Float64Array;
}

const CTORS: Record<string, new (b: ArrayBuffer) => NpyArray["data"]> = {
  "|i1": Int8Array,
  "<i2": Int16Array,
  "<u2": Uint16Array,
  "<u4": Uint32Array,
  "<u8": BigUint64Array,
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
  const data = new Ctor(body.buffer);
  if (!/'fortran_order':\s*True/.test(header) || shape.length < 2) return { dtype: descr, shape, data };
  if (shape.length > 2) throw new Error(`${path}: Fortran order is supported for 2-D arrays only`);
  // numpy writes some fancy-indexing results in Fortran order: transpose to C order
  const [rows, cols] = shape as [number, number];
  const c = new Ctor(new ArrayBuffer(body.length));
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) c[i * cols + j] = data[j * rows + i] as never;
  return { dtype: descr, shape, data: c };
}
