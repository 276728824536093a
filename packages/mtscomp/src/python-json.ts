/**
 * JSON as Python's `json.dump(obj, f, indent=2, sort_keys=True)` writes it, which is how
 * mtscomp writes `.ch` files: keys sorted by code point, two-space indentation, one list item
 * per line, floats in Python's `repr` (`30000.0`, `1e-05`), no trailing newline.
 */

/** A number that Python holds as a float (written `30000.0`, not `30000`). */
export class PythonFloat {
  /** @param value - the float's value */
  constructor(readonly value: number) {}
}

/** A value {@link pythonJson} can write. */
export type PythonJsonValue = null | boolean | number | string | PythonFloat | PythonJsonValue[] | { [key: string]: PythonJsonValue };

/** Python's `repr(float)`: the shortest round-trip digits, fixed between 1e-4 and 1e16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = x.toExponential().split("e") as [string, string];
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) {
    // JS writes the same shortest digits in fixed notation for exponents -7 to 20
    const fixed = String(x);
    return fixed.includes(".") ? fixed : `${fixed}.0`;
  }
  return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

/** `value` as Python's `json.dumps(value, indent=2, sort_keys=True)` writes it. */
export function pythonJson(value: PythonJsonValue, indent = ""): string {
  if (value instanceof PythonFloat) return pythonFloatRepr(value.value);
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isInteger(value)) return pythonFloatRepr(value);
    // ensure_ascii=True: every non-ASCII character as \uXXXX
    return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + pythonJson(v, inner)).join(",\n")}\n${indent}]`;
  }
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return "{}";
  return `{\n${keys.map((k) => `${inner}${pythonJson(k)}: ${pythonJson(value[k] as PythonJsonValue, inner)}`).join(",\n")}\n${indent}}`;
}
