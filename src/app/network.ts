/**
 * The network engine's input from the store: a Graph streamed from it (follows, interactions or both, see
 * store/network.ts), plus the per-account counts, outcomes and repeat engagers that the measures and tribes use.
 * (A researcher's edge list is read by ingest/edge-list.ts.)
 */
import { GraphBuilder, INTERACTION_WEIGHTS, type AccountOutcome, type Graph, type ReceivedCounts } from '../analysis/network/index.js';
import { accountCredit, type Conn } from '../store/index.js';
import {
  accountNetworkCounts,
  dropNetworkNodes,
  networkEdgeBatches,
  networkNodeIds,
  hasConversions,
  repeatEngagerPairs,
  type NetworkKind,
} from '../store/network.js';

/** Builds the follow graph (follower → followee) or the weighted interaction graph from the store, streaming edges. */
export async function storeGraph(conn: Conn, kind: NetworkKind): Promise<Graph> {
  const b = new GraphBuilder();
  try {
    for (const id of await networkNodeIds(conn, kind)) b.node(id);
    for await (const batch of networkEdgeBatches(conn, kind, INTERACTION_WEIGHTS)) b.edgesByIndex(batch.source, batch.target, batch.weight);
  } finally {
    await dropNetworkNodes(conn);
  }
  return b.build();
}

/** Received counts per account (reported followers, posts, reposts/quotes/replies/likes/mentions received). */
export async function storeReceivedCounts(conn: Conn): Promise<Map<string, ReceivedCounts>> {
  const out = new Map<string, ReceivedCounts>();
  for (const r of await accountNetworkCounts(conn)) out.set(r.id, r);
  return out;
}

/** Conversions and value credited to each account by the store's last-touch rule (queries.ts accountCredit). */
export async function storeOutcomes(conn: Conn): Promise<Map<string, AccountOutcome>> {
  const out = new Map<string, AccountOutcome>();
  for (const r of await accountCredit(conn)) {
    let o = out.get(r.account_id);
    if (o === undefined) out.set(r.account_id, (o = { conversions: 0, value_minor: {} }));
    o.conversions += r.conversions;
    if (r.currency !== null && r.value_minor > 0) o.value_minor[r.currency] = (o.value_minor[r.currency] ?? 0) + r.value_minor;
  }
  return out;
}

/** Engager → account pairs with at least two interactions. */
export async function storeRepeatEngagers(conn: Conn): Promise<{ engager: string; account: string }[]> {
  return repeatEngagerPairs(conn, 2);
}

/** Whether the store holds any conversion. */
export async function storeHasConversions(conn: Conn): Promise<boolean> {
  return hasConversions(conn);
}

