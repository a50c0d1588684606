/**
 * Versioned schema migrations of the store. Each migration runs once, in order, inside a transaction, and is
 * recorded in `schema_migrations`. Never edit a migration that has shipped: add the next one.
 * Times are TIMESTAMP in UTC; money is BIGINT minor units + currency, as in the domain.
 */
import { FIELDS, byKind, type Kind } from '../domain/index.js';
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'interchange v1 tables',
    sql: `
      CREATE TABLE accounts (
        id VARCHAR PRIMARY KEY, platform VARCHAR, handle VARCHAR, name VARCHAR,
        followers BIGINT, following BIGINT, created_at TIMESTAMP);
      CREATE TABLE campaigns (
        id VARCHAR PRIMARY KEY, name VARCHAR, goal_minor BIGINT, currency VARCHAR,
        starts_at TIMESTAMP, ends_at TIMESTAMP, owner_id VARCHAR, metric VARCHAR);
      CREATE TABLE follows (
        follower_id VARCHAR NOT NULL, followee_id VARCHAR NOT NULL, since TIMESTAMP,
        PRIMARY KEY (follower_id, followee_id));
      CREATE TABLE posts (
        id VARCHAR PRIMARY KEY, author_id VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, text VARCHAR,
        url VARCHAR, link_id VARCHAR, campaign_id VARCHAR, reply_to VARCHAR);
      CREATE TABLE links (
        id VARCHAR PRIMARY KEY, url VARCHAR NOT NULL, key VARCHAR, post_id VARCHAR, campaign_id VARCHAR,
        author_id VARCHAR, created_at TIMESTAMP);
      CREATE TABLE interactions (
        id VARCHAR PRIMARY KEY, type VARCHAR NOT NULL, actor_id VARCHAR NOT NULL, post_id VARCHAR,
        target_id VARCHAR, created_at TIMESTAMP NOT NULL);
      CREATE TABLE clicks (
        id VARCHAR PRIMARY KEY, link_id VARCHAR NOT NULL, "at" TIMESTAMP NOT NULL, visitor_id VARCHAR,
        referrer VARCHAR, country VARCHAR, device VARCHAR, is_bot BOOLEAN);
      CREATE TABLE conversions (
        id VARCHAR PRIMARY KEY, "at" TIMESTAMP NOT NULL, type VARCHAR NOT NULL, value_minor BIGINT,
        currency VARCHAR, customer_id VARCHAR, click_id VARCHAR, link_id VARCHAR, post_id VARCHAR,
        campaign_id VARCHAR);
      CREATE TABLE metrics (
        series VARCHAR NOT NULL, "at" TIMESTAMP NOT NULL, value DOUBLE NOT NULL, PRIMARY KEY (series, "at"));
      CREATE TABLE import_runs (
        id VARCHAR PRIMARY KEY, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
        files INTEGER, read BIGINT, imported BIGINT, updated BIGINT, rejected BIGINT, rejects_path VARCHAR);
    `,
  },
  {
    version: 2,
    name: 'server_keys_links_clicks',
    sql: `
      CREATE TABLE api_keys (
        id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, hash VARCHAR NOT NULL, prefix VARCHAR NOT NULL, name VARCHAR,
        scopes VARCHAR NOT NULL, origins VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, revoked_at TIMESTAMP);
      CREATE TABLE server_links (
        link_id VARCHAR PRIMARY KEY, variants VARCHAR, click_id_param VARCHAR, updated_at TIMESTAMP,
        deleted_at TIMESTAMP);
      ALTER TABLE clicks ADD COLUMN browser VARCHAR;
      ALTER TABLE clicks ADD COLUMN os VARCHAR;
      ALTER TABLE clicks ADD COLUMN variant VARCHAR;
      ALTER TABLE clicks ADD COLUMN is_preview BOOLEAN;
      -- The redirect's group-commit log: same columns as clicks, no key index (cheap appends); its rows move into
      -- clicks in the background and before every read through the server.
      CREATE TABLE click_log (
        id VARCHAR NOT NULL, link_id VARCHAR NOT NULL, "at" TIMESTAMP NOT NULL, visitor_id VARCHAR, referrer VARCHAR,
        country VARCHAR, device VARCHAR, is_bot BOOLEAN, browser VARCHAR, os VARCHAR, variant VARCHAR, is_preview BOOLEAN);
    `,
  },
  {
    version: 3,
    name: 'server_conversions',
    sql: `
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS event_name VARCHAR;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS external_id VARCHAR;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS metadata VARCHAR;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS click_ids VARCHAR;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS author_id VARCHAR;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS attribution VARCHAR;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS source VARCHAR;
      CREATE TABLE idempotency_keys (
        api_key_id VARCHAR NOT NULL, key VARCHAR NOT NULL, request_hash VARCHAR NOT NULL, status INTEGER NOT NULL,
        response VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, PRIMARY KEY (api_key_id, key));
      CREATE TABLE conversion_external_ids (
        type VARCHAR NOT NULL, external_id VARCHAR NOT NULL, conversion_id VARCHAR NOT NULL,
        PRIMARY KEY (type, external_id));
      CREATE TABLE webhook_events (
        source VARCHAR NOT NULL, event_id VARCHAR NOT NULL, received_at TIMESTAMP NOT NULL, conversion_id VARCHAR,
        PRIMARY KEY (source, event_id));
    `,
  },
  {
    version: 4,
    name: 'click_journal',
    sql: `
      -- The redirect now journals clicks in CSV segments beside the store (store/click-journal.ts) and merges them
      -- straight into clicks; the log table goes, after its last rows move.
      INSERT OR IGNORE INTO clicks (id, link_id, "at", visitor_id, referrer, country, device, is_bot, browser, os, variant, is_preview)
        SELECT id, link_id, "at", visitor_id, referrer, country, device, is_bot, browser, os, variant, is_preview FROM click_log;
      DROP TABLE click_log;
    `,
  },
  {
    version: 5,
    name: 'interchange v1.1',
    sql: `
      -- Posts say what they are and carry the platform's counters; conversions carry the code, UTM tags and landing
      -- page that can tie an order to a post without a click id, and their refunds and status; codes are a new kind.
      ALTER TABLE posts ADD COLUMN IF NOT EXISTS kind VARCHAR;
      ALTER TABLE posts ADD COLUMN IF NOT EXISTS repost_of VARCHAR;
      ALTER TABLE posts ADD COLUMN IF NOT EXISTS quote_of VARCHAR;
      ALTER TABLE posts ADD COLUMN IF NOT EXISTS platform VARCHAR;
      ALTER TABLE posts ADD COLUMN IF NOT EXISTS lang VARCHAR;
      ALTER TABLE posts ADD COLUMN IF NOT EXISTS likes BIGINT;
      ALTER TABLE posts ADD COLUMN IF NOT EXISTS reposts BIGINT;
      ALTER TABLE posts ADD COLUMN IF NOT EXISTS replies BIGINT;
      ALTER TABLE posts ADD COLUMN IF NOT EXISTS quotes BIGINT;
      ALTER TABLE posts ADD COLUMN IF NOT EXISTS views BIGINT;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS code VARCHAR;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS utm_source VARCHAR;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS utm_medium VARCHAR;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS utm_campaign VARCHAR;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS utm_content VARCHAR;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS landing_url VARCHAR;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS refunded_minor BIGINT;
      ALTER TABLE conversions ADD COLUMN IF NOT EXISTS status VARCHAR;
      CREATE TABLE IF NOT EXISTS codes (
        code VARCHAR PRIMARY KEY, account_id VARCHAR, post_id VARCHAR, campaign_id VARCHAR,
        starts_at TIMESTAMP, ends_at TIMESTAMP);
    `,
  },
  {
    version: 6,
    name: 'posts framing',
    sql: `
      -- A person's label of how a post asks (pitch, endorsement, bare_link, other); it overrides clout's classifier.
      ALTER TABLE posts ADD COLUMN IF NOT EXISTS framing VARCHAR;
    `,
  },
];

/** Fields stored under another name: money as integer minor units. */
const STORED_AS: { [K in Kind]?: Record<string, string> } = {
  conversions: { value: 'value_minor', refunded_value: 'refunded_minor' },
  campaigns: { goal_value: 'goal_minor' },
};

/** Store column order of each kind's table (normalized record field names): the interchange fields, money in minor units. */
export const TABLE_COLUMNS = byKind((k) => FIELDS[k].map((f) => STORED_AS[k]?.[f] ?? f));
