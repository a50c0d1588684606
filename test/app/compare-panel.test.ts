// The panel CSV reader (src/app/compare-panel.ts): conventions for time and treated-at, bad rows with file, line
// and reason, and the estimates it feeds, checked against the same panel built by hand.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { comparePanel } from '../../src/analysis/compare/panel/index.js';
import { comparePanelCsv, panelFromCsv } from '../../src/app/compare-panel.js';
import { CloutError } from '../../src/domain/index.js';

const dir = mkdtempSync(join(tmpdir(), 'clout-compare-panel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const write = (text: string, ext = 'csv'): string => {
  const f = join(dir, `panel-${files++}.${ext}`);
  writeFileSync(f, ext.endsWith('.gz') ? gzipSync(text) : text);
  return f;
};
const REQ = { unit: 'account', time: 'year', outcome: 'sales', treatedAt: 'first_shoutout' };

/** The hand-worked table of the analysis tests: A, B treated at 2022, C at 2023, D and E never. */
const HAND = [[1, 2, 6, 8], [3, 3, 7, 9], [0, 1, 2, 7], [2, 3, 4, 5], [1, 1, 2, 4]];
const HAND_G = ['2022', '2022', '2023', 'never', ''];
const handCsv = (): string =>
  'account,year,sales,first_shoutout\n' + HAND.flatMap((row, i) => row.map((v, t) => `${'ABCDE'[i]},${2020 + t},${v},${HAND_G[i]}`)).join('\n') + '\n';

function errorOf(f: () => unknown): CloutError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CloutError);
    return e as CloutError;
  }
  throw new Error('expected a CloutError');
}

