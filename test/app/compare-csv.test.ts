/** A CSV of units into the comparison's input: every row used or left out with its line and reason; flags checked. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareDataFromTable } from '../../src/app/compare.js';
import { readTextTable } from '../../src/ingest/text-table.js';

const dir = mkdtempSync(join(tmpdir(), 'clout-compare-csv-'));
function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const REQ = { treatment: 'shout', outcome: 'sales', covariates: ['followers', 'country'], categorical: ['country'], log: ['followers'], id: 'account' };

describe('compareDataFromTable', () => {
  it('keeps every readable row and lists each row it leaves out with its line and reason', () => {
    const path = csv('units.csv', [
      'account,shout,sales,followers,country,note',
      'a,1,12,1500,DE,"two',
      'lines"',
      'b,0,3,200,US,x',
      'c,yes,4.5,,US,x',
      'd,maybe,1,10,US,x',
      'e,false,NA,10,FR,x',
      'f,no,2,-3,FR,x',
      'g,TRUE,7,40,many,x',
      'h,0,1,ten,US,x',
    ].join('\n') + '\n');
    const { data, input } = compareDataFromTable(readTextTable(path), REQ);
    expect(input.rows).toBe(8);
    expect(input.used).toBe(3);
    expect(data.ids).toEqual(['a', 'b', 'g']);
    expect([...data.treatment]).toEqual([1, 0, 1]);
    expect([...data.outcome]).toEqual([12, 3, 7]);
    expect([...(data.covariates[0]!.values as Float64Array)]).toEqual([1500, 200, 40]);
    expect(data.covariates[0]!.log).toBe(true);
    expect(data.covariates[1]).toMatchObject({ name: 'country', categorical: true, values: ['DE', 'US', 'many'] });
    expect(input.rejected).toEqual([
      { line: 5, reason: "covariate 'followers' is missing" },
      { line: 6, reason: "treatment 'shout' is 'maybe', not 1/0, true/false or yes/no" },
      { line: 7, reason: "outcome 'sales' is missing" },
      { line: 8, reason: "covariate 'followers' is -3; log(1 + x) needs x ≥ 0" },
      { line: 10, reason: "covariate 'followers' is 'ten', not a number (is it --categorical?)" },
    ]);
    expect(input.used + input.rejected.length).toBe(input.rows);
  });

  it('names the missing column and lists the columns the file has', () => {
    const path = csv('few.csv', 'shout,sales,followers\n1,2,3\n0,1,2\n');
    const table = readTextTable(path);
    expect(() => compareDataFromTable(table, { ...REQ, categorical: [], covariates: ['followers', 'age'], log: [] })).toThrow(/--covariates: no column 'age' in few.csv; its columns: shout, sales, followers/);
    expect(() => compareDataFromTable(table, { ...REQ, categorical: [], covariates: ['followers'], log: ['posts'] })).toThrow(/'posts' is given as --log but is not among --covariates/);
    expect(() => compareDataFromTable(table, { ...REQ, categorical: [], covariates: ['followers', 'sales'], log: [] })).toThrow(/cannot also be covariates/);
  });

  it('refuses a header that names a column twice', () => {
    const path = csv('twice.csv', 'shout,sales,shout\n1,2,3\n');
    expect(() => readTextTable(path)).toThrow(/names column 'shout' twice/);
  });
});
