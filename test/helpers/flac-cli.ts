import { execFileSync, spawnSync } from "node:child_process";

/** Whether the reference `flac` CLI is installed (CI installs it with apt-get). */
export const HAVE_FLAC = spawnSync("flac", ["--version"]).status === 0;

/**
 * Decodes a FLAC stream with the reference `flac -d` to raw little-endian signed samples and
 * returns them as int32 values (channels interleaved).
 */
export function flacCliDecode(stream: Uint8Array): Int32Array {
  const raw = execFileSync("flac", ["-d", "-s", "-c", "--force-raw-format", "--endian=little", "--sign=signed", "-"], {
    input: stream,
    maxBuffer: 1 << 30,
    stdio: ["pipe", "pipe", "ignore"], // flac warns that the MD5 is unset, as in every flacarray stream
  });
  const bps = (((stream[20] & 1) << 4) | (stream[21] >>> 4)) + 1;
  const bytes = bps / 8;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Int32Array(raw.byteLength / bytes);
  for (let i = 0; i < out.length; i++) {
    if (bytes === 1) out[i] = view.getInt8(i);
    else if (bytes === 2) out[i] = view.getInt16(2 * i, true);
    else if (bytes === 3) out[i] = view.getUint16(3 * i, true) | (view.getInt8(3 * i + 2) << 16);
    else out[i] = view.getInt32(4 * i, true);
  }
  return out;
}
