/** The CLI's flags come from the commands' schemas: help, suggestions, value errors, fs errors, no doubled prefixes. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CloutError } from '../../src/domain/index.js';
import { optionFields, type OptionsSchema } from '../../src/app/options.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { commandFlags } from '../../src/cli/flags.js';
import { errorLine } from '../../src/cli/run.js';
import { clout } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'clout-flags-'));

describe('clout --help', () => {
  it('lists every command', async () => {
    const r = await clout(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(c.name);
  });

  it('lists every flag of every command, with its default where the schema has one, and an example', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      const r = await clout([...entry.name.split(' '), '--help']);
      expect(r.code, entry.name).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Example: clout ${entry.name}`));
      const lines = r.stdout.split('\n');
      for (const flag of commandFlags(command)) {
        const at = lines.findIndex((l) => l.trimStart().startsWith(`--${flag.name} `) || l.trim() === `--${flag.name}`);
        expect(at, `${entry.name} --${flag.name}`).toBeGreaterThanOrEqual(0);
        // The description may sit on the next line when the flag and its value are long.
        const text = lines[at]! + (lines[at + 1]?.startsWith('    ') ? lines[at + 1]! : '');
        if (flag.field.default !== undefined) expect(text, `${entry.name} --${flag.name}`).toMatch(/default/);
        if (flag.field.required) expect(text).toMatch(/required/);
      }
      // Every field of both schemas is a flag.
      const fields = [...optionFields(command.options as OptionsSchema), ...optionFields(command.flags as OptionsSchema)];
      expect(commandFlags(command).length).toBe(fields.length);
    }
  });
});

describe('suggestions', () => {
  it('a mistyped command gets the nearest one', async () => {
    const r = await clout(['reprot']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("clout: unknown command 'reprot'; did you mean report?\n");
  });

  it('a mistyped flag gets the nearest one, exit 2', async () => {
    const r = await clout(['report', '--nitre', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('clout report: unknown flag --nitre; did you mean --niter?\n');
  });
});

describe('values', () => {
  it('--top -3 says what is wrong and what is allowed', async () => {
    const r = await clout(['report', '--top', '-3', '--db', join(dir, 'none.duckdb')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^clout report: --top must be a whole number .*1.*; got '-3'\n$/);
  });

  it('--type is checked against the known types', async () => {
    const r = await clout(['attribute', '--type', 'sale,purchase', '--db', join(dir, 'none.duckdb')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--type must be among .*sale.*; got 'purchase'/);
  });

  it('a required flag is named', async () => {
    const r = await clout(['ab', '--db', join(dir, 'none.duckdb')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--link is required/);
  });
});

describe('file-system errors are one line', () => {
  it.each([
    [['report', '--html', '/no/such/dir/x.svg'], /^clout report: cannot write \/no\/such\/dir\/x\.svg: no such directory/],
    [['impact', '--campaign', 'c', '--plot', '/no/such/dir/x.svg'], /^clout impact: cannot write \/no\/such\/dir\/x\.svg: no such directory/],
    [['attribute', '--paths', tmpdir()], /^clout attribute: cannot read .*: it is a directory/],
    [['import', '/no/such/file'], /^clout import: cannot read \/no\/such\/file: no such file/],
  ])('%j', async (args, message) => {
    const r = await clout([...args, ...(args[0] === 'attribute' ? [] : ['--db', join(dir, 'fs.duckdb')])]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'fs.duckdb'))).toBe(false);
  });

  it('a raw ENOENT becomes a line naming the path', () => {
    const e = Object.assign(new Error("ENOENT: no such file or directory, open '/x/y'"), { code: 'ENOENT', path: '/x/y', syscall: 'open' });
    expect(errorLine(e)).toBe('cannot read /x/y: no such file or directory');
  });
});

describe('reading commands never create a store', () => {
  it('keys list on a missing store fails without creating it', async () => {
    const db = join(dir, 'nope.duckdb');
    const r = await clout(['keys', 'list', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no store at/);
    expect(existsSync(db)).toBe(false);
  });

  it('a usage error creates no store', async () => {
    const db = join(dir, 'usage.duckdb');
    for (const args of [['keys', 'create', '--db', db], ['keys', 'revoke', 'k1', '--db', db], ['import', '--kind', 'nope', '--db', db, '.']]) {
      const r = await clout(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(existsSync(db)).toBe(false);
    }
  });
});

describe('prefixes', () => {
  it("a kernel's own 'impact: ' prefix is not doubled", () => {
    const e = new CloutError('input', 'impact: only 0 day(s) before the event');
    expect(errorLine(e, 'impact')).toBe('only 0 day(s) before the event');
    expect(errorLine(new CloutError('input', 'contagion: no posts'), 'network contagion')).toBe('no posts');
  });
});
