/**
 * CSV reader (RFC 4180): the first non-blank record is the header; quotes, embedded delimiters and line breaks,
 * CRLF and a UTF-8 BOM are handled. Lines are numbered as in lines.ts; an empty cell means "absent".
 *
 * Two parsers, one result: a line without any quote character is a record whose fields are exactly its
 * comma-separated parts, so it is split directly; a record that involves quotes is collected (with the lines a
 * quoted line break carries into it, until its quotes balance) and handed to csv-parse. A quote inside an
 * unquoted field is kept as a character (relax_quotes); a quote that opens a field and never closes makes one
 * rejected record of the rest of the file (or of at most MAX_RECORD_CHARS of it).
 */
import { parse, type CsvError, type Options } from 'csv-parse/sync';
import { EXCERPT_CHARS, MAX_LINE_BYTES, readLines, withoutCr } from './lines.js';
import type { ByteSource } from './source.js';
import type { RawRecord } from './types.js';

/** Longest quoted record collected before it is handed to the parser as it is. */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

/** The header of a CSV file: column names (trimmed, lower case) and the line they are on. */
export interface CsvHeader {
  names: string[];
  line: number;
}

const PARSE_OPTIONS: Options = {
  raw: true,
  relax_column_count: true,
  relax_quotes: true,
  skip_records_with_error: true,
  record_delimiter: ['\r\n', '\n'],
  max_record_size: MAX_RECORD_CHARS,
};

/** Reads a CSV file's records in small batches; `onHeader` is called once with the header before any record. */
export async function* readCsv(source: ByteSource, onHeader: (header: CsvHeader) => void): AsyncGenerator<RawRecord[]> {
  const state = new CsvState(onHeader);
  let block: string[] = []; // the lines of a record that involves quotes, while its quotes do not balance
  let blockLine = 0;
  let blockQuotes = 0;
  let blockChars = 0;
  const closeBlock = (): void => {
    state.parseBlock(block.join('\n') + '\n', blockLine); // every line of a block ended with a line end (but the file's last)
    block = [];
    blockChars = 0;
  };
  for await (const lines of readLines(source)) {
    for (let i = 0; i < lines.texts.length; i++) {
      const text = lines.texts[i]!;
      const line = lines.first + i;
      if (lines.tooLong?.[i]) {
        if (block.length > 0) closeBlock();
        state.problem(line, text, `line is longer than ${MAX_LINE_BYTES} bytes`);
        continue;
      }
      if (block.length > 0) {
        block.push(text);
        blockQuotes += countQuotes(text);
        blockChars += text.length;
        if (blockQuotes % 2 === 0 || blockChars > MAX_RECORD_CHARS) closeBlock();
        continue;
      }
      const quotes = countQuotes(text);
      if (quotes === 0) {
        const raw = withoutCr(text);
        state.cells(raw.split(','), raw, line);
        continue;
      }
      block = [text];
      blockLine = line;
      blockQuotes = quotes;
      blockChars = text.length;
      if (quotes % 2 === 0) closeBlock();
    }
    if (lines.damage !== undefined) {
      if (block.length > 0) closeBlock();
      state.problem(
        lines.first + lines.texts.length,
        lines.damage.excerpt.slice(0, EXCERPT_CHARS),
        `the file is damaged here (${lines.damage.reason}); the rest of it cannot be read`,
      );
    }
    if (state.batch.length > 0) yield state.take();
  }
  if (block.length > 0) closeBlock();
  if (state.batch.length > 0) yield state.take();
}

/** Reads just the header of a CSV file (undefined when the file has no record at all). */
export async function readCsvHeader(source: ByteSource): Promise<CsvHeader | undefined> {
  let header: CsvHeader | undefined;
  const records = readCsv(source, (h) => {
    header = h;
  });
  try {
    for await (const _batch of records) {
      if (header !== undefined) break;
    }
  } finally {
    await records.return(undefined);
  }
  return header;
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/** The header, and records made from cells (checked against the header), for one file. */
class CsvState {
  batch: RawRecord[] = [];
  private header: string[] | undefined;

  constructor(private readonly onHeader: (header: CsvHeader) => void) {}

  take(): RawRecord[] {
    const b = this.batch;
    this.batch = [];
    return b;
  }

  /** One record's cells, its raw text and the line it starts on. */
  cells(record: string[], raw: string, line: number): void {
    if (record.length <= 1 && raw.trim() === '') return; // a blank line
    if (this.header === undefined) {
      this.header = record.map((name) => name.trim().toLowerCase());
      this.onHeader({ names: this.header, line });
      return;
    }
    const names = this.header;
    if (record.length !== names.length) {
      this.problem(line, raw, `expected ${names.length} columns, got ${record.length}`);
      return;
    }
    const fields: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) {
      const cell = record[i]!;
      if (cell !== '') fields[names[i]!] = cell;
    }
    this.batch.push({ line, raw, fields, problem: undefined });
  }

  /** A record that cannot have fields. */
  problem(line: number, raw: string, reason: string): void {
    this.batch.push({ line, raw, fields: undefined, problem: { field: '', reason } });
  }

  /**
   * Parses the text of one or more records that involve quotes with csv-parse, from line `first` on. Line numbers
   * are counted here from each record's raw text (csv-parse's own counter counts the CR and the LF of a CRLF
   * inside a quoted field as two lines).
   */
  parseBlock(text: string, first: number): void {
    let next = first;
    const advance = (raw: string): number => {
      const line = next;
      let breaks = 0;
      for (let i = raw.indexOf('\n'); i !== -1; i = raw.indexOf('\n', i + 1)) breaks++;
      // The raw text ends with the record's line end, or (for CRLF) with just its CR, or with nothing at the end.
      next = line + breaks + (raw.endsWith('\n') ? 0 : 1);
      return line;
    };
    // With `raw: true`, csv-parse hands on_record `{record, raw}` (its typings say string[]).
    const options = {
      ...PARSE_OPTIONS,
      on_record: (r: { record: string[]; raw: string }) => {
        const line = advance(r.raw);
        this.cells(r.record, stripLineEnd(r.raw), line);
        return null;
      },
      on_skip: (err: CsvError | undefined, raw: string | undefined) => {
        const text = raw ?? '';
        const line = advance(text);
        const stripped = stripLineEnd(text);
        this.problem(line, stripped.length > EXCERPT_CHARS * 10 ? stripped.slice(0, EXCERPT_CHARS) + '…' : stripped, csvReason(err));
        return undefined;
      },
    } as unknown as Options;
    parse(text, options);
  }
}

function stripLineEnd(raw: string): string {
  if (raw.endsWith('\r\n')) return raw.slice(0, -2);
  if (raw.endsWith('\n') || raw.endsWith('\r')) return raw.slice(0, -1);
  return raw;
}

/** A human reason for a record csv-parse could not parse (its own messages carry its own line numbers). */
function csvReason(err: CsvError | undefined): string {
  switch (err?.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed: the quote opened here runs to the end of the file';
    case 'CSV_MAX_RECORD_SIZE':
      return `record is longer than ${MAX_RECORD_CHARS} characters (a quote that never closes?)`;
    default:
      return `cannot parse this CSV record: ${(err?.message ?? 'unknown error').replace(/ at line \d+/g, '')}`;
  }
}
