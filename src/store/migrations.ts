/**
 * Versioned schema migrations of the store. Each migration runs once, in order, inside a transaction, and is
 * recorded in `schema_migrations`. Never edit a migration that has shipped: add the next one.
 * Times are TIMESTAMP in UTC; money is BIGINT minor units + currency, as in the domain.
 */
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
];

/** Store column order of each kind's table (normalized record field names). */
export const TABLE_COLUMNS = {
  accounts: ['id', 'platform', 'handle', 'name', 'followers', 'following', 'created_at'],
  campaigns: ['id', 'name', 'goal_minor', 'currency', 'starts_at', 'ends_at', 'owner_id', 'metric'],
  follows: ['follower_id', 'followee_id', 'since'],
  posts: ['id', 'author_id', 'created_at', 'text', 'url', 'link_id', 'campaign_id', 'reply_to'],
  links: ['id', 'url', 'key', 'post_id', 'campaign_id', 'author_id', 'created_at'],
  interactions: ['id', 'type', 'actor_id', 'post_id', 'target_id', 'created_at'],
  clicks: ['id', 'link_id', 'at', 'visitor_id', 'referrer', 'country', 'device', 'is_bot'],
  conversions: ['id', 'at', 'type', 'value_minor', 'currency', 'customer_id', 'click_id', 'link_id', 'post_id', 'campaign_id'],
  metrics: ['series', 'at', 'value'],
} as const;
