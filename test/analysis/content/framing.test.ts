/**
 * The framing classifier on the labelled corpus (test/fixtures/framing/corpus.ndjson, its guide LABELLING.md): posts
 * written in the shapes real platforms show, each with a label and, where the owner matters, the store's context.
 * Per-class accuracy (recall) ≥ 85% on the whole corpus; the held-out part (written after the rules were frozen) is
 * printed beside it, with the confusion matrix (docs/methods.md reports both). The synthetic world's texts agree
 * 100% with their planted framing; the store's context and the language decide what the text alone cannot.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyFraming, FRAMINGS, type Framing } from '../../../src/analysis/content/framing.js';
import { urlNamesAccount } from '../../../src/analysis/content/framing-owner.js';
import { Rng } from '../../../src/domain/index.js';
import { appealText, campaignText, chatterText, endorsementText, pitchText } from '../../../src/synth/text.js';

interface CorpusPost {
  id: string;
  split: 'dev' | 'holdout';
  label: Framing;
  text: string;
  own_link?: boolean;
  kind?: string;
  lang?: string;
}

const CORPUS: CorpusPost[] = readFileSync(new URL('../../fixtures/framing/corpus.ndjson', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as CorpusPost);

type Matrix = Record<Framing, Record<Framing, number>>;

/** The confusion matrix (rows: the label, columns: the classifier's framing) of some posts. */
function confusion(posts: readonly CorpusPost[], withContext = true): Matrix {
  const m = Object.fromEntries(FRAMINGS.map((a) => [a, Object.fromEntries(FRAMINGS.map((b) => [b, 0]))])) as Matrix;
  for (const p of posts) {
    const r = classifyFraming(p.text, withContext ? { ownLink: p.own_link, kind: p.kind, lang: p.lang } : { kind: p.kind, lang: p.lang });
    m[p.label][r.framing]++;
  }
  return m;
}

function recall(m: Matrix, f: Framing): number {
  const total = FRAMINGS.reduce((s, g) => s + m[f][g], 0);
  return total === 0 ? NaN : m[f][f] / total;
}

function show(name: string, m: Matrix): string {
  const rows = FRAMINGS.map((f) => `${f.padEnd(12)}${FRAMINGS.map((g) => String(m[f][g]).padStart(12)).join('')}   recall ${(recall(m, f) * 100).toFixed(1)}%`);
  return `${name}\n${''.padEnd(12)}${FRAMINGS.map((g) => g.padStart(12)).join('')}\n${rows.join('\n')}`;
}

