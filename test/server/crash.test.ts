/**
 * Crash test: a client sends 5,000 sales with idempotency keys to a `clout serve` child process (32 at a time) and
 * retries every failure with the same key; the server is killed with SIGKILL mid-way and restarted on the same
 * store. Afterwards every acknowledged sale is in the store exactly once, with the id it was acknowledged with, and
 * no sale appears twice. Needs the built CLI (`npm test` runs tsc first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/server/keys.js';
import { closeStore, openStore, queryRows } from '../../src/store/index.js';
import { TEST_DIR } from '../support/paths.js';

const CLI = join(TEST_DIR, '..', 'dist', 'src', 'cli', 'main.js');
const SALES = 5000;
const CONCURRENCY = 32;
const KILL_AFTER = 2000;

/** A keep-alive JSON POST over node:http (lighter than fetch, so the client does not starve the server). */
function postJson(agent: http.Agent, base: string, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; replayed: boolean; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const data = Buffer.from(body);
    const req = http.request(
      { host: url.hostname, port: url.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, replayed: res.headers['idempotent-replayed'] === 'true', text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Spawns `clout serve` on a free port; resolves with the child and its URL once it listens. */
function serve(dbPath: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--db', dbPath, '--port', '0', '--rate-limit', '1000000', '--json'], {
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0]!;
      if (out.includes('\n')) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`clout serve exited (${code}) before listening: ${err}`)));
  });
}

describe('kill -9 while 5,000 sales are being sent', () => {
  it.skipIf(!existsSync(CLI))('loses no acknowledged sale and duplicates none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clout-crash-'));
    const dbPath = join(dir, 'store.duckdb');
    const store = await openStore(dbPath);
    const { key } = await createApiKey(store, { scopes: ['conversions:write'] });
    await closeStore(store);

    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const t0 = Date.now();
    let server = await serve(dbPath);
    const tUp = Date.now();
    let tKill = 0;
    let tBack = 0;
    let url = server.url;
    const acked = new Map<number, string>(); // sale index → acknowledged conversion id
    let failures = 0;
    let replays = 0;
    let killed = false;
    let restarting: Promise<void> | undefined;

    const sendOne = async (i: number): Promise<void> => {
      const body = JSON.stringify({ customer_id: `cus_${i}`, amount: 100 + i, currency: 'USD', event_name: 'crash-test' });
      for (;;) {
        try {
          const res = await postJson(agent, url, '/api/track/sale', body, { authorization: `Bearer ${key}`, 'idempotency-key': `sale-${i}` });
          if (res.status === 201) {
            acked.set(i, (JSON.parse(res.text) as { id: string }).id);
            if (res.replayed) replays++;
            return;
          }
          if (res.status < 500) throw new Error(`sale ${i}: unexpected ${res.status} ${res.text}`);
        } catch (e) {
          if ((e as Error).message.startsWith('sale ')) throw e;
        }
        failures++;
        await (restarting ?? new Promise((r) => setTimeout(r, 5)));
      }
    };

    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < SALES) {
        const i = next++;
        await sendOne(i);
        if (!killed && acked.size >= KILL_AFTER) {
          killed = true;
          tKill = Date.now();
          server.child.kill('SIGKILL');
          restarting = (async () => {
            await new Promise((r) => server.child.once('exit', r));
            server = await serve(dbPath);
            url = server.url;
            tBack = Date.now();
          })();
          await restarting;
          restarting = undefined;
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    } catch (e) {
      server.child.kill('SIGKILL'); // never leave a server behind a failed test
      throw e;
    } finally {
      agent.destroy();
    }
    const tDone = Date.now();

    // Stop the restarted server gracefully, then read the store directly.
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await exited;

    expect(killed).toBe(true);
    expect(failures).toBeGreaterThan(0); // the outage was felt by the client
    expect(acked.size).toBe(SALES);
    const check = await openStore(dbPath);
    try {
      const rows = await queryRows(check.conn, `SELECT id, customer_id, value_minor::DOUBLE AS v FROM conversions WHERE type = 'sale'`);
      const byCustomer = new Map<string, { id: string; v: number }[]>();
      for (const r of rows) {
        const list = byCustomer.get(String(r.customer_id)) ?? [];
        list.push({ id: String(r.id), v: Number(r.v) });
        byCustomer.set(String(r.customer_id), list);
      }
      expect(rows.length).toBe(SALES);
      for (const [i, id] of acked) {
        const found = byCustomer.get(`cus_${i}`);
        expect(found, `sale ${i}`).toEqual([{ id, v: 100 + i }]);
      }
      const idem = await queryRows(check.conn, 'SELECT count(*)::INTEGER AS n FROM idempotency_keys');
      expect(idem[0]!.n).toBe(SALES);
    } finally {
      await closeStore(check);
    }
    console.log(
      `crash test: ${SALES} sales acknowledged, ${failures} failed attempts retried, ${replays} answered by replay; ` +
        `start ${tUp - t0} ms, ${KILL_AFTER} sales in ${tKill - tUp} ms, down ${tBack - tKill} ms, rest in ${tDone - tBack} ms`,
    );
  }, 120_000);
});
