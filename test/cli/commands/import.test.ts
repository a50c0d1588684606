/** `clout import` through runCli in-process (exit codes, --json, human output), and once through the built binary. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, readRejects, tempDir } from '../../support/import.js';
import { clout } from '../../support/cli.js';
import { TEST_DIR } from '../../support/paths.js';

const CLI = join(TEST_DIR, '..', 'dist', 'src', 'cli', 'main.js');

describe('clout import (in-process)', () => {
  it('exits 0 and prints exactly {sources, files, rejected_total} with --json when nothing is rejected', async () => {
    const dir = tempDir();
    const r = await clout(['import', join(FIXTURES, 'clean'), '--db', join(dir, 'c.duckdb'), '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      sources: [],
      files: [
        { file: join(FIXTURES, 'clean', 'accounts.csv'), kind: 'accounts', read: 2, imported: 2, updated: 0, unchanged: 0, rejected: 0, reported: 0, warnings: 0 },
      ],
      rejected_total: 0,
    });
    expect(existsSync(join(dir, 'c.rejects'))).toBe(false); // no rejects, no rejects file
  });

  it('exits 3 when rows were rejected, with an aligned table, totals, warnings and the rejects path', async () => {
    const dir = tempDir();
    const rejects = join(dir, 'rejects.ndjson');
    const r = await clout(['import', join(FIXTURES, 'malformed'), '--rejects', rejects], { CLOUT_DB: join(dir, 'env.duckdb') });
    expect(r.code).toBe(3);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^file\s+kind\s+read\s+imported\s+updated\s+unchanged\s+rejected\s+warnings$/);
    expect(lines[1]).toMatch(/^─+( +─+){7}$/);
    const total = lines.find((l) => l.startsWith('total'))!;
    expect(total.split(/\s+/)).toEqual(['total', '49', '23', '4', '0', '22', '7']);
    // every row of the table has its numbers right-aligned under the headers
    const end = lines[0]!.length;
    for (const l of lines.slice(2, 12)) expect(l.length).toBe(end);
    expect(r.stdout).toContain(`22 row(s) rejected; each with file, line, field and reason in ${rejects}`);
    expect(r.stdout).toMatch(/warning: .*notes\.csv: 'notes' is not a kind/);
    expect(readRejects(rejects)).toHaveLength(22);
    expect(existsSync(join(dir, 'env.duckdb'))).toBe(true); // CLOUT_DB chose the store
  });

  it.each([
    [['import'], /no files or folders to import/],
    [['import', '/nowhere/posts.csv'], /cannot read \/nowhere\/posts\.csv: no such file or folder/],
    [['import', join(FIXTURES, 'clean'), '--kind', 'nope'], /--kind must be one of accounts, .*; got 'nope'/],
    [['import', join(FIXTURES, 'malformed', 'notes.csv')], /cannot tell the kind of .*notes\.csv: 'notes' is not one of/],
    [['import', join(FIXTURES, 'clean'), '--bogus'], /unknown flag --bogus/],
  ])('exits 2 with one line for a usage error: %j', async (args, message) => {
    const db = join(tempDir(), 'u.duckdb');
    const r = await clout([...args, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(db)).toBe(false); // checked before the store is opened
  });

  it('exits 1 with one line when a file cannot work (a required column missing)', async () => {
    const r = await clout(['import', join(FIXTURES, 'bad-header'), '--db', join(tempDir(), 'h.duckdb')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/lacks required column\(s\) author_id of posts/);
  });

  it('imports a file named with --kind', async () => {
    const r = await clout(['import', join(FIXTURES, 'malformed', 'notes.csv'), '--kind', 'accounts', '--db', join(tempDir(), 'k.duckdb'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ kind: 'accounts', read: 1, imported: 1, warnings: 1 });
  });
});

describe('clout import (built binary)', () => {
  it('runs from dist and exits 3 on the malformed corpus, then 3 again with nothing imported or updated', () => {
    const dir = tempDir();
    const run = () =>
      spawnSync(process.execPath, [CLI, 'import', join(FIXTURES, 'malformed'), '--db', join(dir, 'b.duckdb'), '--json'], {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      });
    const first = run();
    expect(first.status, first.stderr).toBe(3);
    const one = JSON.parse(first.stdout) as { files: { imported: number; updated: number; read: number }[]; rejected_total: number };
    expect(one.rejected_total).toBe(22);
    const second = run();
    expect(second.status).toBe(3);
    const two = JSON.parse(second.stdout) as typeof one;
    expect(two.files.map((f) => [f.imported, f.updated])).toEqual(two.files.map(() => [0, 0]));
    expect(two.files.map((f) => f.read)).toEqual(one.files.map((f) => f.read));
  });
});
