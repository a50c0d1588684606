/**
 * One options schema per use case, read by every front door. A use case declares its options once as a strict zod
 * object (defaults and descriptions beside each field); the CLI turns the fields into flags (`rank_by` → `--rank-by`)
 * and the HTTP API into query parameters, both through `optionFields` (what each field takes) and `coerceOption`
 * (text → value), and both validate with `parseOptions`, which names the bad field in the door's own words.
 */
import { z } from 'zod';
import { CloutError } from '../domain/index.js';

/** A use case's options: a strict zod object. */
export type OptionsSchema = z.ZodObject<z.ZodRawShape>;

/** What one option takes, read off its schema: the CLI's flags, help lines and the HTTP query parameters come from it. */
export interface OptionField {
  name: string;
  kind: 'string' | 'number' | 'integer' | 'boolean' | 'list';
  /** Allowed values (enums, and the items of an enum list). */
  choices?: readonly string[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  required: boolean;
}

type JsonProp = {
  type?: string;
  enum?: string[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonProp;
  anyOf?: JsonProp[];
};

const FIELDS = new WeakMap<OptionsSchema, OptionField[]>();

/** The fields of a use case's options, in declaration order (computed once per schema). */
export function optionFields(schema: OptionsSchema): OptionField[] {
  const known = FIELDS.get(schema);
  if (known) return known;
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonProp>; required?: string[] };
  const fields = Object.entries(json.properties ?? {}).map(([name, raw]): OptionField => {
    const p = raw.anyOf?.find((a) => a.type !== 'null') ?? raw;
    const kind: OptionField['kind'] =
      p.type === 'array' ? 'list' : p.type === 'integer' ? 'integer' : p.type === 'number' ? 'number' : p.type === 'boolean' ? 'boolean' : 'string';
    const choices = p.enum ?? p.items?.enum;
    return {
      name,
      kind,
      ...(choices !== undefined ? { choices } : {}),
      ...(raw.default !== undefined ? { default: raw.default } : p.default !== undefined ? { default: p.default } : {}),
      ...(raw.description ?? p.description ? { description: raw.description ?? p.description } : {}),
      ...(p.minimum !== undefined ? { minimum: p.minimum } : {}),
      ...(p.maximum !== undefined ? { maximum: p.maximum } : {}),
      ...(p.exclusiveMinimum !== undefined ? { exclusiveMinimum: p.exclusiveMinimum } : {}),
      ...(p.exclusiveMaximum !== undefined ? { exclusiveMaximum: p.exclusiveMaximum } : {}),
      required: json.required?.includes(name) ?? false,
    };
  });
  FIELDS.set(schema, fields);
  return fields;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Reads an option's value from text (a flag or a query parameter); `label` names it in the error (`--top`, `top`). */
export function coerceOption(field: OptionField, text: string, label: string): unknown {
  switch (field.kind) {
    case 'number':
    case 'integer': {
      const t = text.trim();
      if (!NUMBER.test(t)) throw new CloutError('bad_option', `${label} must be ${field.kind === 'integer' ? 'a whole number' : 'a number'}${rangeText(field)}; got '${text}'`);
      return Number(t);
    }
    case 'boolean':
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw new CloutError('bad_option', `${label} must be true or false; got '${text}'`);
    case 'list':
      return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    default:
      return text;
  }
}

/** The range a number option allows, as text (' from 1 to 1,000,000'), or ''. */
export function rangeText(f: OptionField): string {
  const lo = f.minimum ?? f.exclusiveMinimum;
  const hi = f.maximum ?? f.exclusiveMaximum;
  const fmt = (n: number) => (Math.abs(n) >= 10_000 ? n.toLocaleString('en-US') : String(n));
  if (lo !== undefined && hi !== undefined) {
    const open = f.exclusiveMinimum !== undefined || f.exclusiveMaximum !== undefined;
    return ` ${open ? 'strictly ' : ''}between ${fmt(lo)} and ${fmt(hi)}`;
  }
  if (lo !== undefined) return f.exclusiveMinimum !== undefined ? ` > ${fmt(lo)}` : ` ≥ ${fmt(lo)}`;
  if (hi !== undefined) return f.exclusiveMaximum !== undefined ? ` < ${fmt(hi)}` : ` ≤ ${fmt(hi)}`;
  return '';
}

/**
 * Validates raw options against a use case's schema and applies its defaults. A bad value is a `bad_option` error that
 * names the option as the door calls it (`label('rank_by')` is `--rank-by` on the CLI, `rank_by` on HTTP), says what
 * is allowed and what was given.
 */
export function parseOptions<S extends OptionsSchema>(schema: S, raw: Record<string, unknown>, label: (name: string) => string = (n) => n): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? '');
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    const names = optionFields(schema).map((f) => f.name);
    const near = nearest(keys[0]!, names);
    throw new CloutError('bad_option', `unknown option ${label(keys[0]!)}${near ? `; did you mean ${label(near)}?` : `; known: ${names.map(label).join(', ')}`}`);
  }
  const field = optionFields(schema).find((f) => f.name === name);
  const given = name in raw ? raw[name] : undefined;
  const got = given === undefined ? 'nothing' : `'${Array.isArray(given) ? given.join(',') : String(given)}'`;
  let allowed: string;
  if (field?.choices) allowed = `one of ${field.choices.join(', ')}`;
  else if (field && (field.kind === 'number' || field.kind === 'integer')) allowed = `${field.kind === 'integer' ? 'a whole number' : 'a number'}${rangeText(field)}`;
  else allowed = issue.message.replace(/^Invalid input: /, '');
  if (field?.kind === 'list' && field.choices && Array.isArray(given)) {
    const bad = given.find((g) => !field.choices!.includes(String(g)));
    if (bad !== undefined) throw new CloutError('bad_option', `${label(name)} must be among ${field.choices.join(', ')}; got '${String(bad)}'`);
  }
  if (issue.code === 'custom') throw new CloutError('bad_option', `${label(name)} ${issue.message}; got ${got}`);
  throw new CloutError('bad_option', `${label(name)} must be ${allowed}; got ${got}`);
}

/** The closest of `names` to `word` by edit distance, when close enough to be a likely typo. */
export function nearest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistance(word.toLowerCase(), n.toLowerCase());
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(Math.max(word.length, best.length) / 3)) ? best : undefined;
}

/** Levenshtein distance with adjacent transpositions (a swap counts once). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** Reads options given as text (CLI flags, an HTTP query): each known field coerced, then validated with defaults. */
export function optionsFromText<S extends OptionsSchema>(schema: S, texts: Record<string, string | undefined>, label: (name: string) => string = (n) => n): z.output<S> {
  const fields = new Map(optionFields(schema).map((f) => [f.name, f]));
  const raw: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(texts)) {
    if (text === undefined) continue;
    const field = fields.get(name);
    raw[name] = field === undefined ? text : coerceOption(field, text, label(name));
  }
  return parseOptions(schema, raw, label);
}
