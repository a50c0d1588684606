/** Reading API JSON without trusting its shape: each helper returns the value when it has the expected type, else undefined. */
import { parseTimestamp } from '../domain/index.js';

/** A JSON object (not an array), or undefined. */
export type JsonObject = Record<string, unknown>;

/** `v` as an object, or undefined. */
export function obj(v: unknown): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

/** `o[key]` as a non-empty string, or undefined. */
export function str(o: JsonObject | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `o[key]` as a non-negative integer, or undefined. */
export function count(o: JsonObject | undefined, key: string): number | undefined {
  const v = o?.[key];
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

/** `o[key]` as an array of objects (other items dropped); [] when absent. */
export function objects(o: JsonObject | undefined, key: string): JsonObject[] {
  const v = o?.[key];
  return Array.isArray(v) ? v.map(obj).filter((x): x is JsonObject => x !== undefined) : [];
}

/** The first of `times` that is a valid interchange timestamp, or undefined. */
export function firstTime(...times: (string | undefined)[]): string | undefined {
  return times.find((t) => t !== undefined && parseTimestamp(t) !== undefined);
}

/** Whether `url` is an absolute http(s) URL. */
export function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
