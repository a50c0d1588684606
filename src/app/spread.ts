/**
 * The spread engine's input, built at the edge: the follow graph and the adoption items (posts and their reposts, or
 * products and their buyers) from the store, mapped onto the graph's dense indices. Accounts that are not nodes of
 * the graph cannot be placed; they are counted in the notes.
 */
import { buildAdoptions, type AdoptionItemInput, type Adoptions } from '../analysis/network/adoptions.js';
import type { Graph } from '../analysis/network/graph.js';
import type { Conn } from '../store/index.js';
import { postRows, purchaseRows, repostRows, type AdoptionRow, type PostRow } from '../store/spread.js';

/** Adoptions with what could not be used. */
export interface SpreadInput {
  adoptions: Adoptions;
  notes: string[];
}

/** Which adoptions to read. */
export type SpreadItemKind = 'posts' | 'purchases';

/** Maps rows onto graph indices: posts become items rooted at their authors, with their adoptions. */
export function adoptionsFromRows(g: Graph, posts: readonly PostRow[] | null, adoptions: readonly AdoptionRow[]): SpreadInput {
  const notes: string[] = [];
  const items = new Map<string, AdoptionItemInput & { nodes: number[]; times: number[] }>();
  let noAuthor = 0, unknownActor = 0, unknownItem = 0;
  if (posts !== null) {
    for (const p of posts) {
      const root = g.index.get(p.author_id);
      if (root === undefined) { noAuthor++; continue; }
      items.set(p.id, { id: p.id, start: p.at, root, nodes: [], times: [] });
    }
  }
  for (const r of adoptions) {
    let it = items.get(r.item_id);
    if (it === undefined) {
      if (posts !== null) { unknownItem++; continue; }
      it = { id: r.item_id, nodes: [], times: [] };
      items.set(r.item_id, it);
    }
    const v = g.index.get(r.actor_id);
    if (v === undefined) { unknownActor++; continue; }
    it.nodes.push(v);
    it.times.push(r.at);
  }
  const a = buildAdoptions([...items.values()], g.n);
  if (noAuthor > 0) notes.push(`${noAuthor} posts by authors outside the follow graph were left out`);
  if (unknownItem > 0) notes.push(`${unknownItem} adoptions of posts that are not in the store (or whose author is outside the graph) were left out`);
  if (unknownActor > 0) notes.push(`${unknownActor} adoptions by accounts outside the follow graph were left out`);
  if (a.dropped > 0) notes.push(`${a.dropped} repeated adoptions, self-reposts or adoptions before their post were dropped`);
  return { adoptions: a, notes };
}

/** Reads the adoption items of one kind from the store onto the graph `g` (edges follower → followee). */
export async function storeAdoptions(conn: Conn, g: Graph, kind: SpreadItemKind = 'posts'): Promise<SpreadInput> {
  if (kind === 'purchases') return adoptionsFromRows(g, null, await purchaseRows(conn));
  return adoptionsFromRows(g, await postRows(conn), await repostRows(conn));
}
