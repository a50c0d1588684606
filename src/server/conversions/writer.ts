/**
 * The conversion writer: every conversion (API, browser, webhooks) goes through here, exactly once.
 *
 * Group commit: requests queue up while a transaction runs; the next transaction takes all of them (up to
 * `maxBatch`), and each request is answered only after that transaction has COMMITted (DuckDB's WAL), so a 2xx
 * means the row is durable. Inside the transaction each request, in arrival order, checks its guards — webhook
 * event id, idempotency key, (type, external id) — against the store *and the requests before it in the same
 * transaction*, then resolves its attribution and inserts the conversion together with its guard records. The
 * writer runs on the service's single writer connection (DbQueue.write), so two duplicates can never both write.
 * If a batch's transaction fails, it is rolled back and its requests are retried one per transaction, so one bad
 * request cannot fail its neighbours.
 */
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { formatTimestamp } from '../../domain/index.js';
import {
  findExternalIds,
  findIdempotencyRecords,
  findWebhookEvents,
  insertExternalIds,
  insertServerConversions,
  insertWebhookEvents,
  lookupClickLinks,
  lookupCustomerLeads,
  lookupLinkFacts,
  lookupLinksByKeys,
  pairKey,
  purgeIdempotencyRecords,
  saveIdempotencyRecords,
  type IdempotencyRow,
  type LinkFactsRow,
  type ServerConversionRow,
} from '../../store/server-conversions.js';
import type { DbQueue } from '../db-queue.js';
import { resolveAttribution, type Attribution, type AttributionFacts } from './attribution.js';
import { decideIdempotency, IDEMPOTENCY_TTL_MS } from './idempotency.js';
import type { ConversionInput } from './schema.js';

/** One request to the writer. */
export interface WriteRequest {
  input: ConversionInput;
  /** When the request arrived (epoch ms): the conversion's time. */
  at: number;
  /** Idempotency-Key guard, scoped to the API key that sent it. */
  idempotency?: { apiKeyId: string; key: string; hash: string };
  /** Webhook event guard: an event id is processed once per source. */
  webhookEvent?: { source: string; id: string };
}

/** What the writer did with a request. */
export type WriteOutcome =
  | { kind: 'created'; status: 201; body: string }
  | { kind: 'duplicate_external_id'; status: 200; body: string }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'idempotency_conflict' }
  | { kind: 'duplicate_event' };

/** Options of the writer. */
export interface ConversionWriterOptions {
  /** Most requests committed in one transaction. */
  maxBatch: number;
  /** The link of a click the redirect accepted but has not merged into `clicks` yet (undefined for other ids). */
  unmergedClickLink?: (clickId: string) => string | undefined;
}

/** Writer defaults: at most 256 requests per transaction. */
export const WRITER_DEFAULTS: ConversionWriterOptions = { maxBatch: 256 };

/** How often expired idempotency keys are deleted (inside a write that happens anyway). */
const PURGE_EVERY_MS = 10 * 60_000;

interface Job {
  request: WriteRequest;
  resolve: (o: WriteOutcome) => void;
  reject: (e: unknown) => void;
}

/** The JSON body answered for a conversion (and replayed for its idempotency key). */
export function conversionResponse(row: ServerConversionRow, clickIds: readonly string[], metadata: Record<string, unknown> | null): Record<string, unknown> {
  return {
    id: row.id,
    type: row.type,
    at: formatTimestamp(row.at),
    customer_id: row.customer_id,
    amount: row.value_minor,
    currency: row.currency,
    click_id: row.click_id,
    click_ids: clickIds,
    link_id: row.link_id,
    post_id: row.post_id,
    author_id: row.author_id,
    campaign_id: row.campaign_id,
    attribution: row.attribution,
    event_name: row.event_name,
    external_id: row.external_id,
    metadata,
  };
}

/** Group-committing, exactly-once conversion writer over the service's writer queue. */
export class ConversionWriter {
  private pending: Job[] = [];
  private running = false;
  private lastPurge = Number.NEGATIVE_INFINITY;
  private readonly options: ConversionWriterOptions;

  constructor(
    private readonly db: DbQueue,
    private readonly now: () => number,
    options: Partial<ConversionWriterOptions> = {},
  ) {
    this.options = { ...WRITER_DEFAULTS, ...options };
  }

