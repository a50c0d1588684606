/**
 * Tribes: Leiden communities of the interaction graph (undirected, weighted by interaction type), each described by
 * its size, its core members, its engagement density and — when outcomes exist — the conversions and value credited
 * to its members' posts. "The tribe of an account" is the community holding most of its repeat engagers (accounts
 * that interacted with it at least twice), because a tribe is the people who come back, not one passing like.
 */
import { fromMinorUnits } from '../../domain/index.js';
import type { Graph } from './graph.js';
import { LEIDEN_DEFAULTS, leidenOnWGraph, leidenSchema, type LeidenOptions } from './leiden.js';
import { toWGraph } from './modularity.js';
import { z } from 'zod';
import { resolveOptions } from '../stats/options.js';

/** Options of findTribes: Leiden's, plus the smallest community listed. */
export interface TribeOptions extends LeidenOptions {
  /** Communities smaller than this are left out of the list (default 2: no lone accounts). */
  minSize?: number;
}

/** Outcomes credited to one account's posts (conversions of every type; value per currency in minor units). */
export interface AccountOutcome {
  conversions: number;
  value_minor: Record<string, number>;
}

/** Optional per-account data that enrich the communities. */
export interface TribeInputs {
  /** Posts per account (for the conversion rate). */
  posts?: ReadonlyMap<string, number>;
  /** Conversions credited per account (last-touch credit of the store). */
  outcomes?: ReadonlyMap<string, AccountOutcome>;
  /** Engager → account pairs with ≥ 2 interactions. */
  repeatEngagers?: readonly { engager: string; account: string }[];
}

/** One community (JSON shape of `clout network tribes`). */
export interface Tribe {
  id: number;
  size: number;
  members: string[];
  /** Fewest members, by internal strength, that carry half of the tribe's internal engagement weight. */
  core_members: string[];
  /** Sum of edge weights inside the tribe. */
  internal_weight: number;
  /** Distinct member pairs that interact / all member pairs. */
  internal_density: number;
  posts?: number;
  conversions?: number;
  /** Conversions credited to members' posts per member post (null without posts). */
  conversion_rate?: number | null;
  /** Value credited to members' posts, per currency, in major units. */
  value?: Record<string, number>;
}

/** The tribe of one account. */
export interface AccountTribe {
  id: string;
  /** Community holding most of its repeat engagers (ties: the lower id); null when it has none. */
  tribe: number | null;
  /** The community the account itself belongs to. */
  community: number;
  repeat_engagers: number;
  repeat_engagers_in_tribe: number;
}

/** What findTribes returns. */
export interface TribesResult {
  modularity: number;
  count: number;
  iterations: number;
  /** Community of each node index of the graph. */
  membership: Int32Array;
  communities: Tribe[];
  /** Tribe of every account with at least one repeat engager. */
  accounts: AccountTribe[];
}

/** The defaults of findTribes: leiden's, and the smallest community listed. */
export const TRIBES_DEFAULTS = { ...LEIDEN_DEFAULTS, minSize: 2 } as const;

const tribesSchema = leidenSchema.extend({ minSize: z.number().int().min(1).default(TRIBES_DEFAULTS.minSize) }).strict();

/** Leiden tribes of the interaction graph with their descriptions (see the module comment). */
export function findTribes(g: Graph, options: TribeOptions = {}, inputs: TribeInputs = {}): TribesResult {
  const { minSize, ...leidenOptions } = resolveOptions('tribes', tribesSchema, options);
  const w = toWGraph(g);
  const r = leidenOnWGraph(w, leidenOptions);
  const memb = r.membership;
  // Members of each community, internal strength of each node, internal weight and edges of each community.
  const strength = new Float64Array(g.n);
  const innerW = new Float64Array(r.count);
  const innerE = new Float64Array(r.count);
  const size = new Int32Array(r.count);
  for (let v = 0; v < w.n; v++) {
    const c = memb[v]!;
    size[c]!++;
    for (let e = w.off[v]!; e < w.off[v + 1]!; e++) {
      if (memb[w.adj[e]!] !== c) continue;
      strength[v]! += w.w[e]!;
      innerW[c]! += w.w[e]! / 2;
      innerE[c]! += 0.5;
    }
  }
  const members: number[][] = Array.from({ length: r.count }, () => []);
  for (let v = 0; v < g.n; v++) members[memb[v]!]!.push(v);
  const communities: Tribe[] = [];
  for (let c = 0; c < r.count; c++) {
    if (size[c]! < minSize) continue;
    const list = members[c]!;
    const byStrength = [...list].sort((a, b) => strength[b]! - strength[a]! || a - b);
    const core: string[] = [];
    let acc = 0;
    for (const v of byStrength) {
      if (acc >= innerW[c]! || strength[v] === 0) break; // Σ strength = 2 × internal weight: stop at half
      core.push(g.ids[v]!);
      acc += strength[v]!;
    }
    const pairs = (size[c]! * (size[c]! - 1)) / 2;
    const tribe: Tribe = {
      id: c,
      size: size[c]!,
      members: list.map((v) => g.ids[v]!),
      core_members: core,
      internal_weight: innerW[c]!,
      internal_density: pairs > 0 ? innerE[c]! / pairs : 0,
    };
    if (inputs.outcomes !== undefined) {
      let posts = 0, conversions = 0;
      const value: Record<string, number> = {};
      for (const v of list) {
        const id = g.ids[v]!;
        posts += inputs.posts?.get(id) ?? 0;
        const o = inputs.outcomes.get(id);
        if (o === undefined) continue;
        conversions += o.conversions;
        for (const [cur, minor] of Object.entries(o.value_minor)) value[cur] = (value[cur] ?? 0) + minor;
      }
      tribe.posts = posts;
      tribe.conversions = conversions;
      tribe.conversion_rate = posts > 0 ? conversions / posts : null;
      tribe.value = Object.fromEntries(Object.entries(value).sort().map(([cur, minor]) => [cur, fromMinorUnits(minor, cur)]));
    }
    communities.push(tribe);
  }
  return {
    modularity: r.modularity,
    count: r.count,
    iterations: r.iterations,
    membership: memb,
    communities,
    accounts: tribeOfAccounts(g, memb, inputs.repeatEngagers ?? []),
  };
}

/** The tribe of each account that has repeat engagers: the community holding most of them (ties: lower id). */
export function tribeOfAccounts(g: Graph, membership: Int32Array, pairs: readonly { engager: string; account: string }[]): AccountTribe[] {
  const byAccount = new Map<string, Map<number, number>>();
  for (const { engager, account } of pairs) {
    const e = g.index.get(engager);
    if (e === undefined || !g.index.has(account)) continue;
    let m = byAccount.get(account);
    if (m === undefined) byAccount.set(account, (m = new Map()));
    const c = membership[e]!;
    m.set(c, (m.get(c) ?? 0) + 1);
  }
  const out: AccountTribe[] = [];
  for (const [id, m] of byAccount) {
    let best = -1, bestN = 0, total = 0;
    for (const [c, k] of m) {
      total += k;
      if (k > bestN || (k === bestN && c < best)) { best = c; bestN = k; }
    }
    out.push({ id, tribe: best, community: membership[g.index.get(id)!]!, repeat_engagers: total, repeat_engagers_in_tribe: bestN });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
