/** Validation of raw records against the one schema of their kind, and the reject a failure becomes. */
import { validateRecord, type FieldIssue, type Kind } from '../domain/index.js';
import { fastValidate } from './fast-path.js';

/** A record that passed its schema (normalized), or why it did not (first field, all reasons). */
export type Checked = { ok: true; record: Record<string, unknown> } | { ok: false; field: string; reason: string };

/** Validates one raw record of `kind` with its schema (src/domain/schemas.ts), through the fast path when it can. */
export function checkRecord(kind: Kind, fields: Record<string, unknown>): Checked {
  const fast = fastValidate(kind, fields);
  if (fast !== undefined) return { ok: true, record: fast };
  const result = validateRecord(kind, fields);
  if (result.ok) return { ok: true, record: result.record as Record<string, unknown> };
  return { ok: false, ...rejection(result.issues) };
}

/** One field and one reason for a list of issues: the first issue's field; later issues appended to the reason. */
export function rejection(issues: readonly FieldIssue[]): { field: string; reason: string } {
  const [first, ...others] = issues;
  if (first === undefined) return { field: '', reason: 'rejected by the schema' };
  const more = others.map((i) => (i.field === '' ? i.reason : `${i.field}: ${i.reason}`));
  return { field: first.field, reason: [first.reason, ...more].join('; ') };
}
