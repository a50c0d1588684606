/**
 * Accounts of the world as typed arrays: reported followers (log-normal, heavy-tailed), a planted tribe, the author
 * flag and — drawn independently of followers — the planted persuasion θ (true incremental book sales per book
 * post at framing multiplier 1). Account 0 is the celebrity; accounts 1..L lead the loyal tribes.
 */
import type { Rng } from '../domain/index.js';
import type { WorldParams } from './params.js';

export const ROLE = { regular: 0, celebrity: 1, loyal: 2 } as const;
export const TRIBE_KIND = { celebrity: 0, loyal: 1, general: 2 } as const;

/** Per-account attributes, indexed by dense account index (id = `a<index>`). */
export interface Accounts {
  n: number;
  followers: Int32Array;
  tribe: Int32Array;
  persuasion: Float64Array;
  isAuthor: Uint8Array;
  role: Uint8Array;
  /** Tribes: kind (celebrity / loyal / general), leader account (−1 when none), members in CSR form. */
  tribeCount: number;
  tribeKind: Uint8Array;
  tribeLeader: Int32Array;
  tribeOffsets: Int32Array;
  tribeMembers: Int32Array;
  /** Account indices of the authors, ascending. */
  authors: Int32Array;
}

/** The id of account `i` in every file. */
export function accountId(i: number): string {
  return 'a' + i;
}

/** Draws the accounts of a world from its parameters. */
export function makeAccounts(p: WorldParams, rng: Rng): Accounts {
  const n = p.accounts.count;
  const L = p.loyal.count;
  const tribeCount = 1 + L + p.tribes.general;

  // Tribe sizes: the celebrity's and the loyal ones are fixed shares; general tribes share the rest ∝ Gamma draws.
  const sizes = new Int32Array(tribeCount);
  sizes[0] = Math.max(10, Math.round(p.celebrity.tribeShare * n));
  for (let t = 1; t <= L; t++) sizes[t] = Math.max(15, Math.round(p.loyal.tribeShare * n));
  let special = 0;
  for (let t = 0; t <= L; t++) special += sizes[t]!;
  const rest = n - special;
  const g = new Float64Array(p.tribes.general);
  let gs = 0;
  for (let t = 0; t < g.length; t++) gs += g[t] = rng.gamma(p.tribes.sizeShape);
  let assigned = 0;
  for (let t = 0; t < g.length; t++) {
    const s = t === g.length - 1 ? rest - assigned : Math.floor((rest * g[t]!) / gs);
    sizes[1 + L + t] = s;
    assigned += s;
  }

  // Leaders sit in their own tribes; everyone else gets a shuffled tribe label.
  const tribe = new Int32Array(n);
  const labels = new Int32Array(n - 1 - L);
  let k = 0;
  for (let t = 0; t < tribeCount; t++) {
    const fill = sizes[t]! - (t <= L ? 1 : 0);
    for (let j = 0; j < fill; j++) labels[k++] = t;
  }
  shuffleInt(labels, rng);
  tribe[0] = 0;
  for (let t = 1; t <= L; t++) tribe[t] = t;
  for (let i = 0; i < labels.length; i++) tribe[1 + L + i] = labels[i]!;

  const tribeKind = new Uint8Array(tribeCount);
  const tribeLeader = new Int32Array(tribeCount).fill(-1);
  tribeKind[0] = TRIBE_KIND.celebrity;
  tribeLeader[0] = 0;
  for (let t = 1; t <= L; t++) {
    tribeKind[t] = TRIBE_KIND.loyal;
    tribeLeader[t] = t;
  }
  for (let t = L + 1; t < tribeCount; t++) tribeKind[t] = TRIBE_KIND.general;
  const tribeOffsets = new Int32Array(tribeCount + 1);
  for (let i = 0; i < n; i++) tribeOffsets[tribe[i]! + 1]!++;
  for (let t = 0; t < tribeCount; t++) tribeOffsets[t + 1]! += tribeOffsets[t]!;
  const tribeMembers = new Int32Array(n);
  const cursor = tribeOffsets.slice(0, tribeCount);
  for (let i = 0; i < n; i++) tribeMembers[cursor[tribe[i]!]!++] = i;

  // Reported followers: independent of tribe and of persuasion.
  const followers = new Int32Array(n);
  const role = new Uint8Array(n);
  followers[0] = p.celebrity.followers;
  role[0] = ROLE.celebrity;
  const lmin = Math.log(p.loyal.followersMin), lmax = Math.log(p.loyal.followersMax);
  for (let i = 1; i <= L; i++) {
    followers[i] = Math.round(Math.exp(lmin + (lmax - lmin) * rng.uniform()));
    role[i] = ROLE.loyal;
  }
  const mu = Math.log(p.accounts.followersMedian);
  for (let i = L + 1; i < n; i++) {
    followers[i] = Math.min(p.accounts.followersCap, Math.round(rng.logNormal(mu, p.accounts.followersSigma)));
  }

  // Authors: the celebrity, the loyal leaders, and a uniform sample of the rest (so independent of followers).
  const isAuthor = new Uint8Array(n);
  for (let i = 0; i <= L; i++) isAuthor[i] = 1;
  const pool = new Int32Array(n - 1 - L);
  for (let i = 0; i < pool.length; i++) pool[i] = 1 + L + i;
  const extra = p.authors.count - 1 - L;
  for (let j = 0; j < extra; j++) {
    const r = j + rng.int(pool.length - j);
    const t = pool[j]!;
    pool[j] = pool[r]!;
    pool[r] = t;
    isAuthor[pool[j]!] = 1;
  }
  const authors = new Int32Array(p.authors.count);
  k = 0;
  for (let i = 0; i < n; i++) if (isAuthor[i]) authors[k++] = i;

  // Persuasion θ of the authors: spike-and-slab, special roles planted; accounts that never post about the book
  // cause no book sales (θ = 0).
  const persuasion = new Float64Array(n);
  persuasion[0] = p.celebrity.persuasion;
  for (let i = 1; i <= L; i++) persuasion[i] = rng.gamma(p.loyal.persuasionShape, p.loyal.persuasionShape / p.loyal.persuasionMean);
  const a = p.authors;
  for (let j = 1 + L; j < authors.length; j++) {
    persuasion[authors[j]!] = rng.uniform() < a.spikeShare ? 0 : rng.gamma(a.slabShape, a.slabShape / a.slabMean);
  }

  return { n, followers, tribe, persuasion, isAuthor, role, tribeCount, tribeKind, tribeLeader, tribeOffsets, tribeMembers, authors };
}

/** Shuffles an Int32Array in place (Fisher–Yates). */
export function shuffleInt(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
