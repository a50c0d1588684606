/** `clout keys create|list|revoke`: API keys of the tracking service (stored hashed; a key is shown once). */
import { formatTimestamp } from '../../domain/index.js';
import { renderTable } from '../../report/table.js';
import { createApiKey, listKeys, revokeKey } from '../../server/keys.js';
import { closeStore, openStore, resolveDbPath, type Store } from '../../store/index.js';
import type { Command, CommandIO, ParsedValues } from '../command.js';
import { EXIT } from '../command.js';
import { boolFlag, listFlag, stringFlag } from '../options.js';
import { CloutError } from '../../domain/index.js';

async function withStore<T>(values: ParsedValues, io: CommandIO, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(resolveDbPath(stringFlag(values, 'db'), io.env));
  try {
    return await fn(store);
  } finally {
    await closeStore(store);
  }
}

export const keysCreateCommand: Command = {
  name: 'keys create',
  summary: 'Create an API key for clout serve (printed once; stored as a SHA-256 hash)',
  usage: 'clout keys create --scope SCOPE[,SCOPE] [--origin https://site,...] [--name NAME] [--db PATH] [--json]',
  options: { scope: { type: 'string' }, origin: { type: 'string' }, name: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' } },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const scopes = listFlag(values, 'scope');
    if (scopes.length === 0) throw new CloutError('usage', '--scope is required (links:read, links:write, conversions:write, conversions:client, analytics:read, admin)');
    const origins = listFlag(values, 'origin');
    const name = stringFlag(values, 'name');
    const created = await withStore(values, io, (store) => createApiKey(store, { scopes, origins, ...(name !== undefined ? { name } : {}) }));
    const kind = created.key.startsWith('clout_pk_') ? 'publishable' : 'secret';
    if (boolFlag(values, 'json')) {
      io.stdout(JSON.stringify({ id: created.id, key: created.key, kind, scopes, origins, name: name ?? null }, null, 2) + '\n');
    } else {
      io.stdout(`${created.key}\n`);
      io.stderr(`key ${created.id} (${kind}; ${scopes.join(', ')}) — store it now: it cannot be shown again\n`);
    }
    return EXIT.OK;
  },
};

export const keysListCommand: Command = {
  name: 'keys list',
  summary: 'List API keys (ids, scopes, origins; never the secrets)',
  usage: 'clout keys list [--db PATH] [--json]',
  options: { db: { type: 'string' }, json: { type: 'boolean' } },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const keys = await withStore(values, io, (store) => listKeys(store));
    if (boolFlag(values, 'json')) {
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
};

export const keysRevokeCommand: Command = {
  name: 'keys revoke',
  summary: 'Revoke an API key by id',
  usage: 'clout keys revoke ID [--db PATH] [--json]',
  options: { db: { type: 'string' }, json: { type: 'boolean' } },
  allowPositionals: true,
  async run(values, positionals, io) {
    if (positionals.length !== 1) throw new CloutError('usage', 'give exactly one key id (see clout keys list)');
    const id = positionals[0]!;
    await withStore(values, io, (store) => revokeKey(store, id));
    if (boolFlag(values, 'json')) io.stdout(JSON.stringify({ id, revoked: true }) + '\n');
    else io.stdout(`revoked ${id}\n`);
    return EXIT.OK;
  },
};
