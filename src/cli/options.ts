/** Reading raw flag text beside the environment (clout serve's CLOUT_* fallbacks); other flags come from schemas (flags.ts). */
import { CloutError } from '../domain/index.js';
import type { ParsedValues } from './command.js';

/** A string flag, or undefined when absent. */
export function stringFlag(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new CloutError('usage', `--${name} needs a value`);
  return v;
}

/** A boolean flag (false when absent). */
export function boolFlag(values: ParsedValues, name: string): boolean {
  return values[name] === true;
}

/** An integer flag within bounds, or the default when absent. */
export function intFlag(values: ParsedValues, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const text = stringFlag(values, name);
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text.trim())) throw new CloutError('usage', `--${name} must be an integer, got '${text}'`);
  const n = Number(text);
  if (n < min || n > max) throw new CloutError('usage', `--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}
