/** `clout keys create|list|revoke`: API keys of the tracking service (stored hashed; a key is shown once). */
import { formatTimestamp } from '../../domain/index.js';
import { renderTable } from '../../report/table.js';
import { createApiKey, listKeys, revokeKey } from '../../server/keys.js';
import { closeStore, openStore, resolveDbPath, withExistingStore, type Store } from '../../app/store.js';
import { z } from 'zod';
import { SCOPES } from '../../server/scopes.js';
import { DB_FLAG, EXIT, JSON_FLAG, NO_OPTIONS, defineCommand, type CommandIO } from '../command.js';
import { CloutError } from '../../domain/index.js';

/** Opens (creating when new) the store a key is written to. */
async function withStore<T>(db: string | undefined, io: CommandIO, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(resolveDbPath(db, io.env));
  try {
    return await fn(store);
  } finally {
    await closeStore(store);
  }
}

const KEYS_FLAGS = z.object({ ...DB_FLAG, ...JSON_FLAG }).strict();

export const keysCreateCommand = defineCommand({
  name: 'keys create',
  summary: 'Create an API key for clout serve (printed once; stored as a SHA-256 hash)',
  options: NO_OPTIONS,
  flags: z
    .object({
      scope: z.array(z.enum(SCOPES)).min(1).describe('what the key may do'),
      origin: z.array(z.string().min(1)).default([]).describe('web origins a publishable key may be used from (https://site,...)'),
      name: z.string().optional().describe('a name to recognise the key by'),
      ...DB_FLAG,
      ...JSON_FLAG,
    })
    .strict(),
  example: 'clout keys create --scope links:read,analytics:read --name dashboard',
  async run({ flags }, io) {
    const scopes: string[] = flags.scope;
    if (scopes.length === 0) throw new CloutError('usage', `--scope is required (${SCOPES.join(', ')})`);
    const origins = flags.origin;
    const name = flags.name;
    const created = await withStore(flags.db, io, (store) => createApiKey(store, { scopes, origins, ...(name !== undefined ? { name } : {}) }));
    const kind = created.key.startsWith('clout_pk_') ? 'publishable' : 'secret';
    if (flags.json) {
      io.stdout(JSON.stringify({ id: created.id, key: created.key, kind, scopes, origins, name: name ?? null }, null, 2) + '\n');
    } else {
      io.stdout(`${created.key}\n`);
      io.stderr(`key ${created.id} (${kind}; ${scopes.join(', ')}) — store it now: it cannot be shown again\n`);
    }
    return EXIT.OK;
  },
});

export const keysListCommand = defineCommand({
  name: 'keys list',
  summary: 'List API keys (ids, scopes, origins; never the secrets)',
  options: NO_OPTIONS,
  flags: KEYS_FLAGS,
  example: 'clout keys list --db ./clout.duckdb',
  async run({ flags }, io) {
    // Listing only reads: a missing store is an error, never a new empty file.
    const keys = await withExistingStore(resolveDbPath(flags.db, io.env), (store) => listKeys(store));
    if (flags.json) {
      const out = keys.map((k) => ({ ...k, created_at: formatTimestamp(k.created_at), revoked_at: k.revoked_at === null ? null : formatTimestamp(k.revoked_at) }));
      io.stdout(JSON.stringify({ keys: out }, null, 2) + '\n');
      return EXIT.OK;
    }
    if (keys.length === 0) {
      io.stdout('No API keys; create one with clout keys create --scope SCOPE\n');
      return EXIT.OK;
    }
    io.stdout(
      renderTable(keys, [
        { header: 'id', cell: (k) => k.id },
        { header: 'kind', cell: (k) => k.kind },
        { header: 'prefix', cell: (k) => k.prefix + '…' },
        { header: 'name', cell: (k) => k.name ?? '' },
        { header: 'scopes', cell: (k) => k.scopes.join(',') },
        { header: 'origins', cell: (k) => k.origins.join(',') },
        { header: 'created', cell: (k) => formatTimestamp(k.created_at) },
        { header: 'revoked', cell: (k) => (k.revoked_at === null ? '' : formatTimestamp(k.revoked_at)) },
      ]),
    );
    return EXIT.OK;
  },
});

export const keysRevokeCommand = defineCommand({
  name: 'keys revoke',
  summary: 'Revoke an API key by id',
  options: NO_OPTIONS,
  flags: KEYS_FLAGS,
  positionals: { usage: 'ID', description: 'the id of the key (see clout keys list)' },
  example: 'clout keys revoke key_0123abcd',
  async run({ flags, positionals }, io) {
    if (positionals.length !== 1) throw new CloutError('usage', 'give exactly one key id (see clout keys list)');
    const id = positionals[0]!;
    await withExistingStore(resolveDbPath(flags.db, io.env), (store) => revokeKey(store, id));
    if (flags.json) io.stdout(JSON.stringify({ id, revoked: true }) + '\n');
    else io.stdout(`revoked ${id}\n`);
    return EXIT.OK;
  },
});
