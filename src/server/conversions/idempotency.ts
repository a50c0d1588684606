/**
 * Idempotency keys with Stripe's semantics, as pure decisions (the writer stores and reads the records inside the
 * conversion's own transaction).
 *
 * A key is scoped to the API key that sent it and lives 24 hours. The same key with the same request replays the
 * first response (status and body); the same key with a different request is a 409 conflict. "Same request" means
 * the same route and the same JSON body up to key order and whitespace (the body is hashed in canonical form).
 * Requests that fail validation or authorisation never reach the writer, so they store no result and may be
 * retried with the same key, as with Stripe.
 */
import { createHash } from 'node:crypto';

/** How long a stored key answers: 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** Longest accepted `Idempotency-Key` header. */
export const IDEMPOTENCY_KEY_MAX = 255;
const KEY_PATTERN = /^[\x21-\x7e]+$/;

/** A stored idempotency record. */
export interface IdempotencyRecord {
  requestHash: string;
  status: number;
  /** The first response's body, as JSON text. */
  response: string;
  createdAt: number;
}

/** What to do with a request that carries a key. */
export type IdempotencyDecision =
  | { kind: 'execute' }
  | { kind: 'replay'; status: number; response: string }
  | { kind: 'conflict' };

/** Checks an `Idempotency-Key` header value; returns a reason when it is not acceptable. */
export function idempotencyKeyProblem(key: string): string | null {
  if (key.length === 0) return 'Idempotency-Key is empty';
  if (key.length > IDEMPOTENCY_KEY_MAX) return `Idempotency-Key is longer than ${IDEMPOTENCY_KEY_MAX} characters`;
  if (!KEY_PATTERN.test(key)) return 'Idempotency-Key must be printable ASCII without spaces';
  return null;
}

/** JSON with object keys sorted at every depth, so equal bodies serialise equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The fingerprint of a request: SHA-256 over its route and canonical body. */
export function requestHash(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\n').update(canonicalJson(body)).digest('hex');
}

/** Decides whether to execute, replay or refuse, given the stored record (if any) and the clock. */
export function decideIdempotency(record: IdempotencyRecord | null, hash: string, now: number): IdempotencyDecision {
  if (record === null || now - record.createdAt >= IDEMPOTENCY_TTL_MS) return { kind: 'execute' };
  if (record.requestHash !== hash) return { kind: 'conflict' };
  return { kind: 'replay', status: record.status, response: record.response };
}
