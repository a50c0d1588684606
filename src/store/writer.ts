/**
 * The store's writer: upserts normalized records of one kind by their key, in batches, and counts what changed.
 *
 * Rows are appended (DuckDB Appender) into a staging table of an attached in-memory database, with each row's
 * position in its batch; a full batch is merged into the target table in one transaction with
 * `INSERT … ON CONFLICT (key) DO UPDATE … WHERE <values differ>`, and committed. Two staging tables alternate and the
 * merge runs on a second connection, so the next batch is appended while the previous one is merged. Each batch
 * commits on its own: once a batch's merge has returned it is durable (DuckDB's WAL); a crash loses at most the
 * batches not yet merged, and re-running the import is harmless.
 *
 * Counting, row by row in file order against the value just before the row: a new key is `imported`, a different
 * value `updated`, the same value `unchanged` — except that when a key's rows in one batch leave its stored record
 * exactly as they found it, all of them are `unchanged` (so re-importing a file whose later rows change a record
 * reports nothing updated). One statement may touch a key only once, so a batch whose keys repeat (found with one
 * `count(DISTINCT hash(key))`) takes a slower path: its repeated keys are classified with window functions before
 * any write, the other keys are merged as usual, and the last row of each repeated key is written last.
 *
 * A batch without repeated keys is first tried as a plain `INSERT` (cheaper than ON CONFLICT; it cannot fail on
 * an empty table): if a key already exists, the batch is rolled back and merged with ON CONFLICT, and the writer
 * stays with ON CONFLICT until a batch turns out to hold only new keys again.
 *
 * References to other kinds are tallied per batch (value → rows) and looked up once, at `finish()`.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { CloutError, KEY_FIELDS, type Kind } from '../domain/index.js';
import type { Store } from './db.js';
import { TABLE_COLUMNS } from './migrations.js';

/** The attached in-memory database that holds staging tables (shared by the connections of a store). */
const STAGE_DB = 'clout_stage';
/** The staging column holding a row's position in its batch. */
const SEQ = 'clout_seq';

/** A column that refers to another table's key, checked to count references to unknown records. */
export interface ReferenceCheck {
  /** The referring column of the kind being written (e.g. `link_id`). */
  column: string;
  /** The table referred to (e.g. `links`). */
  table: Kind;
  /** Its key column (e.g. `id`). */
  key: string;
  /** Compare lower-cased and trimmed (discount codes match regardless of case, as shops treat them). */
  ignoreCase?: boolean;
}

/** Options of a kind writer. */
export interface KindWriterOptions {
  /** Rows per batch: the unit of a merge and of a commit. */
  batchRows: number;
  /** References to count when they point at records that are not in the store. */
  references: readonly ReferenceCheck[];
}

/** What a writer did, counted per row against the state just before the row. */
export interface WriteCounts {
  imported: number;
  updated: number;
  unchanged: number;
  /** Rows whose column refers to a record that is not in the store, per referring column. */
  unknownReferences: Record<string, number>;
}

type ColumnType = 'varchar' | 'double' | 'bigint' | 'timestamp' | 'boolean';

interface Column {
  name: string;
  type: ColumnType;
}

/** One staging table and, while it is being filled, its appender. */
interface Buffer {
  table: string;
  appender: DuckDBAppender | undefined;
  rows: number;
}

interface WriterSql {
  countTarget: string;
  insertPlain: string;
  /** Repeated keys in the batch (0 when there are none; a hash collision can only overstate it) and target rows. */
  check: string;
  mergeAll: string;
  classifyRepeated: string;
  mergeSingles: string;
  mergeLastOfRepeated: string;
  /** Per reference: add the batch's values to its tally table. */
  tally: string[];
}

let writerCounter = 0;

/** Double-quotes an SQL identifier. */
function ident(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}

/** Upserts records of one kind into the store; see the module comment. Always `close()` it. */
export class KindWriter {
  private readonly buffers: [Buffer, Buffer];
  private current = 0;
  private merging: Promise<void> | undefined;
  /** Whether the next batch without repeated keys is tried as a plain INSERT first. */
  private optimistic = true;
  private closed = false;
  private readonly counts: WriteCounts;

