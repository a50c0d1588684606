/**
 * clout's side of the redirect benchmark, in its own process: `clout serve` on a fresh store with one link. Prints
 * {url, key} when ready; on SIGTERM stops gracefully (flushing clicks), prints the clicks in the store and removes the store.
 *
 * `--capture-off` (a reference point, never a product mode): the same server answering every redirect with a fixed
 * Location and recording nothing, so the bench can tell the cost of click capture from the cost of the process
 * around it (Fastify, DuckDB and the API's code share its V8 isolate; a bare node:http process has nothing else).
 */
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createApiKey } from '../../src/server/keys.js';
import { startServer } from '../../src/server/server.js';
import { closeStore, openStore } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'clout-bench-redirect-'));
const dbPath = join(dir, 'bench.duckdb');
const server = await startServer({ dbPath, port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
const { key: apiKey } = await createApiKey(server.ctx.store, { scopes: ['links:write'] });
const res = await fetch(`${server.url}/api/links`, {
  method: 'POST',
  headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
  body: JSON.stringify({ url: 'https://shop.example/book', key: 'book' }),
});
if (res.status !== 201) throw new Error(`could not create the bench link: ${res.status} ${await res.text()}`);
if (process.argv[3] === '--capture-off') {
  const fixed = 'https://shop.example/book?clout_id=AAAAAAAAAAAAAAAAAAAAAA';
  server.ctx.redirector.capture = () => fixed;
}
process.stdout.write(JSON.stringify({ url: server.url, key: 'book', db: dbPath }) + '\n');

process.on('SIGTERM', () => {
  void (async () => {
    await server.close();
    const store = await openStore(dbPath);
    const rows = (
      await store.conn.runAndReadAll(
        'SELECT count(*) FILTER (WHERE NOT is_bot)::INTEGER AS human, count(*)::INTEGER AS total FROM clicks',
      )
    ).getRowObjectsJS();
    await closeStore(store);
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write(JSON.stringify({ clicks: rows[0]!.human, total: rows[0]!.total }) + '\n');
    process.exit(0);
  })();
});
