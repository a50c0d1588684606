/** A researcher's edge list (`source,target[,weight]` CSV) read into a Graph, for the `network` commands' `--edges FILE`. */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { GraphBuilder, type Graph } from '../analysis/network/index.js';
import { CloutError } from '../domain/index.js';

const HEADER_NAMES = new Set(['source', 'target', 'src', 'dst', 'from', 'to', 'follower_id', 'followee_id', 'follower', 'followee', 'u', 'v', 'weight']);
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function cleanField(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
}

/**
 * Reads an edge list: one edge per line, `source,target[,weight]`, comma-separated (fields may be double-quoted;
 * blank lines and lines starting with # are skipped). The first line is a header when its fields are known
 * column names (source, target, weight, …) or its weight is not a number. Weights must be finite and > 0;
 * repeated edges add their weights. Errors name the file and line.
 */
export function readEdgeList(path: string): Graph {
  if (!existsSync(path)) throw new CloutError('file_not_found', `no such file: ${path}`);
  const b = new GraphBuilder();
  const fd = openSync(path, 'r');
  const chunk = Buffer.allocUnsafe(1 << 22);
  let carry: Buffer = Buffer.alloc(0);
  let line = 0;
  let edges = 0;
  let first = true;
  const handle = (text: string): void => {
    line++;
    const raw = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const fields = raw.split(',');
    if (first) {
      first = false;
      const lower = fields.map((f) => cleanField(f).toLowerCase());
      const header = (HEADER_NAMES.has(lower[0]!) && HEADER_NAMES.has(lower[1] ?? '')) || (fields.length === 3 && !NUMBER.test(lower[2]!));
      if (header) return;
    }
    if (fields.length < 2 || fields.length > 3) {
      throw new CloutError('input', `${path}:${line}: expected source,target[,weight]; got ${fields.length} field${fields.length === 1 ? '' : 's'}`);
    }
    const s = cleanField(fields[0]!), t = cleanField(fields[1]!);
    if (s === '' || t === '') throw new CloutError('input', `${path}:${line}: empty ${s === '' ? 'source' : 'target'} id`);
    let w = 1;
    if (fields.length === 3) {
      const text = cleanField(fields[2]!);
      w = Number(text);
      if (!NUMBER.test(text) || !Number.isFinite(w) || w <= 0) throw new CloutError('input', `${path}:${line}: weight must be a number > 0, got '${text}'`);
    }
    b.edge(s, t, w);
    edges++;
  };
  try {
    for (;;) {
      const got = readSync(fd, chunk, 0, chunk.length, null);
      if (got === 0) break;
      // Decode only whole lines so a multi-byte character is never split between reads.
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, got)]) : chunk.subarray(0, got);
      const lastNl = bytes.lastIndexOf(10);
      if (lastNl === -1) { carry = Buffer.from(bytes); continue; }
      const text = bytes.toString('utf8', 0, lastNl);
      carry = Buffer.from(bytes.subarray(lastNl + 1));
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        handle(text.slice(start, nl));
        start = nl + 1;
      }
      handle(text.slice(start));
    }
    if (carry.length > 0) handle(carry.toString('utf8'));
  } finally {
    closeSync(fd);
  }
  if (edges === 0) throw new CloutError('input', `${path}: no edges (expected lines of source,target[,weight])`);
  return b.build();
}
