/** Visitor ids: HMAC-SHA256 against RFC 4231's published vectors and node's createHmac; daily salt rotation. */
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSha256, VisitorHasher } from '../../../src/server/clicks/visitor.js';

describe('HmacSha256', () => {
  it('matches RFC 4231 test cases 1, 2 and 6 (key longer than the block)', () => {
    expect(Buffer.from(new HmacSha256(Buffer.alloc(20, 0x0b)).digest('Hi There'), 'base64url').toString('hex')).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    expect(Buffer.from(new HmacSha256(Buffer.from('Jefe')).digest('what do ya want for nothing?'), 'base64url').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(Buffer.from(new HmacSha256(Buffer.alloc(131, 0xaa)).digest('Test Using Larger Than Block-Size Key - Hash Key First'), 'base64url').toString('hex')).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });

  it('equals createHmac for random keys and messages (ASCII, UTF-8, longer than the buffer)', () => {
    for (let i = 0; i < 200; i++) {
      const key = randomBytes(1 + (i % 100));
      const msg = i % 3 === 0 ? `192.0.2.${i}\nMozilla/5.0 ${'x'.repeat(i * 7)}` : i % 3 === 1 ? `2001:db8::${i}\nÜñïçødé ✓ ${i}` : 'y'.repeat(5000 + i);
      expect(new HmacSha256(key).digest(msg)).toBe(createHmac('sha256', key).update(msg).digest('base64url'));
    }
  });
});

describe('VisitorHasher', () => {
  it('is stable within a UTC day, changes at midnight, and depends on IP and UA', () => {
    let salt = 0;
    const h = new VisitorHasher(() => Buffer.alloc(32, ++salt));
    const t = Date.parse('2026-01-01T00:00:00Z');
    const a = h.id('192.0.2.1', 'UA', t + 1);
    expect(h.id('192.0.2.1', 'UA', t + 86_399_999)).toBe(a);
    expect(h.id('192.0.2.2', 'UA', t + 5)).not.toBe(a);
    expect(h.id('192.0.2.1', 'UA2', t + 5)).not.toBe(a);
    expect(h.id('192.0.2.1', 'UA', t + 86_400_000)).not.toBe(a);
    expect(a).toBe(createHmac('sha256', Buffer.alloc(32, 1)).update('192.0.2.1\nUA').digest().subarray(0, 12).toString('base64url'));
    expect(a).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });
});