  private constructor(
    private readonly kind: Kind,
    private readonly columns: readonly Column[],
    private readonly options: KindWriterOptions,
    private readonly appendConn: DuckDBConnection,
    private readonly mergeConn: DuckDBConnection,
    private readonly tag: string,
    private readonly sql: (stage: string) => WriterSql,
  ) {
    this.buffers = [0, 1].map((i) => ({ table: `${tag}_${i}`, appender: undefined, rows: 0 })) as [Buffer, Buffer];
    this.counts = { imported: 0, updated: 0, unchanged: 0, unknownReferences: {} };
    for (const ref of options.references) this.counts.unknownReferences[ref.column] = 0;
  }

  /** Opens a writer for `kind`: two connections, two staging tables, its reference tallies. */
  static async open(store: Store, kind: Kind, options: KindWriterOptions): Promise<KindWriter> {
    const columns = await targetColumns(store, kind);
    const appendConn = await store.instance.connect();
    const mergeConn = await store.instance.connect();
    const tag = `${kind}_${process.pid}_${++writerCounter}`;
    const statements = (stage: string) => writerStatements(kind, columns, options.references, stage, tag);
    const writer = new KindWriter(kind, columns, options, appendConn, mergeConn, tag, statements);
    try {
      await appendConn.run(`ATTACH IF NOT EXISTS ':memory:' AS ${STAGE_DB}`);
      const defs = columns.map((c) => `${ident(c.name)} ${stageType(c.type)}`).join(', ');
      for (const b of writer.buffers) await appendConn.run(`CREATE TABLE ${STAGE_DB}.${ident(b.table)} (${defs}, ${SEQ} DOUBLE)`);
      for (const [i] of options.references.entries()) {
        await mergeConn.run(`CREATE TEMP TABLE ${ident(`${tag}_ref${i}`)} (v VARCHAR, n BIGINT)`);
      }
      await writer.openAppender();
    } catch (e) {
      await writer.close();
      throw storeError(`cannot prepare to write ${kind}`, e);
    }
    return writer;
  }

  /** True when the batch being filled is full and the caller should `await cycle()`. */
  get full(): boolean {
    return this.buffers[this.current].rows >= this.options.batchRows;
  }

  /** True while a merge runs: the caller should let the event loop turn now and then (see merge()). */
  get busy(): boolean {
    return this.merging !== undefined;
  }

