/**
 * `clout framing classify FILE --text-column COL [--id-column COL] [--json]`: each row's framing and the rule that
 * decided it; rows without text are counted as no_text, never dropped; CSV (quoted line breaks, any header case) and
 * gzipped NDJSON; clear usage errors for a missing column, FILE with --db, a column flag without FILE, a mistyped
 * sub-command — while `clout framing` (no sub-command) is still the framing effects.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FramingClassifyDoc } from '../../../src/app/framing-classify.js';
import { clout } from '../../support/cli.js';
import { tempDir } from '../../support/import.js';

const CSV = [
  'Tweet_ID,Full_Text,lang',
  't1,"My Sponsors profile is live! You can sponsor me to support my open source work 💖 https://t.co/abc",en',
  't2,"I read this on the train and missed my stop.',
  'Best essay on remote work I\'ve seen https://t.co/def",en',
  't3,https://t.co/ghi,und',
  't4,,en',
  't5,"Anyone else watching the game tonight?",en',
  't6,"   ",en',
].join('\n') + '\n';

describe('clout framing classify FILE', () => {
  it('classifies every row with text, counts the rows without, and names each rule (--json)', async () => {
    const dir = tempDir('clout-classify-');
    const file = join(dir, 'tweets.csv');
    writeFileSync(file, CSV);
    const r = await clout(['framing', 'classify', file, '--text-column', 'full_text', '--id-column', 'TWEET_ID', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as FramingClassifyDoc;
    expect(Object.keys(doc)).toEqual(['source', 'items', 'counts', 'rows', 'unreadable']);
    expect(doc.items.map((i) => [i.id, i.framing])).toEqual([['t1', 'pitch'], ['t2', 'endorsement'], ['t3', 'bare_link'], ['t5', 'other']]);
    for (const i of doc.items) expect(Object.keys(i)).toEqual(['id', 'framing', 'reason']);
    expect(doc.items[0]!.reason).toMatch(/^the author benefits \(/);
    expect(doc.counts).toEqual({ pitch: 1, endorsement: 1, bare_link: 1, other: 1, no_text: 2 });
    expect(doc.rows).toBe(6);
    const sum = Object.values(doc.counts).reduce((a, b) => a + b, 0);
    expect(sum + doc.unreadable).toBe(doc.rows); // nothing dropped silently
  });

  it('reads gzipped NDJSON and ids rows by line when no id column is given; the terminal shows counts and rules', async () => {
    const dir = tempDir('clout-classify-');
    const file = join(dir, 'posts.ndjson.gz');
    const lines = [{ body: 'Deep Work Habits, out now — https://t.co/x' }, { body: null }, { other: 1 }, { body: 'Highly recommend @ana_dev\'s course, it got me my first job https://t.co/y' }];
    writeFileSync(file, gzipSync(lines.map((l) => JSON.stringify(l)).join('\n') + '\nnot json\n'));
    const r = await clout(['framing', 'classify', file, '--text-column', 'body', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as FramingClassifyDoc;
    expect(doc.items.map((i) => [i.id, i.framing])).toEqual([['line 1', 'pitch'], ['line 4', 'endorsement']]);
    expect(doc).toMatchObject({ rows: 5, unreadable: 1, counts: { no_text: 2 } });
    const text = await clout(['framing', 'classify', file, '--text-column', 'body']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^no_text\s+2$/m);
    expect(text.stdout).toMatch(/line 1\s+pitch\s+seller's copy \(out now\)/);
    expect(text.stdout).toMatch(/1 rows could not be read/);
  });

  it('gives clear usage errors', async () => {
    const dir = tempDir('clout-classify-');
    const file = join(dir, 'tweets.csv');
    writeFileSync(file, CSV);
    const cases: [string[], RegExp][] = [
      [['framing', 'classify', file, '--text-column', 'body'], /--text-column body: .* has no such column \(its columns: tweet_id, full_text, lang\)/],
      [['framing', 'classify', file], /--text-column is required with a FILE/],
      [['framing', 'classify', file, '--text-column', 'full_text', '--db', join(dir, 'x.duckdb')], /give a FILE or --db, not both/],
      [['framing', 'classify', '--text-column', 'full_text', '--db', join(dir, 'x.duckdb')], /--text-column names a column of a FILE/],
      [['framing', 'classify', file, '--text-column', 'full_text', '--colour'], /colour/],
      [['framing', 'clasify', file], /unknown sub-command 'clasify'; did you mean 'framing classify'\?/],
      [['framing', 'classify', join(dir, 'tweets.parquet'), '--text-column', 'x'], /read a \.csv or \.ndjson/],
    ];
    for (const [args, message] of cases) {
      const r = await clout(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    // `clout framing` without a sub-command is still the framing effects (here: no store)
    const effects = await clout(['framing', '--db', join(dir, 'none.duckdb')]);
    expect(effects.stderr).toMatch(/^clout framing: no store at/);
  });
});
