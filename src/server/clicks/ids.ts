/** Click ids: 128 random bits (crypto RNG), base64url (22 characters), drawn from a pooled buffer to save syscalls. */
import { randomFillSync } from 'node:crypto';

const ID_BYTES = 16;
const POOL_IDS = 512;
const pool = Buffer.alloc(ID_BYTES * POOL_IDS);
let next = POOL_IDS;

/** A new random, URL-safe click id. */
export function newClickId(): string {
  if (next >= POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const start = next++ * ID_BYTES;
  return pool.toString('base64url', start, start + ID_BYTES);
}
