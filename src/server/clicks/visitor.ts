/**
 * Visitor ids: HMAC-SHA256(salt of the UTC day, IP + "\n" + UA), truncated to 96 bits. The salt is random, lives
 * only in this process's memory and is replaced at each UTC midnight, so the raw IP is never stored and ids of one
 * visitor do not join across days (or across a restart).
 *
 * HMAC is computed as SHA-256((K ⊕ opad) ‖ SHA-256((K ⊕ ipad) ‖ m)) (RFC 2104) with node's one-shot `crypto.hash`
 * over preallocated buffers — about half the cost of a `createHmac` object per request; `createHmac` is the
 * fallback (Node without `crypto.hash`, or a message longer than the buffer).
 */
import * as crypto from 'node:crypto';

const DAY_MS = 86_400_000;

/** The UTC day number of epoch ms `at` (the visitor salt's lifetime). */
export function utcDay(at: number): number {
  return Math.floor(at / DAY_MS);
}
const BLOCK = 64;
const MAX_MESSAGE = 4096;

type OneShot = (algorithm: string, data: Buffer, outputEncoding: 'latin1' | 'base64url') => string;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

/** HMAC-SHA256 with a fixed key, for many short messages. */
export class HmacSha256 {
  private readonly key: Buffer;
  private readonly inner = Buffer.alloc(BLOCK + MAX_MESSAGE);
  private readonly outer = Buffer.alloc(BLOCK + 32);

  constructor(key: Buffer) {
    this.key = key;
    const k = Buffer.alloc(BLOCK);
    (key.length > BLOCK ? crypto.createHash('sha256').update(key).digest() : key).copy(k);
    for (let i = 0; i < BLOCK; i++) {
      this.inner[i] = k[i]! ^ 0x36;
      this.outer[i] = k[i]! ^ 0x5c;
    }
  }

  /** The 32-byte MAC of a UTF-8 message, base64url-encoded (43 characters). */
  digest(message: string): string {
    // Strings, not Buffers, cross the hash calls: a fresh ArrayBuffer per request costs more in GC than the hash.
    if (oneShot !== undefined && message.length * 3 <= MAX_MESSAGE) {
      const n = this.inner.write(message, BLOCK, 'utf8');
      this.outer.write(oneShot('sha256', this.inner.subarray(0, BLOCK + n), 'latin1'), BLOCK, 'latin1');
      return oneShot('sha256', this.outer, 'base64url');
    }
    return crypto.createHmac('sha256', this.key).update(message, 'utf8').digest('base64url');
  }
}

/** Keyed visitor hashing with a salt rotating every UTC day. */
export class VisitorHasher {
  private day = -1;
  private mac: HmacSha256 | undefined;

  constructor(private readonly newSalt: () => Buffer = () => crypto.randomBytes(32)) {}

  /** The visitor id of (ip, ua) at time `at` (epoch ms). */
  id(ip: string, ua: string, at: number): string {
    const day = utcDay(at);
    if (day !== this.day || this.mac === undefined) {
      this.day = day;
      this.mac = new HmacSha256(this.newSalt());
    }
    return this.mac.digest(`${ip}\n${ua}`).slice(0, 16); // the first 12 bytes
  }
}
