/** Byte helpers shared by the writers and readers. */

/** The bytes of `parts`, one after another, in a new array, or in `out` (at least as long as they are) when given. */
export function concatBytes(
  parts: readonly Uint8Array[],
  out: Uint8Array = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)),
): Uint8Array {
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The bytes of a buffer, any typed array (a view, no copy) or a Blob (read whole). */
export async function bytesOf(input: ArrayBuffer | ArrayBufferView | Blob): Promise<Uint8Array> {
  if (input instanceof Blob) return new Uint8Array(await input.arrayBuffer());
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return new Uint8Array(input);
}
