/**
 * Reading decoded DAG-CBOR values without trusting their shape: accessors that return a field only when it has the
 * expected type, and the atproto JSON form of a value (CIDs as {$link}, bytes as {$bytes}) for what rejects show.
 */
import { CID } from 'multiformats/cid';

/** A decoded map as a plain object, or undefined when the value is not one. */
export function objectOf(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (value instanceof Uint8Array || CID.asCID(value) !== null) return undefined;
  return value as Record<string, unknown>;
}

/** A string value, or undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value at a path of map keys (`at(v, 'reply', 'parent', 'uri')`), or undefined when any step is missing. */
export function at(value: unknown, ...path: string[]): unknown {
  let here: unknown = value;
  for (const key of path) {
    const o = objectOf(here);
    if (o === undefined) return undefined;
    here = o[key];
  }
  return here;
}

/** An array value, or an empty array. */
export function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A value in atproto's JSON form: CIDs become {$link: 'bafy…'}, bytes {$bytes: base64}; the rest as is. */
export function jsonOf(value: unknown): unknown {
  const cid = CID.asCID(value);
  if (cid !== null) return { $link: cid.toString() };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(jsonOf);
  const o = objectOf(value);
  if (o === undefined) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = jsonOf(v);
  return out;
}
