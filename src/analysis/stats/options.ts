/**
 * One way to take options across the analysis kernels: each kernel keeps a `*_DEFAULTS` object and a strict zod
 * schema beside it, and resolves its options here. An unknown or out-of-range option is a
 * `CloutError('bad_option', 'pagerank: alpha must be < 1, got 1.5')`; nothing is dropped or silently replaced.
 */
import { z } from 'zod';
import { CloutError } from '../../domain/index.js';

/** Checks `options` against a kernel's strict schema and applies its defaults; throws a `bad_option` CloutError naming the kernel and the option. */
export function resolveOptions<S extends z.ZodType>(kernel: string, schema: S, options: unknown): z.output<S> {
  const result = schema.safeParse(options ?? {});
  if (result.success) return result.data;
  throw new CloutError('bad_option', `${kernel}: ${describeIssue(result.error.issues[0]!, options)}`);
}

/** One zod issue in plain words: the option, what it must be, what it got. */
function describeIssue(issue: z.core.$ZodIssue, options: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return `${where}unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  if (issue.path.length === 0) return issue.message;
  let value: unknown = options;
  for (const key of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  return `${issue.path.join('.')} ${mustBe(issue)}, got ${show(value)}`;
}

function mustBe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_big':
      return `must be ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'too_small':
      return `must be ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'invalid_type':
      return issue.expected === 'int' ? 'must be an integer' : `must be ${article(issue.expected)} ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => show(v)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Schema pieces shared by the kernels' option schemas. */
export const optionSchemas = {
  /** A seed of the one seeded PRNG. */
  seed: () => z.number().int(),
  /** A positive integer (counts, caps). */
  positiveInt: () => z.number().int().min(1),
  /** An array-like of numbers (typed arrays included). */
  arrayLike: () => z.custom<ArrayLike<number>>((v) => v !== null && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number', 'must be an array of numbers'),
  /** A Float64Array (per-edge parameters). */
  float64: () => z.instanceof(Float64Array),
  /** A diffusion model: independent cascade or linear threshold. */
  model: () => z.enum(['ic', 'lt']),
};
