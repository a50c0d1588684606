/**
 * Words of the world: account names and handles, post texts per framing (some with commas, quotes and line
 * breaks, as real posts have), click attributes (referrer, country, device) and random hex ids.
 */
import { AliasTable, type Rng } from '../domain/index.js';

const FIRST = [
  'Ana', 'Ben', 'Chloe', 'Dev', 'Emma', 'Femi', 'Grace', 'Hiro', 'Ines', 'Jon', 'Kara', 'Liam', 'Maya', 'Noor',
  'Omar', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tariq', 'Uma', 'Vera', 'Wes', 'Xin', 'Yara', 'Zoe', 'Ada', 'Bruno',
  'Cleo', 'Dario', 'Elif', 'Finn', 'Gia', 'Hugo', 'Ivy', 'Jade', 'Kofi', 'Lena', 'Mateo', 'Nia',
];
const LAST = [
  'Adams', 'Baker', 'Costa', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jansen', 'Kim', 'Lopez',
  'Moreau', 'Nakamura', 'Okafor', 'Patel', 'Quist', 'Rossi', 'Silva', 'Tanaka', 'Usman', 'Varga', 'Weber', 'Xu',
  'Yilmaz', 'Zhang', "O'Neil", 'Novak', 'Reyes', 'Singh',
];

/** A display name for account `i` (deterministic in i). */
export function accountName(i: number): string {
  return FIRST[i % FIRST.length] + ' ' + LAST[Math.floor(i / FIRST.length) % LAST.length];
}

/** A unique handle for account `i` (deterministic in i). */
export function accountHandle(i: number): string {
  const first = FIRST[i % FIRST.length]!.toLowerCase();
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!.toLowerCase().replace(/[^a-z]/g, '');
  return '@' + first + '_' + last.slice(0, 3) + i;
}

const PITCH = ['{title} — {url}', '{title} — {url}', '{title}, out now — {url}'];
const ENDORSEMENT = [
  'WOW! This book amazes me on how we can connect with people — {url}',
  'Halfway through {title} and I keep underlining things. Real, practical, kind. {url}',
  "I don't usually recommend books, but \"{title}\" changed how I talk to my team. {url}",
  'Read this on a long flight,\nlanded a better listener. {url}',
  'My book club picked {title} — we talked for three hours. Grab it: {url}',
  "Gave a copy to my sister, then bought one for my dad. That's my review. {url}",
  'Finished {title} last night. I called two old friends this morning. That is what it does. {url}',
];
const CHATTER = [
  'Coffee first, then emails.',
  'Anyone else watching the game tonight?',
  'Thread on what I learned this week:\n1) sleep more\n2) call your friends',
  'Monday, again.',
  'Hot take: "no meetings Friday" should be law.',
  'The light this morning, wow.',
  'Back from a run, 10k, slow and happy.',
  'Who has a good podcast for a long drive?',
];
const APPEAL = [
  "It's my birthday wish: help me raise $38,000 so 1,900 people get clean water. Every dollar counts — {url}",
  "We're halfway there! Thank you, all of you. Keep sharing — {url}",
  "Last day for my birthday wish. Let's get there together — {url}",
];
const CAMPAIGN = [
  'Doing this for her birthday wish. I gave, you should too: {url}',
  'Clean water for 1,900 people. I gave; will you? {url}',
  "She's never asked us for anything. Chipped in for her birthday — {url}",
  'Birthday wish, "clean water for everyone". Count me in: {url}',
];

function fill(template: string, title: string, url: string): string {
  return template.replace('{title}', title).replace('{url}', url);
}

/** Text of a pitch post: "<Title> — <link>". */
export function pitchText(rng: Rng, title: string, url: string): string {
  return fill(PITCH[rng.int(PITCH.length)]!, title, url);
}

/** Text of a personal endorsement with the link. */
export function endorsementText(rng: Rng, title: string, url: string): string {
  return fill(ENDORSEMENT[rng.int(ENDORSEMENT.length)]!, title, url);
}

/** Text of a chatter post (no link). */
export function chatterText(rng: Rng): string {
  return CHATTER[rng.int(CHATTER.length)]!;
}

/** Text of the k-th campaign appeal of the owner. */
export function appealText(k: number, url: string): string {
  return fill(APPEAL[Math.min(k, APPEAL.length - 1)]!, '', url);
}

/** Text of a tribe member's campaign post. */
export function campaignText(rng: Rng, url: string): string {
  return fill(CAMPAIGN[rng.int(CAMPAIGN.length)]!, '', url);
}

const REFERRERS = ['t.co', '', 'x.com', 'bsky.app', 'l.facebook.com', 'www.google.com', 'l.instagram.com'];
const REFERRER_W = [60, 20, 6, 5, 4, 3, 2];
const COUNTRIES = ['US', 'GB', 'IN', 'CA', 'DE', 'BR', 'FR', 'AU', 'NG', 'MX', 'PH', 'ES', 'NL', 'JP', 'ZA'];
const COUNTRY_W = [38, 10, 8, 6, 6, 6, 5, 4, 3, 3, 3, 3, 2, 2, 1];
const DEVICES = ['mobile', 'desktop', 'tablet'];
const DEVICE_W = [68, 27, 5];
const BOTS = ['twitterbot', 'facebookexternalhit', 'slackbot', 'discordbot', 'bsky-preview'];

/** Samplers of click attributes, built once per world. */
export class ClickAttributes {
  private readonly ref = new AliasTable(REFERRER_W);
  private readonly country = new AliasTable(COUNTRY_W);
  private readonly device = new AliasTable(DEVICE_W);

  constructor(private readonly rng: Rng) {}

  /** A referrer host ('' = none sent). */
  referrer(): string {
    return REFERRERS[this.ref.sample(this.rng)]!;
  }
  /** An ISO 3166 country code. */
  countryCode(): string {
    return COUNTRIES[this.country.sample(this.rng)]!;
  }
  /** mobile, desktop or tablet. */
  deviceName(): string {
    return DEVICES[this.device.sample(this.rng)]!;
  }
  /** The visitor id of a link-preview bot. */
  bot(): string {
    return 'bot-' + BOTS[this.rng.int(BOTS.length)]!;
  }
}

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A random lower-case hex string of 8·words characters (a keyed-hash-like visitor or customer id). */
export function hex(rng: Rng, words = 2): string {
  let s = '';
  for (let i = 0; i < words; i++) {
    const x = rng.nextUint32();
    s += HEX2[x >>> 24]! + HEX2[(x >>> 16) & 255]! + HEX2[(x >>> 8) & 255]! + HEX2[x & 255]!;
  }
  return s;
}
