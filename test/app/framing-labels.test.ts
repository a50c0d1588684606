/**
 * User labels win (format v1.1 `framing` on posts): a small store where six authors each post two "Title — link"
 * posts (30 human clicks each) and two "I read this and loved it" posts (10 each), one sale on each post's first
 * click. Without labels the classifier reads the text: endorsement's click multiplier is 9/29 of a pitch's. Labels
 * that call the title posts endorsements turn it into 29/9; flipping the labels back gives 9/29 again — the report's
 * framing effects follow the labels exactly, and the report and `clout framing` say who labelled how many posts.
 * Also `clout framing classify --db`: the user's label wins, and a campaign the author owns makes a post a pitch.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FramingClassifyDoc } from '../../src/app/framing-classify.js';
import type { FramingDoc } from '../../src/app/framing.js';
import type { FullReport } from '../../src/report/full-report.js';
import { loadInfluenceInput } from '../../src/app/influence-input.js';
import { closeStore, openStore } from '../../src/store/index.js';
import { clout } from '../support/cli.js';
import { readRejects, tempDir } from '../support/import.js';

const AUTHORS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
const TITLE_CLICKS = 30, READ_CLICKS = 10;

/** The fixture's files; `label(post)` gives each post's framing column ('' = none). */
function writeFixture(dir: string, label: (kind: 'title' | 'read') => string): void {
  mkdirSync(dir, { recursive: true });
  const posts = ['id,author_id,created_at,text,link_id,campaign_id,framing'];
  const links = ['id,url,key,post_id,author_id,campaign_id'];
  const clicks = ['id,link_id,at,visitor_id,is_bot'];
  const conversions = ['id,at,type,value,currency,click_id'];
  let day = 1;
  for (const a of AUTHORS) {
    for (const [kind, n] of [['title', TITLE_CLICKS], ['read', READ_CLICKS], ['title', TITLE_CLICKS], ['read', READ_CLICKS]] as const) {
      const p = `p${posts.length}`;
      const at = `2026-03-${String(day++).padStart(2, '0')}`;
      const text = kind === 'title' ? `The Quiet Garden — https://clt.to/${p}` : `I read this and loved it https://clt.to/${p}`;
      posts.push(`${p},${a},${at}T09:00:00Z,${text},l_${p},,${label(kind)}`);
      links.push(`l_${p},https://books.example.com/garden?ref=${p},${p},${p},${a},`);
      for (let c = 0; c < n; c++) clicks.push(`k_${p}_${c},l_${p},${at}T10:${String(c).padStart(2, '0')}:00Z,v_${p}_${c},false`);
      conversions.push(`o_${p},${at}T11:00:00Z,sale,12,USD,k_${p}_0`);
      if (day > 28) day = 1;
    }
  }
  // a campaign a1 owns, and a1's post in it whose words alone say little
  writeFileSync(join(dir, 'campaigns.csv'), 'id,name,owner_id\ncmp_a1,Shelter fundraiser,a1\n');
  posts.push('p_cmp,a1,2026-03-20T09:00:00Z,Check it out 👉 https://clt.to/cmp,l_cmp,cmp_a1,');
  links.push('l_cmp,https://give.example.org/shelter,cmp,p_cmp,a1,cmp_a1');
  writeFileSync(join(dir, 'accounts.csv'), 'id,handle,followers\n' + AUTHORS.map((a, i) => `${a},@${a}_h,${1000 * (i + 1)}`).join('\n') + '\n');
  writeFileSync(join(dir, 'posts.csv'), posts.join('\n') + '\n');
  writeFileSync(join(dir, 'links.csv'), links.join('\n') + '\n');
  writeFileSync(join(dir, 'clicks.csv'), clicks.join('\n') + '\n');
  writeFileSync(join(dir, 'conversions.csv'), conversions.join('\n') + '\n');
}