describe('panelFromCsv', () => {
  it('reads integer periods, never-treated as empty or "never", and gives the hand-worked ATT(g, t)', () => {
    const f = write(handCsv());
    const d = panelFromCsv(f, REQ);
    expect(d.timeKind).toBe('integer');
    expect(d.unitLabels).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(d.periodLabels).toEqual(['2020', '2021', '2022', '2023']);
    expect([...d.treatedAt]).toEqual([2, 2, 3, -1, -1]);
    const r = comparePanelCsv(f, REQ);
    expect(r.group_time.find((c) => c.treated_at === '2022' && c.period === '2022')!.estimate).toBeCloseTo(3, 12);
    expect(r.att.estimate).toBeCloseTo(3.3, 12);
    expect(r.cohorts).toEqual([{ treated_at: '2022', units: 2 }, { treated_at: '2023', units: 1 }]);
  });

  it('reads dates, maps a treated-at between periods to the next period, and counts units treated after the panel as never', () => {
    const dates = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'];
    const treated = ['2024-02-15', '2024-02-15', '2024-03-01', '2025-01-01', 'NEVER'];
    // Rows shuffled: order in the file does not matter.
    const lines = HAND.flatMap((row, i) => row.map((v, t) => `${dates[t]},${'ABCDE'[i]},${treated[i]},${v}`)).reverse();
    const f = write('year,account,first_shoutout,sales\n' + lines.join('\n'));
    const d = panelFromCsv(f, REQ);
    expect(d.timeKind).toBe('date');
    expect(d.periodLabels).toEqual(dates);
    // Units appear in file order (E first); 2024-02-15 falls between periods, so A and B start at 2024-03-01 with C.
    expect(Object.fromEntries(d.unitLabels.map((u, i) => [u, d.treatedAt[i]]))).toEqual({ A: 2, B: 2, C: 2, D: -1, E: -1 });
    expect(d.notes.join('\n')).toMatch(/1 unit is first treated after the last period \(2024-04-01\); counted as never treated/);
    const r = comparePanelCsv(f, REQ);
    expect(r.warnings[0]).toMatch(/first treated after the last period/);
    expect(r.n_treated_units).toBe(3);
  });

  it('skips rows without an outcome, counts them, and the panel is then unbalanced', () => {
    const f = write(handCsv().replace('B,2021,3,2022', 'B,2021,NA,2022').replace('D,2020,2,never', 'D,2020,,never'));
    const d = panelFromCsv(f, REQ);
    expect(d.outcome).toHaveLength(18);
    expect(d.notes).toEqual(['2 rows have no outcome (empty or NA) and were skipped']);
    const r = comparePanelCsv(f, REQ);
    expect(r.warnings.join('\n')).toMatch(/unbalanced panel: 2 unit-periods are missing/);
    // B has no base period for cohort 2022, so ATT(2022, 2022) rests on A alone: 4 − mean(1, 1, 1) = 3.
    const cell = r.group_time.find((c) => c.treated_at === '2022' && c.period === '2022')!;
    expect(cell.n_treated).toBe(1);
    expect(cell.estimate).toBeCloseTo(3, 12);
  });

  it('reads gzipped files', () => {
    const f = write(handCsv(), 'csv.gz');
    expect(panelFromCsv(f, REQ).outcome).toHaveLength(20);
  });

  it('reports every bad row with file, line and reason, the first five listed and the count', () => {
    const text = [
      'account,year,sales,first_shoutout',
      'A,2020,1,2022', // 2
      'A,2021,lots,2022', // 3: outcome not a number
      'A,2022,5,2023', // 4: treated-at changes within the unit
      'A,2021,2,2022', // 5: fine (line 3 was rejected before its key was seen)
      'A,2021,2,2022', // 6: second row for A at 2021
      ',2020,1,', // 7: empty unit
      'B,20x1,1,', // 8: time not an integer... the column then reads as dates, so every integer time fails too
    ].join('\n');
    const e = errorOf(() => panelFromCsv(write(text), REQ));
    expect(e.code).toBe('input');
    expect(e.message).toMatch(/^panel-\d+\.csv: 7 bad rows: line 2: time '2020' is not a date/);
    expect(e.message).toMatch(/… and 2 more$/);

    const ints = [
      'account,year,sales,first_shoutout',
      'A,2020,1,2022',
      'A,2021,lots,2022',
      'A,2022,5,2023',
      'A,2021,2,2022',
      'A,2021,2,2022',
      ',2020,1,',
      'B,2020,1,soon',
      'B,2021,1',
    ].join('\n');
    const e2 = errorOf(() => panelFromCsv(write(ints), REQ));
    expect(e2.message).toContain('6 bad rows');
    expect(e2.message).toContain("line 3: outcome 'lots' is not a number");
    expect(e2.message).toContain("line 4: unit 'A' has treated-at '2023' here but '2022' on line 2; it must be the same on every row of a unit (treatment is absorbing)");
    expect(e2.message).toContain("line 6: a second row for unit 'A' at time '2021' (the first is on line 5)");
    expect(e2.message).toContain("line 7: empty unit ('account')");
    expect(e2.message).toContain("line 8: treated-at 'soon' is not an integer period like the time column, nor empty or 'never'");
    expect(e2.message).toContain('… and 1 more');
    expect(e2.message).not.toContain('line 9');
    expect(e2.details).toMatchObject({ bad_rows: 6 });
  });

  it("refuses R's 0-for-never convention with a hint, a missing column with the columns there are, and a missing file", () => {
    const zero = handCsv().replace(/,never$/gm, ',0');
    expect(errorOf(() => panelFromCsv(write(zero), REQ)).message).toMatch(/1 unit has treated-at 0, before the first period \(2020\).*R's did package writes 0/);
    const e = errorOf(() => panelFromCsv(write(handCsv()), { ...REQ, outcome: 'revenue' }));
    expect(e.code).toBe('usage');
    expect(e.message).toBe("--outcome: no column 'revenue' in " + e.message.split(' in ')[1]!.split(';')[0] + '; its columns: account, year, sales, first_shoutout');
    expect(errorOf(() => panelFromCsv(join(dir, 'nope.csv'), REQ)).code).toBe('file_not_found');
    expect(errorOf(() => panelFromCsv(write(handCsv()), { ...REQ, outcome: 'year' })).code).toBe('usage');
  });

  it('never crashes on mutated files: a CloutError or a panel that keeps every good row', () => {
    const base = handCsv().trim().split('\n');
    const junk = fc.constantFrom('', 'x', '"', ',', '1e3', '-2', 'NA', 'never', '2022', '2020-01-01', ' ', '\u00e9', '1,2');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: base.length - 1 }), fc.integer({ min: 0, max: 3 }), junk), { maxLength: 4 }), (edits) => {
        const lines = base.map((l) => l.split(','));
        for (const [row, c, v] of edits) lines[row]![c] = v;
        const f = write(lines.map((l) => l.join(',')).join('\n'));
        try {
          const d = panelFromCsv(f, REQ);
          // Success means no row was bad: every data line is either kept or skipped for a missing outcome.
          const missing = Number(/^(\d+) rows? ha/.exec(d.notes.find((n) => n.includes('no outcome')) ?? '0 rows ha')![1]);
          expect(d.outcome.length + missing).toBe(base.length - 1);
        } catch (e) {
          if (!(e instanceof CloutError)) throw e;
        }
      }),
      { numRuns: 150, seed: 21 },
    );
  });
});

describe('comparePanelCsv', () => {
  it('gives what comparePanel gives on the same panel built by hand', () => {
    const f = write(handCsv());
    const viaCsv = comparePanelCsv(f, REQ, { comparison: 'never-treated' });
    const direct = comparePanel(
      {
        unit: Int32Array.from(HAND.flatMap((r, i) => r.map(() => i))),
        period: Int32Array.from(HAND.flatMap((r) => r.map((_, t) => t))),
        outcome: Float64Array.from(HAND.flat()),
        treatedAt: Int32Array.from([2, 2, 3, -1, -1]),
      },
      { comparison: 'never-treated' },
    );
    expect(viaCsv.att).toEqual(direct.att);
    expect(viaCsv.twfe).toEqual(direct.twfe);
    expect(viaCsv.event_study).toEqual(direct.event_study);
  });
});
