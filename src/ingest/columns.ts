/**
 * Which columns a file of a kind must and may have. Both come from the domain: the fields are FIELDS, and the
 * required ones are those the kind's schema complains about when validating an empty record (as "is required",
 * or for an enum as "expected one of …, got nothing").
 */
import { FIELDS, KINDS, validateRecord, type Kind } from '../domain/index.js';

const REQUIRED = new Map<Kind, readonly string[]>(
  KINDS.map((kind) => {
    const result = validateRecord(kind, {});
    const required = result.ok ? [] : [...new Set(result.issues.map((i) => i.field).filter((f) => f !== ''))];
    return [kind, required];
  }),
);

/** The fields a record of `kind` cannot be without (from its schema). */
export function requiredFields(kind: Kind): readonly string[] {
  return REQUIRED.get(kind)!;
}

/** Compares a file's column names with a kind's fields: required ones it lacks, and ones the kind does not have. */
export function compareColumns(kind: Kind, names: readonly string[]): { missing: string[]; unknown: string[] } {
  const have = new Set(names);
  const known = new Set(FIELDS[kind]);
  return {
    missing: REQUIRED.get(kind)!.filter((f) => !have.has(f)),
    unknown: [...new Set(names.filter((n) => n !== '' && !known.has(n)))],
  };
}

/** The names of `names` that are duplicated. */
export function duplicateColumns(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const n of names) (seen.has(n) ? dups : seen).add(n);
  return [...dups];
}
