/**
 * Click ids: 22 URL-safe characters — the click's time (epoch ms, 8 characters) then 80 random bits (crypto RNG, 14
 * characters, drawn from a pooled buffer to save syscalls). The time prefix uses the base64url characters in ASCII
 * order, so ids sort by time and a merge's ids land together in the primary-key index of `clicks`: with fully random
 * ids a merge of 262,144 clicks cost that index 1.5–2× the CPU, growing with the table (measured: 2.4–3.2 s against
 * 1.4–2.1 s, flat).
 */
import { randomFillSync } from 'node:crypto';

/** The 64 base64url characters in ASCII order. */
const SORTED = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const RANDOM_BYTES = 10;
const POOL_IDS = 512;
const pool = Buffer.alloc(RANDOM_BYTES * POOL_IDS);
let next = POOL_IDS;
let prefixMs = -1;
let prefix = '';

/** The 8-character, order-preserving text of an epoch-ms time (48 bits; clamped to that range). */
export function timePrefix(ms: number): string {
  let v = Math.min(Math.max(Math.floor(ms), 0), 2 ** 48 - 1);
  let out = '';
  for (let i = 0; i < 8; i++) {
    out = SORTED[v % 64]! + out;
    v = Math.floor(v / 64);
  }
  return out;
}

/** A new click id for a click at `atMs` (epoch ms): time-ordered, unguessable, URL-safe. */
export function newClickId(atMs: number): string {
  if (atMs !== prefixMs) {
    prefixMs = atMs;
    prefix = timePrefix(atMs);
  }
  if (next >= POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const start = next++ * RANDOM_BYTES;
  return prefix + pool.toString('base64url', start, start + RANDOM_BYTES);
}