  /** Adds one normalized record (fields named as the table's columns) to the batch being filled. */
  add(record: Record<string, unknown>): void {
    const b = this.buffers[this.current];
    const a = b.appender!;
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      const v = record[c.name];
      if (v === undefined || v === null) {
        a.appendNull();
      } else if (c.type === 'varchar') {
        if (typeof v !== 'string') throw badValue(c, v);
        a.appendVarchar(v);
      } else if (c.type === 'boolean') {
        if (typeof v !== 'boolean') throw badValue(c, v);
        a.appendBoolean(v);
      } else {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw badValue(c, v);
        a.appendDouble(v);
      }
    }
    a.appendDouble(b.rows++);
    a.endRow();
  }

  /**
   * Hands the batch being filled to the merger and switches to the other staging table. Waits for the previous
   * merge first (at most one runs at a time) and rethrows its error.
   */
  async cycle(): Promise<void> {
    const b = this.buffers[this.current];
    if (b.rows === 0) return;
    b.appender!.flushSync();
    b.appender!.closeSync();
    b.appender = undefined;
    await this.settle();
    this.merging = this.merge(b);
    // Observed here so that a failure surfaces at the next cycle(), not as an unhandled rejection.
    this.merging.catch(() => undefined);
    this.current = 1 - this.current;
    await this.openAppender();
  }

  /** Merges what is left, looks up the tallied references and returns the counts. */
  async finish(): Promise<WriteCounts> {
    await this.cycle();
    await this.settle();
    const lookups = referenceLookups(this.options.references, this.tag);
    for (let i = 0; i < lookups.length; i++) {
      this.counts.unknownReferences[this.options.references[i]!.column]! += await scalar(this.mergeConn, lookups[i]!);
    }
    return { ...this.counts, unknownReferences: { ...this.counts.unknownReferences } };
  }

  /** Drops the staging and tally tables and closes the connections (also after an error). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.merging?.catch(() => undefined);
    for (const b of this.buffers) {
      try {
        b.appender?.closeSync();
      } catch {
        // its rows are being thrown away
      }
      b.appender = undefined;
      await this.appendConn.run(`DROP TABLE IF EXISTS ${STAGE_DB}.${ident(b.table)}`).catch(() => undefined);
    }
    await this.mergeConn.run('ROLLBACK').catch(() => undefined);
    for (const [i] of this.options.references.entries()) {
      await this.mergeConn.run(`DROP TABLE IF EXISTS temp.${ident(`${this.tag}_ref${i}`)}`).catch(() => undefined);
    }
    this.appendConn.closeSync();
    this.mergeConn.closeSync();
  }

  /**
   * Inserts the batch (inside the open transaction) without ON CONFLICT and ends it; false, with the transaction
   * rolled back and begun again, when a key already exists.
   */
  private async tryPlainInsert(sql: WriterSql, endOfBatch: string[]): Promise<boolean> {
    try {
      await this.mergeConn.run(sql.insertPlain);
    } catch (e) {
      if (!/^Constraint Error: Duplicate key/.test((e as Error).message)) throw e;
      await this.mergeConn.run('ROLLBACK;\nBEGIN TRANSACTION');
      this.optimistic = false;
      return false;
    }
    await this.mergeConn.run(endOfBatch.join(';\n'));
    return true;
  }

  private async settle(): Promise<void> {
    const merging = this.merging;
    this.merging = undefined;
    await merging;
  }

  private async openAppender(): Promise<void> {
    const b = this.buffers[this.current];
    b.appender = await this.appendConn.createAppender(b.table, 'main', STAGE_DB);
  }

  /**
   * Merges a staged batch into the target table in one transaction, commits, and empties the staging table.
   * Statements are grouped so that a batch takes three round trips in the common case, because each round trip
   * waits for the JavaScript thread to notice that DuckDB is done.
   */
  private async merge(b: Buffer): Promise<void> {
    const conn = this.mergeConn;
    const sql = this.sql(`${STAGE_DB}.${ident(b.table)}`);
    const rows = b.rows;
    b.rows = 0;
    let open = true; // a transaction is open (BEGIN is the first statement below)
    try {
      const [repeats, before] = (await firstRow(conn, `BEGIN TRANSACTION;\n${sql.check}`)) as [number, number];
      // Tallies, commit, then empty the staging table (a transaction may write one attached database only).
      const endOfBatch = [...sql.tally, 'COMMIT', `DELETE FROM ${STAGE_DB}.${ident(b.table)}`];
      if (repeats === 0 && (this.optimistic || before === 0) && (await this.tryPlainInsert(sql, endOfBatch))) {
        open = false;
        this.counts.imported += rows;
        return;
      }
      let imported = 0;
      let updated = 0;
      let changed: number;
      let after: number;
      if (repeats === 0) {
        changed = (await conn.run(sql.mergeAll)).rowsChanged;
        after = await scalar(conn, [...endOfBatch, sql.countTarget].join(';\n'));
      } else {
        // Classify the rows of repeated keys against the store before anything is written.
        [imported, updated] = (await firstRow(conn, sql.classifyRepeated)) as [number, number];
        changed = (await conn.run(sql.mergeSingles)).rowsChanged;
        after = await scalar(conn, sql.countTarget);
        await conn.run([sql.mergeLastOfRepeated, ...endOfBatch].join(';\n'));
      }
      this.optimistic = repeats === 0 && after - before === rows; // only new keys: try the cheap way next time
      open = false;
      imported += after - before;
      updated += changed - (after - before);
      this.counts.imported += imported;
      this.counts.updated += updated;
      this.counts.unchanged += rows - imported - updated;
    } catch (e) {
      if (open) await conn.run('ROLLBACK').catch(() => undefined);
      throw storeError(`cannot write ${this.kind}`, e);
    }
  }
}

function stageType(type: ColumnType): string {
  // Times and integers travel as DOUBLE (exact for epoch ms and safe integers) so appending allocates nothing.
  return type === 'varchar' ? 'VARCHAR' : type === 'boolean' ? 'BOOLEAN' : 'DOUBLE';
}

