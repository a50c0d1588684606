/** Helpers shared by commands for reading parsed flags with clear usage errors. */
import { CONVERSION_TYPES, CloutError } from '../domain/index.js';
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

/** A flag whose value must be one of a fixed list, or the default when absent. */
export function choiceFlag<T extends string>(values: ParsedValues, name: string, choices: readonly T[], fallback: T): T {
  const text = stringFlag(values, name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new CloutError('usage', `--${name} must be one of ${choices.join(', ')}; got '${text}'`);
  }
  return text as T;
}

/** A comma-separated list flag (empty when absent). */
export function listFlag(values: ParsedValues, name: string): string[] {
  const text = stringFlag(values, name);
  if (text === undefined) return [];
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The --type list of conversion types (empty when absent), each checked against the known types. */
export function typesFlag(values: ParsedValues): string[] {
  const types = listFlag(values, 'type');
  for (const t of types) {
    if (!(CONVERSION_TYPES as readonly string[]).includes(t)) throw new CloutError('usage', `--type must be among ${CONVERSION_TYPES.join(', ')}; got '${t}'`);
  }
  return types;
}
