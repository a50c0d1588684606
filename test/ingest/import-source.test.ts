/**
 * Platform sources through the import: recognised by content in a folder, a .zip or a lone file; every record read
 * is imported, updated, unchanged, rejected or reported (never dropped); rejects carry file, line and record;
 * re-importing adds nothing; sources load in the order of the kind they load with.
 */
import { readdirSync, readFileSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths, type FileSummary, type PlatformImporter, type RegisteredImporter } from '../../src/ingest/index.js';
import { closeStore } from '../../src/store/index.js';
import { dumpAll, freshStore, readRejects, tempDir } from '../support/import.js';
import { TEST_DIR } from '../support/paths.js';
import { writeZip } from '../support/zip-writer.js';

const MASTODON = join(TEST_DIR, 'fixtures', 'platforms', 'mastodon');

const balanced = (f: FileSummary): boolean => f.read === f.imported + f.updated + f.unchanged + f.rejected + f.reported;

describe('importing a platform source', () => {
  it('reads a Mastodon archive folder: per-kind counts that add up, rejects with their record, nothing added the second time', async () => {
    const { store } = await freshStore();
    try {
      const first = await importPaths(store, [MASTODON]);
      expect(first.sources).toEqual([
        { path: MASTODON, importer: 'mastodon-archive', label: 'Mastodon archive', files: ['actor.json', 'bookmarks.json', 'likes.json', 'outbox.json'] },
      ]);
      expect(first.files.map((f) => [f.kind, f.read, f.imported, f.rejected, f.reported])).toEqual([
        ['accounts', 3, 3, 0, 0],
        ['posts', 7, 5, 1, 1],
        ['links', 2, 2, 0, 0],
        ['interactions', 10, 5, 0, 5],
      ]);
      expect(first.files.every(balanced)).toBe(true);
      expect(first.files.every((f) => f.importer === 'mastodon-archive' && f.file === MASTODON)).toBe(true);
      const rejects = readRejects(first.rejects_path);
      expect(rejects).toHaveLength(1);
      expect(rejects[0]).toMatchObject({ file: join(MASTODON, 'outbox.json'), kind: 'posts', field: 'object.id' });
      expect(rejects[0]!.record).toMatch(/^https:\/\//);
      const stored = await dumpAll(store);
      const again = await importPaths(store, [MASTODON]);
      expect(again.files.map((f) => [f.kind, f.imported, f.updated, f.unchanged])).toEqual(
        first.files.map((f) => [f.kind, 0, 0, f.imported]),
      );
      expect(await dumpAll(store)).toEqual(stored);
    } finally {
      await closeStore(store);
    }
  });

  it('reads the same archive from a .zip (hidden and unrecognised members skipped with a notice)', async () => {
    const dir = tempDir();
    const zip = join(dir, 'archive-2026.zip');
    writeZip(zip, [
      ...readdirSync(MASTODON).map((name) => ({ name, data: readFileSync(join(MASTODON, name)) })),
      { name: 'media_attachments/files/readme.txt', data: Buffer.from('not data') },
      { name: '__MACOSX/._outbox.json', data: Buffer.from('resource fork') },
    ]);
    const fromFolder = await freshStore();
    const fromZip = await freshStore();
    try {
      await importPaths(fromFolder.store, [MASTODON]);
      const summary = await importPaths(fromZip.store, [zip]);
      expect(summary.sources[0]!.importer).toBe('mastodon-archive');
      expect(summary.notices).toContain(`skipped ${zip}:media_attachments/files/readme.txt: not part of an export clout recognises`);
      expect(summary.notices.some((n) => n.includes('__MACOSX'))).toBe(false);
      expect(readRejects(summary.rejects_path)[0]!.file).toBe(`${zip}:outbox.json`);
      expect(await dumpAll(fromZip.store)).toEqual(await dumpAll(fromFolder.store));
    } finally {
      await closeStore(fromFolder.store);
      await closeStore(fromZip.store);
    }
  });

  it('refuses a .zip with nothing it recognises, and names what it can read', async () => {
    const dir = tempDir();
    const zip = join(dir, 'photos.zip');
    writeZip(zip, [{ name: 'a.txt', data: Buffer.from('hello') }]);
    const { store } = await freshStore();
    try {
      await expect(importPaths(store, [zip])).rejects.toMatchObject({ code: 'unsupported_format', message: expect.stringContaining('X/Twitter') });
    } finally {
      await closeStore(store);
    }
  });

  it('validates what an importer emits with the kind schema, and loads sources in the order of their kind', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'orders.toy'), 'TOY ORDERS\n');
    writeFileSync(join(dir, 'in', 'people.toy'), 'TOY PEOPLE\n');
    const order: string[] = [];
    const toy = (id: string, magic: string, emit: PlatformImporter['read']): PlatformImporter => ({
      id,
      label: id,
      claim: async (entries) => {
        const out = [];
        for (const e of entries) if ((await e.head(16)).toString().startsWith(magic)) out.push(e);
        return out;
      },
      read: (entries, ctx) => {
        order.push(id);
        return emit(entries, ctx);
      },
    });
    const orders = toy('toy-orders', 'TOY ORDERS', async function* (entries, ctx) {
      const file = entries[0]!.path;
      yield [
        { type: 'record', kind: 'conversions', fields: { id: 'o1', at: '2025-01-01T00:00:00Z', type: ctx.conversionType, value: '5', currency: 'JPY' }, origin: { file, line: 2 }, raw: 'o1' },
        { type: 'record', kind: 'conversions', fields: { id: 'o2', at: 'yesterday', type: 'sale' }, origin: { file, line: 3, record: '#1002' }, raw: { id: 'o2' } },
        { type: 'reported', kind: 'conversions', origin: { file, line: 4 }, reason: 'pending order' },
        { type: 'reject', kind: 'conversions', origin: { file, line: 5 }, field: 'Total', reason: 'not a number: "abc"', raw: 'o4,abc' },
      ];
    });
    const people = toy('toy-people', 'TOY PEOPLE', async function* (entries) {
      yield [{ type: 'record', kind: 'accounts', fields: { id: 'a1', handle: 'ann' }, origin: { file: entries[0]!.path, line: 1 }, raw: 'a1' }];
    });
    // Listed orders-first, but people load with accounts, orders with conversions.
    const importers: RegisteredImporter[] = [
      { importer: orders, loadsWith: 'conversions' },
      { importer: people, loadsWith: 'accounts' },
    ];
    const { store } = await freshStore();
    try {
      const summary = await importPaths(store, [join(dir, 'in')], { importers, conversionType: 'donation' });
      expect(order).toEqual(['toy-people', 'toy-orders']);
      const conversions = summary.files.find((f) => f.kind === 'conversions')!;
      expect(conversions).toMatchObject({ read: 4, imported: 1, rejected: 2, reported: 1, reasons: { 'pending order': 1 } });
      expect(readRejects(summary.rejects_path).map((r) => [r.line, r.record, r.field, r.raw])).toEqual([
        [3, '#1002', 'at', '{"id":"o2"}'],
        [5, undefined, 'Total', 'o4,abc'],
      ]);
      const stored = await dumpAll(store);
      expect(stored.conversions).toEqual([expect.objectContaining({ id: 'o1', type: 'donation', value_minor: 5, currency: 'JPY' })]);
    } finally {
      await closeStore(store);
    }
  });

  it('copies of a source under other names are still recognised (by content, not name)', async () => {
    const dir = tempDir();
    for (const name of readdirSync(MASTODON)) copyFileSync(join(MASTODON, name), join(dir, `export-${name}.txt`));
    const { store } = await freshStore();
    try {
      const summary = await importPaths(store, [dir]);
      expect(summary.sources.map((s) => s.importer)).toEqual(['mastodon-archive']);
      expect(summary.files.find((f) => f.kind === 'posts')!.imported).toBe(5);
    } finally {
      await closeStore(store);
    }
  });

  it('a second-hand account record from a platform fills in the stored account instead of erasing what it lacks', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'first'));
    writeFileSync(join(dir, 'first', 'accounts.ndjson'), JSON.stringify({ id: '42', followers: 500, following: 7, created_at: '2015-06-01T00:00:00Z', name: 'Old Name' }) + '\n');
    writeFileSync(join(dir, 'mentions.toy'), 'TOY MENTIONS\n');
    const mentions: PlatformImporter = {
      id: 'toy-mentions',
      label: 'toy mentions',
      claim: async (entries) => {
        const out = [];
        for (const e of entries) if ((await e.head(12)).toString().startsWith('TOY MENTIONS')) out.push(e);
        return out;
      },
      read: async function* (entries) {
        const file = entries[0]!.path;
        yield [
          { type: 'record', kind: 'accounts', fields: { id: '42', platform: 'x', handle: 'meaning', name: 'New Name' }, origin: { file, line: 1 }, raw: '42' },
          { type: 'record', kind: 'accounts', fields: { id: '43', platform: 'x', handle: 'other' }, origin: { file, line: 2 }, raw: '43' },
        ];
      },
    };
    const { store } = await freshStore();
    try {
      await importPaths(store, [join(dir, 'first')]);
      const summary = await importPaths(store, [join(dir, 'mentions.toy')], { importers: [{ importer: mentions, loadsWith: 'accounts' }] });
      expect(summary.files[0]).toMatchObject({ kind: 'accounts', read: 2, imported: 1, updated: 1, unchanged: 0 });
      const accounts = (await dumpAll(store)).accounts;
      expect(accounts).toEqual([
        { id: '42', platform: 'x', handle: 'meaning', name: 'New Name', followers: 500, following: 7, created_at: Date.parse('2015-06-01T00:00:00Z') },
        { id: '43', platform: 'x', handle: 'other', name: null, followers: null, following: null, created_at: null },
      ]);
    } finally {
      await closeStore(store);
    }
  });
});