/** The SQL that turns a staged column (of `… s`) into the target's type. */
function fromStage(c: Column): string {
  const col = `s.${ident(c.name)}`;
  if (c.type === 'timestamp') return `epoch_ms(CAST(${col} AS BIGINT))`;
  if (c.type === 'bigint') return `CAST(${col} AS BIGINT)`;
  return col;
}

/** Builds the SQL of a kind's writer around its staging table. */
function writerStatements(kind: Kind, columns: readonly Column[], references: readonly ReferenceCheck[], stage: string, tag: string): WriterSql {
  const target = `main.${ident(kind)}`;
  const keys = KEY_FIELDS[kind].map(ident);
  const names = columns.map((c) => ident(c.name)).join(', ');
  const others = columns.filter((c) => !KEY_FIELDS[kind].includes(c.name)).map((c) => ident(c.name));
  const conflict = `ON CONFLICT (${keys.join(', ')})`;
  const update = others.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${others.map((c) => `${c} = excluded.${c}`).join(', ')}`;
  const differs =
    others.length === 0
      ? ''
      : ` WHERE (${others.map((c) => `${ident(kind)}.${c}`).join(', ')}) IS DISTINCT FROM (${others.map((c) => `excluded.${c}`).join(', ')})`;
  // The batch in the target's types, with each row's position.
  const batch = `(SELECT ${columns.map((c) => `${fromStage(c)} AS ${ident(c.name)}`).join(', ')}, s.${SEQ} AS seq FROM ${stage} s)`;
  const insert = `INSERT INTO ${target} (${names}) SELECT ${names} FROM ${batch} b`;
  const byKey = `PARTITION BY ${keys.map((k) => `b.${k}`).join(', ')}`;
  const values = (alias: string): string => (others.length === 0 ? 'true' : `row(${others.map((c) => `${alias}.${c}`).join(', ')})`);
  const distinctKeys = `count(DISTINCT hash(${keys.map((k) => `s.${k}`).join(', ')}))`;
  const classifyRepeated =
    `SELECT count(*) FILTER (WHERE rn = 1 AND NOT found), ` +
    `count(*) FILTER (WHERE NOT (found AND last_v IS NOT DISTINCT FROM before) AND ` +
    `((rn = 1 AND found AND v IS DISTINCT FROM before) OR (rn > 1 AND v IS DISTINCT FROM prev))) ` +
    `FROM (SELECT r.rn, r.v, r.prev, r.last_v, t.${keys[0]} IS NOT NULL AS found, ${values('t')} AS before ` +
    `FROM (SELECT ${keys.map((k) => `b.${k}`).join(', ')}, ${values('b')} AS v, ` +
    `lag(${values('b')}) OVER (${byKey} ORDER BY b.seq) AS prev, row_number() OVER (${byKey} ORDER BY b.seq) AS rn, ` +
    `first_value(${values('b')}) OVER (${byKey} ORDER BY b.seq DESC) AS last_v, count(*) OVER (${byKey}) AS n ` +
    `FROM ${batch} b) r LEFT JOIN ${target} t ON ${keys.map((k) => `t.${k} = r.${k}`).join(' AND ')} WHERE r.n > 1)`;
  return {
    countTarget: `SELECT count(*) FROM ${target}`,
    insertPlain: insert,
    check: `SELECT (SELECT count(*) - ${distinctKeys} FROM ${stage} s), (SELECT count(*) FROM ${target})`,
    mergeAll: `${insert} ${conflict} ${update}${differs}`,
    classifyRepeated,
    mergeSingles: `${insert} QUALIFY count(*) OVER (${byKey}) = 1 ${conflict} ${update}${differs}`,
    mergeLastOfRepeated:
      `${insert} QUALIFY count(*) OVER (${byKey}) > 1 AND row_number() OVER (${byKey} ORDER BY b.seq DESC) = 1 ` +
      `${conflict} ${update}`,
    tally: references.map((ref, i) => {
      const col = `s.${ident(ref.column)}`;
      return `INSERT INTO temp.${ident(`${tag}_ref${i}`)} SELECT ${col}, count(*) FROM ${stage} s WHERE ${col} IS NOT NULL GROUP BY ${col}`;
    }),
  };
}

/** Per reference, the query counting the tallied rows whose value is not a key of the table referred to. */
function referenceLookups(references: readonly ReferenceCheck[], tag: string): string[] {
  return references.map(
    (ref, i) =>
      `SELECT coalesce(sum(r.n), 0) FROM temp.${ident(`${tag}_ref${i}`)} r ` +
      `WHERE NOT EXISTS (SELECT 1 FROM main.${ident(ref.table)} t WHERE ${
        ref.ignoreCase ? `lower(trim(t.${ident(ref.key)})) = lower(trim(r.v))` : `t.${ident(ref.key)} = r.v`
      })`,
  );
}

function columnTypeOf(duckType: string, table: string, column: string): ColumnType {
  if (duckType === 'VARCHAR') return 'varchar';
  if (duckType === 'DOUBLE') return 'double';
  if (duckType === 'BIGINT' || duckType === 'INTEGER') return 'bigint';
  if (duckType === 'TIMESTAMP') return 'timestamp';
  if (duckType === 'BOOLEAN') return 'boolean';
  throw new CloutError('internal', `writer: column ${table}.${column} has type ${duckType}, which the writer cannot stage`);
}

/** The target table's columns (TABLE_COLUMNS order) with their types, read from the store. */
async function targetColumns(store: Store, kind: Kind): Promise<Column[]> {
  const reader = await store.conn.runAndReadAll(
    `SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1`,
    [kind],
  );
  const types = new Map(reader.getRows().map((r) => [String(r[0]), String(r[1])]));
  return TABLE_COLUMNS[kind].map((name) => {
    const t = types.get(name);
    if (t === undefined) throw new CloutError('store', `store table ${kind} has no column ${name}; is the store migrated?`);
    return { name, type: columnTypeOf(t, kind, name) };
  });
}

function badValue(c: Column, v: unknown): CloutError {
  return new CloutError('internal', `writer: column ${c.name} (${c.type}) got ${typeof v} ${String(v).slice(0, 40)}`);
}

async function scalar(conn: DuckDBConnection, sql: string): Promise<number> {
  return (await firstRow(conn, sql))[0] ?? 0;
}

/** The first row of a query's result (of its last statement), as numbers. */
async function firstRow(conn: DuckDBConnection, sql: string): Promise<number[]> {
  const result = await conn.run(sql);
  const rows = result.chunkCount > 0 ? result.getChunk(0).getRows() : [];
  return (rows[0] ?? []).map((v) => Number(v ?? 0));
}

function storeError(what: string, e: unknown): CloutError {
  if (e instanceof CloutError) return e;
  return new CloutError('store', `${what}: ${(e as Error).message}`);
}

/**
 * Defers DuckDB's automatic checkpoints for a bulk load and returns the function that ends it: restore the setting,
 * then CHECKPOINT once. Without this, a commit checkpoints whenever the WAL passes 16 MiB, and each checkpoint
 * rewrites the growing table and index — quadratic over a large import. Commits stay durable meanwhile (the WAL).
 * The setting belongs to the DuckDB instance: bulk loads running at the same time on one store share it.
 */
export async function deferCheckpoints(store: Store): Promise<() => Promise<void>> {
  const reader = await store.conn.runAndReadAll(`SELECT current_setting('checkpoint_threshold')`);
  const previous = String(reader.getRows()[0]?.[0] ?? '16.0 MiB');
  await store.conn.run(`SET GLOBAL checkpoint_threshold = '1000 GiB'`);
  return async () => {
    await store.conn.run(`SET GLOBAL checkpoint_threshold = '${previous.replaceAll("'", "''")}'`);
    await store.conn.run('CHECKPOINT');
  };
}

/** One import run as recorded in the store's `import_runs` table. */
export interface ImportRunRecord {
  id: string;
  startedAt: number;
  finishedAt: number;
  files: number;
  read: number;
  imported: number;
  updated: number;
  rejected: number;
  rejectsPath: string | null;
}

/** Records a finished import run in `import_runs`. */
export async function recordImportRun(store: Store, run: ImportRunRecord): Promise<void> {
  await store.conn.run(
    `INSERT OR REPLACE INTO import_runs VALUES ($1, epoch_ms(CAST($2 AS BIGINT)), epoch_ms(CAST($3 AS BIGINT)), $4, $5, $6, $7, $8, $9)`,
    [run.id, run.startedAt, run.finishedAt, run.files, run.read, run.imported, run.updated, run.rejected, run.rejectsPath],
  );
}