/** A store of the fixture with these labels. */
async function storeWith(label: (kind: 'title' | 'read') => string): Promise<string> {
  const dir = tempDir('clout-framing-labels-');
  writeFixture(join(dir, 'data'), label);
  const db = join(dir, 'store.duckdb');
  const r = await clout(['import', join(dir, 'data'), '--db', db, '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return db;
}

async function reportOf(db: string): Promise<FullReport> {
  const r = await clout(['report', '--db', db, '--type', 'sale', '--no-model', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as FullReport;
}

/** The report's click multiplier of endorsement relative to pitch. */
function endorsementOnClicks(report: FullReport): number {
  const row = report.framing_effects.find((e) => e.outcome === 'clicks' && e.framing === 'endorsement');
  expect(row, JSON.stringify(report.framing_effects)).toBeDefined();
  return row!.effect;
}

const ORGANIC_RATIO = (READ_CLICKS - 1) / (TITLE_CLICKS - 1); // the first click of each post carries its sale

describe('user labels win over the classifier', () => {
  it('reads the text when no post is labelled, follows the labels when given, and follows them again when flipped', async () => {
    const byText = await reportOf(await storeWith(() => ''));
    expect(endorsementOnClicks(byText)).toBeCloseTo(ORGANIC_RATIO, 3);
    expect(byText.framing_labels).toEqual({ user: 0, clout: 24 });

    const labelled = await reportOf(await storeWith((kind) => (kind === 'title' ? 'endorsement' : 'pitch')));
    expect(endorsementOnClicks(labelled)).toBeCloseTo(1 / ORGANIC_RATIO, 3);
    expect(labelled.framing_labels).toEqual({ user: 24, clout: 0 });

    const flipped = await reportOf(await storeWith((kind) => (kind === 'title' ? 'pitch' : 'endorsement')));
    expect(endorsementOnClicks(flipped)).toBeCloseTo(ORGANIC_RATIO, 3);
    expect(flipped.framing_labels).toEqual({ user: 24, clout: 0 });
  }, 60_000);

  it('counts a partial labelling: the labelled posts by the user, the rest by clout (clout framing, terminal and JSON)', async () => {
    const db = await storeWith((kind) => (kind === 'title' ? 'endorsement' : ''));
    const json = await clout(['framing', '--db', db, '--type', 'sale', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as FramingDoc;
    expect(doc.labels).toEqual({ user: 12, clout: 12 });
    // every post is now an endorsement (12 by label, 12 by text): nothing to compare against a pitch
    expect(doc.effects.filter((e) => e.framing === 'pitch').every((e) => e.posts === 0)).toBe(true);
    const text = await clout(['framing', '--db', db, '--type', 'sale']);
    expect(text.stdout).toMatch(/framing: 12 posts labelled by the user, 12 by clout/);
  }, 60_000);

  it("classifies the store's link posts: the user's label wins; a campaign the author owns makes a post a pitch", async () => {
    const db = await storeWith((kind) => (kind === 'read' ? 'other' : ''));
    const r = await clout(['framing', 'classify', '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as FramingClassifyDoc;
    expect(doc.rows).toBe(25);
    expect(doc.labels).toEqual({ user: 12, clout: 13 });
    expect(doc.counts).toEqual({ pitch: 13, endorsement: 0, bare_link: 0, other: 12, no_text: 0 });
    const byId = new Map(doc.items.map((i) => [i.id, i]));
    expect(byId.get('p_cmp')).toEqual({ id: 'p_cmp', framing: 'pitch', reason: 'the author benefits (own link (store))' });
    expect(byId.get('p2')).toEqual({ id: 'p2', framing: 'other', reason: 'labelled by the user' });
    expect(byId.get('p1')).toMatchObject({ framing: 'pitch', reason: 'a title and a link' });
  }, 60_000);

  it("gives the outcome model the user's labels, with the reason", async () => {
    const store = await openStore(await storeWith((kind) => (kind === 'title' ? 'endorsement' : '')));
    try {
      const input = await loadInfluenceInput(store.conn, { types: ['sale'], candidates: 'outside_campaigns' });
      expect(input.posts.length).toBe(24);
      for (const p of input.posts) {
        if (p.text!.startsWith('The Quiet Garden')) expect([p.framing, p.framing_reason]).toEqual(['endorsement', 'labelled by the user']);
        else expect([p.framing, p.framing_reason]).toEqual(['endorsement', 'vouches from experience (I did)']);
      }
    } finally {
      await closeStore(store);
    }
  }, 60_000);

  it('rejects a framing that is not one of the four, naming the field', async () => {
    const dir = tempDir('clout-framing-bad-');
    writeFileSync(join(dir, 'posts.csv'), 'id,author_id,created_at,text,framing\np1,a1,2026-03-01,hello,advert\np2,a1,2026-03-01,hi,Pitch\n');
    const db = join(dir, 'store.duckdb');
    const r = await clout(['import', join(dir, 'posts.csv'), '--db', db, '--json', '--rejects', join(dir, 'rejects.ndjson')]);
    expect(r.code).toBe(3);
    const summary = JSON.parse(r.stdout) as { files: { imported: number; rejected: number }[] };
    expect(summary.files[0]).toMatchObject({ imported: 1, rejected: 1 });
    expect(readRejects(join(dir, 'rejects.ndjson'))).toEqual([expect.objectContaining({ line: 2, field: 'framing' })]);
  }, 60_000);
});
