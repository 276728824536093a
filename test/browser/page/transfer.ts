// Typed arrays cross between the page and the test as base64 with their type's name: Playwright
// would turn them into plain objects. No Node imports: both sides use this file.

/** A typed array or bytes, as they cross from the page to the test. */
export interface Packed {
  type: string;
  base64: string;
}

/** Packs a typed array (any view) for the trip out of the page. */
export function pack(view: ArrayBufferView): Packed {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { type: view.constructor.name, base64: btoa(text) };
}

/** The bytes of a packed array. */
export function unpackBytes(packed: Packed): Uint8Array<ArrayBuffer> {
  const text = atob(packed.base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** What a suite function gave: its value, or the error it threw (its class name and message). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; name: string; message: string };

/** Runs `work`, turning a throw into an {@link Outcome} that keeps the error's class name. */
export async function outcome<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    const e = err as Error;
    return { ok: false, name: e?.constructor?.name ?? typeof err, message: String(e?.message ?? err) };
  }
}
