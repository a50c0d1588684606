/**
 * Parquet reader, through DuckDB's own `read_parquet` streamed in chunks. A Parquet file has no lines: the
 * "line" of a record is its row number + 1 (the first row is line 1). Values arrive as JSON values (BIGINT and
 * DECIMAL as strings, TIMESTAMP as `YYYY-MM-DD HH:MM:SS[.fff]` read as UTC); nulls mean "absent". The raw text of
 * a record is the row as JSON.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { CloutError } from '../domain/index.js';
import type { Store } from '../store/index.js';
import type { RawRecord } from './types.js';

const ROW_NUMBER = 'file_row_number';

/** A Parquet file being read: its column names, row count, and its records in batches. */
export interface ParquetReader {
  columns: string[];
  rows: number;
  records(): AsyncGenerator<RawRecord[]>;
  /** Records read so far. */
  recordsRead(): number;
}

function literal(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}

/** The column names (lower case) and row count of a Parquet file. */
export async function parquetColumns(store: Store, path: string): Promise<{ columns: string[]; rows: number }> {
  const conn = await store.instance.connect();
  try {
    const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(path)})`);
    const columns = described.getRows().map((r) => String(r[0]).toLowerCase());
    const counted = await conn.runAndReadAll(`SELECT count(*) FROM read_parquet(${literal(path)})`);
    return { columns, rows: Number(counted.getRows()[0]?.[0] ?? 0) };
  } catch (e) {
    throw new CloutError('input', `cannot read ${path} as Parquet: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    conn.closeSync();
  }
}

/** Opens a Parquet file for reading through its own DuckDB connection. */
export async function openParquet(store: Store, path: string): Promise<ParquetReader> {
  const { columns, rows } = await parquetColumns(store, path);
  let read = 0;
  async function* records(): AsyncGenerator<RawRecord[]> {
    const conn: DuckDBConnection = await store.instance.connect();
    try {
      const result = await conn.stream(`SELECT * FROM read_parquet(${literal(path)}, file_row_number = true)`);
      const names = result.columnNames();
      const lower = names.map((n) => n.toLowerCase());
      for await (const rowsJson of result.yieldRowsJson()) {
        const batch: RawRecord[] = [];
        for (const row of rowsJson) {
          const fields: Record<string, unknown> = {};
          let line = 0;
          for (let i = 0; i < names.length; i++) {
            const v = row[i];
            if (names[i] === ROW_NUMBER) line = Number(v) + 1;
            else if (v !== null && v !== undefined) fields[lower[i]!] = v;
          }
          batch.push({ line, raw: JSON.stringify(fields), fields, problem: undefined });
        }
        read += batch.length;
        yield batch;
      }
    } catch (e) {
      if (e instanceof CloutError) throw e;
      throw new CloutError('input', `cannot read ${path} as Parquet: ${(e as Error).message.split('\n')[0]}`);
    } finally {
      conn.closeSync();
    }
  }
  return { columns: columns.filter((c) => c !== ROW_NUMBER), rows, records, recordsRead: () => read };
}