  /** Queues a request; resolves after the transaction holding it has committed. */
  submit(request: WriteRequest): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      if (!this.running) this.drain();
    });
  }

  private drain(): void {
    if (this.pending.length === 0) {
      this.running = false;
      return;
    }
    this.running = true;
    const batch = this.pending.splice(0, this.options.maxBatch);
    this.db
      .write((conn) => this.runBatch(conn, batch))
      .then(
        (outcomes) => outcomes.forEach((o, i) => (o instanceof Error ? batch[i]!.reject(o) : batch[i]!.resolve(o))),
        (e) => batch.forEach((j) => j.reject(e)),
      )
      .finally(() => this.drain());
  }

  private async runBatch(conn: DuckDBConnection, batch: Job[]): Promise<(WriteOutcome | Error)[]> {
    try {
      return await this.transaction(conn, batch);
    } catch (e) {
      if (batch.length === 1) return [e instanceof Error ? e : new Error(String(e))];
    }
    const out: (WriteOutcome | Error)[] = [];
    for (const job of batch) {
      try {
        out.push((await this.transaction(conn, [job]))[0]!);
      } catch (e) {
        out.push(e instanceof Error ? e : new Error(String(e)));
      }
    }
    return out;
  }

  private async transaction(conn: DuckDBConnection, jobs: Job[]): Promise<WriteOutcome[]> {
    const now = this.now();
    if (now - this.lastPurge >= PURGE_EVERY_MS) {
      // Its own (auto-committed) statement: deleting and re-inserting one key in a transaction trips DuckDB's
      // eager constraint checks.
      this.lastPurge = now;
      await purgeIdempotencyRecords(conn, now - IDEMPOTENCY_TTL_MS);
    }
    await conn.run('BEGIN TRANSACTION');
    try {
      const outcomes = await this.applyBatch(conn, jobs.map((j) => j.request), now);
      await conn.run('COMMIT');
      return outcomes;
    } catch (e) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /**
   * Applies a batch inside the open transaction: one look-up query per kind of fact for the whole batch, then the
   * requests in arrival order against those facts plus what the earlier requests of the batch wrote, then one
   * multi-row insert per table.
   */
  private async applyBatch(conn: DuckDBConnection, reqs: WriteRequest[], now: number): Promise<WriteOutcome[]> {
    const idemPairs = reqs.flatMap((r) => (r.idempotency ? [r.idempotency] : []));
    const idem = await findIdempotencyRecords(conn, idemPairs);
    const storedIdem = new Set(idem.keys());
    const ext = await findExternalIds(conn, reqs.flatMap((r) => (r.input.externalId === null ? [] : [{ type: r.input.type, externalId: r.input.externalId }])));
    const events = await findWebhookEvents(conn, reqs.flatMap((r) => (r.webhookEvent ? [r.webhookEvent] : [])));
    const clickIds = reqs.flatMap((r) => r.input.clickIds);
    const clicks = await lookupClickLinks(conn, clickIds);
    const unmerged = this.options.unmergedClickLink;
    if (unmerged !== undefined) {
      for (const id of clickIds) {
        const link = clicks.has(id) ? undefined : unmerged(id);
        if (link !== undefined) clicks.set(id, link);
      }
    }
    const noClick = reqs.filter((r) => !r.input.clickIds.some((id) => clicks.has(id)));
    const byKey = await lookupLinksByKeys(conn, noClick.flatMap((r) => (r.input.linkKey === null ? [] : [r.input.linkKey])));
    const needLead = noClick.filter(
      (r) => inheritsLead(r.input.type) && r.input.customerId !== null && !(r.input.linkKey !== null && byKey.has(r.input.linkKey)),
    );
    const leads = await lookupCustomerLeads(conn, needLead.map((r) => r.input.customerId!), Math.max(now, ...reqs.map((r) => r.at)));
    const links: Map<string, LinkFactsRow> = await lookupLinkFacts(conn, [...clicks.values(), ...[...leads.values()].map((l) => l.link_id)]);
    for (const l of byKey.values()) links.set(l.id, l);

    const outcomes: WriteOutcome[] = [];
    const rows: ServerConversionRow[] = [];
    const newExt: { type: string; externalId: string; conversionId: string }[] = [];
    const newEvents: { source: string; id: string; at: number; conversionId: string | null }[] = [];
    const newIdem = new Map<string, { apiKeyId: string; key: string; replaces: boolean } & IdempotencyRow>();
    for (const req of reqs) {
      const { input } = req;
      const eventKey = req.webhookEvent ? pairKey(req.webhookEvent.source, req.webhookEvent.id) : null;
      if (eventKey !== null && events.has(eventKey)) {
        outcomes.push({ kind: 'duplicate_event' });
        continue;
      }
      const idemKey = req.idempotency ? pairKey(req.idempotency.apiKeyId, req.idempotency.key) : null;
      if (idemKey !== null) {
        const rec = idem.get(idemKey);
        const d = decideIdempotency(
          rec ? { requestHash: rec.request_hash, status: rec.status, response: rec.response, createdAt: rec.created_at } : null,
          req.idempotency!.hash,
          now,
        );
        if (d.kind === 'conflict') {
          outcomes.push({ kind: 'idempotency_conflict' });
          continue;
        }
        if (d.kind === 'replay') {
          outcomes.push({ kind: 'replay', status: d.status, body: d.response });
          continue;
        }
      }
      let outcome: WriteOutcome;
      let conversionId: string;
      const extKey = input.externalId === null ? null : pairKey(input.type, input.externalId);
      const existing = extKey === null ? undefined : ext.get(extKey);
      if (existing !== undefined) {
        conversionId = existing;
        outcome = { kind: 'duplicate_external_id', status: 200, body: JSON.stringify({ id: existing, type: input.type, external_id: input.externalId, duplicate: true }) };
      } else {
        const facts: AttributionFacts = {
          clicks,
          links,
          linkByKey: input.linkKey === null ? null : (byKey.get(input.linkKey) ?? null),
          lead: input.customerId === null || !inheritsLead(input.type) ? null : (leads.get(input.customerId) ?? null),
        };
        const row = buildRow(req, resolveAttribution(input.clickIds, facts));
        rows.push(row);
        conversionId = row.id;
        if (extKey !== null) {
          ext.set(extKey, row.id);
          newExt.push({ type: input.type, externalId: input.externalId!, conversionId: row.id });
        }
        if ((row.type === 'lead' || row.type === 'signup') && row.link_id !== null && row.customer_id !== null) {
          leads.set(row.customer_id, { link_id: row.link_id, click_id: row.click_id });
        }
        outcome = { kind: 'created', status: 201, body: JSON.stringify(conversionResponse(row, input.clickIds, input.metadata)) };
      }
      if (eventKey !== null) {
        events.add(eventKey);
        newEvents.push({ source: req.webhookEvent!.source, id: req.webhookEvent!.id, at: now, conversionId });
      }
      if (idemKey !== null) {
        const rec = {
          apiKeyId: req.idempotency!.apiKeyId,
          key: req.idempotency!.key,
          replaces: storedIdem.has(idemKey),
          request_hash: req.idempotency!.hash,
          status: outcome.status,
          response: outcome.body,
          created_at: now,
        };
        idem.set(idemKey, rec);
        newIdem.set(idemKey, rec);
      }
      outcomes.push(outcome);
    }
    await insertServerConversions(conn, rows);
    await insertExternalIds(conn, newExt);
    await insertWebhookEvents(conn, newEvents);
    await saveIdempotencyRecords(conn, [...newIdem.values()]);
    return outcomes;
  }
}

/** Whether a conversion of this type inherits its customer's lead link (sales and donations do; leads do not). */
function inheritsLead(type: string): boolean {
  return type !== 'lead' && type !== 'signup';
}

/** The conversion row of a request and its attribution. */
function buildRow(req: WriteRequest, a: Attribution): ServerConversionRow {
  const { input } = req;
  return {
    id: 'cv_' + randomUUID().replaceAll('-', ''),
    at: req.at,
    type: input.type,
    value_minor: input.amountMinor,
    currency: input.currency,
    customer_id: input.customerId,
    click_id: a.click_id,
    link_id: a.link_id,
    post_id: a.post_id,
    author_id: a.author_id,
    campaign_id: a.campaign_id,
    event_name: input.eventName,
    external_id: input.externalId,
    metadata: input.metadata === null ? null : JSON.stringify(input.metadata),
    click_ids: input.clickIds.length > 0 ? JSON.stringify(input.clickIds) : null,
    attribution: a.rule,
    source: input.source,
  };
}