describe('the labelled framing corpus', () => {
  it('holds ≥ 400 posts, ≥ 60 per class, ≥ 100 held out, with unique ids and known labels', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(400);
    for (const f of FRAMINGS) expect(CORPUS.filter((p) => p.label === f).length, f).toBeGreaterThanOrEqual(60);
    expect(CORPUS.filter((p) => p.split === 'holdout').length).toBeGreaterThanOrEqual(100);
    expect(new Set(CORPUS.map((p) => p.id)).size).toBe(CORPUS.length);
    for (const p of CORPUS) expect(FRAMINGS, p.id).toContain(p.label);
    // a few Spanish, German and French posts
    for (const lang of ['es', 'de', 'fr']) expect(CORPUS.filter((p) => p.lang === lang).length, lang).toBeGreaterThanOrEqual(2);
  });

  it('classifies each class with ≥ 85% accuracy (recall) on the whole corpus', () => {
    const all = confusion(CORPUS);
    const held = confusion(CORPUS.filter((p) => p.split === 'holdout'));
    console.log(`${show(`all ${CORPUS.length} posts`, all)}\n${show('held out', held)}\n${show('all, text only (no store context)', confusion(CORPUS, false))}`);
    for (const f of FRAMINGS) expect(recall(all, f), f).toBeGreaterThanOrEqual(0.85);
  });

  it('explains every classification: a rule, and the cues behind it where a cue decided', () => {
    for (const p of CORPUS) {
      const r = classifyFraming(p.text, { ownLink: p.own_link, kind: p.kind, lang: p.lang });
      expect(r.reason.length, p.id).toBeGreaterThan(0);
      // a rule that a cue decided names its cues in parentheses
      if (/^(repeats @\w+: )?(the author benefits|vouches from experience|seller's copy|recommends|gives a reason)/.test(r.reason)) expect(r.reason, p.id).toMatch(/ \(.+\)$/);
    }
  });
});

describe('framing: who vouches and who benefits', () => {
  it("reads the platform's self-promotion template as a pitch, whatever its first person and '!'", () => {
    const r = classifyFraming('My GitHub Sponsors profile is live! You can sponsor me to support my open source work 💖 https://t.co/abc');
    expect(r.framing).toBe('pitch');
    expect(r.reason).toMatch(/^the author benefits \(.*support me/);
  });

  it('reads a third-party recommendation with a reason as an endorsement', () => {
    const r = classifyFraming("I'm sponsoring @ana_dev because her library saved me weeks of bugs https://t.co/abc");
    expect(r.framing).toBe('endorsement');
    expect(r.features.reasons).toContain('because');
    expect(r.features.third_party).toBeGreaterThan(0);
  });

  it("lets the store's context decide what the text cannot: the same words are a pitch on the author's own link", () => {
    const text = "It's here. Two years of work. https://t.co/abc";
    expect(classifyFraming(text).framing).toBe('other');
    expect(classifyFraming(text, { ownLink: true })).toMatchObject({ framing: 'pitch', reason: 'the author benefits (own link (store))' });
    expect(classifyFraming('Worth a look https://github.com/sponsors/ana-dev', { handle: '@ana_dev' }).framing).toBe('pitch');
    expect(classifyFraming('Worth a look https://github.com/sponsors/ana-dev', { handle: '@bob' }).framing).toBe('endorsement');
  });

  it('names a page by its handle: a path segment or subdomain, separators and case aside', () => {
    expect(urlNamesAccount('https://github.com/sponsors/Ana-Dev', 'ana_dev')).toBe(true);
    expect(urlNamesAccount('https://anadev.substack.com/p/x', '@anadev')).toBe(true);
    expect(urlNamesAccount('https://mastodon.social/@kofi/123', 'kofi@mastodon.social')).toBe(true);
    expect(urlNamesAccount('https://github.com/sponsors/hugo', 'ana_dev')).toBe(false);
    expect(urlNamesAccount('not a url', 'ana_dev')).toBe(false);
    expect(urlNamesAccount('https://x.com/ab', 'ab')).toBe(false); // too short to name anyone
  });

  it('classifies a retweet of a pitch as a pitch and says whose words it repeats', () => {
    const r = classifyFraming('RT @maya: My new book is out today! Get your copy https://t.co/abc');
    expect(r.framing).toBe('pitch');
    expect(r.reason).toMatch(/^repeats @maya: /);
  });

  it('reads a reply by its own words, not the handles it answers', () => {
    expect(classifyFraming('@ben @amy https://t.co/abc').framing).toBe('bare_link');
    expect(classifyFraming('@ben I use this every day, it never lost a note https://t.co/abc').framing).toBe('endorsement');
  });

  it('classifies clear Spanish, German and French posts; the rest is other, "language not supported"', () => {
    expect(classifyFraming('Mi nuevo libro ya está disponible https://t.co/abc', { lang: 'es' }).framing).toBe('pitch');
    expect(classifyFraming('Ich kann dieses Buch nur empfehlen https://t.co/abc').framing).toBe('endorsement');
    const fr = classifyFraming('On se voit demain au café ?');
    expect(fr).toMatchObject({ framing: 'other' });
    expect(fr.reason).toMatch(/language not supported \(fr\)/);
    expect(classifyFraming('Ini buku baru saya https://t.co/abc', { lang: 'id' }).reason).toBe('language not supported (id)');
    expect(classifyFraming('https://t.co/abc', { lang: 'ja' }).framing).toBe('bare_link'); // a bare link needs no language
  });
});

describe("framing of the synthetic world's texts", () => {
  it('agrees 100% with the planted framing of every template (pitch, endorsement, bare link; chatter is other)', () => {
    const rng = new Rng(5);
    const url = 'https://clt.to/k93jd';
    for (let i = 0; i < 400; i++) {
      expect(classifyFraming(pitchText(rng, 'The Art of Connection', url)).framing).toBe('pitch');
      const e = endorsementText(rng, 'The Art of Connection', url);
      expect(classifyFraming(e).framing, e).toBe('endorsement');
      expect(classifyFraming(chatterText(rng)).framing).toBe('other');
    }
    expect(classifyFraming(url).framing).toBe('bare_link');
  });

  it("reads the campaign owner's appeals as pitches on their own campaign, and the tribe's gifts as endorsements", () => {
    const url = 'https://clt.to/k93jd';
    for (let k = 0; k < 3; k++) expect(classifyFraming(appealText(k, url), { ownLink: true }).framing).toBe('pitch');
    const rng = new Rng(9);
    for (let i = 0; i < 40; i++) expect(classifyFraming(campaignText(rng, url)).framing).toBe('endorsement');
  });
});
