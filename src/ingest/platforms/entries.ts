/**
 * The files of a source, whatever holds them: a file given on its own, a folder (walked recursively), or a .zip
 * archive (read in place with yauzl, each member streamed and inflated on demand). Each becomes a SourceEntry.
 */
import { createReadStream, statSync, type Stats } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { basename, relative, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream';
import yauzl from 'yauzl';
import { CloutError } from '../../domain/index.js';
import { walk } from '../files.js';
import type { ByteSource } from '../source.js';
import type { SourceEntry } from './types.js';

/** True when the path names a .zip archive. */
export function isZipPath(path: string): boolean {
  return path.toLowerCase().endsWith('.zip');
}

/** The entries of a path and how to let go of what holds them open (a .zip archive's file). */
export interface SourceBundle {
  entries: SourceEntry[];
  close(): void;
}

/** The entries of a path: the file itself, every file under a folder, or every member of a .zip archive. */
export async function entriesOf(path: string): Promise<SourceBundle> {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    throw new CloutError('file_not_found', `no such file or folder: ${path}`);
  }
  const nothingToClose = (): void => undefined;
  if (stats.isDirectory()) {
    const entries = walk(path).map((f) => fileEntry(f.path, relative(path, f.path).split(sep).join('/'), f.stats.size));
    return { entries, close: nothingToClose };
  }
  if (isZipPath(path)) return zipEntries(path);
  return { entries: [fileEntry(path, basename(path), stats.size)], close: nothingToClose };
}

/** A file on disk as an entry (gunzipped when its name ends in .gz). */
export function fileEntry(path: string, name = basename(path), bytes = statSync(path).size): SourceEntry {
  const gzip = path.toLowerCase().endsWith('.gz');
  const open = (): AsyncIterable<Buffer> => {
    const file = createReadStream(path, { highWaterMark: 1 << 20 });
    return gzip ? pipeline(file, createGunzip(), () => {}) : file;
  };
  return {
    path,
    name,
    bytes,
    open,
    head: async (n) => (gzip ? headOf(open(), n) : readHead(path, n)),
  };
}

/** Bytes in memory as an entry (tests, and files fetched by a connector). */
export function bufferEntry(name: string, bytes: Buffer | string, path = name): SourceEntry {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return {
    path,
    name,
    bytes: buf.length,
    open: async function* () {
      for (let i = 0; i < buf.length; i += 1 << 20) yield buf.subarray(i, i + (1 << 20));
    },
    head: async (n) => buf.subarray(0, n),
  };
}

/**
 * The first `n` bytes of a stream of chunks, or as many as could be read before the stream broke (a truncated .gz):
 * recognising a file never fails on damage — the reader that imports it reports the damage where it is.
 */
export async function headOf(chunks: AsyncIterable<Buffer>, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  try {
    for await (const chunk of chunks) {
      parts.push(chunk);
      have += chunk.length;
      if (have >= n) break;
    }
  } catch {
    // damaged past this point: what was read is the head
  }
  return Buffer.concat(parts).subarray(0, n);
}

async function readHead(path: string, n: number): Promise<Buffer> {
  const handle = await openFile(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

interface ZipMember {
  name: string;
  bytes: number;
  entry: yauzl.Entry;
}

/** The file members of a .zip archive (folders and hidden files left out), in name order. */
async function zipEntries(path: string): Promise<SourceBundle> {
  const zip = await openZip(path);
  const members: ZipMember[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        const hidden = name.split('/').some((part) => part.startsWith('.') || part === '__MACOSX');
        if (!name.endsWith('/') && !hidden) members.push({ name, bytes: entry.uncompressedSize, entry });
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch (e) {
    zip.close();
    throw new CloutError('input', `cannot read the .zip archive ${path}: ${(e as Error).message}`);
  }
  members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const entries = members.map((m): SourceEntry => {
    const open = (): AsyncIterable<Buffer> => zipMemberStream(zip, m, path);
    return { path: `${path}:${m.name}`, name: m.name, bytes: m.bytes, open, head: (n) => headOf(open(), n) };
  });
  return { entries, close: () => zip.close() };
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err || zip === undefined) reject(new CloutError('input', `cannot read the .zip archive ${path}: ${err?.message ?? 'unknown error'}`));
      else resolve(zip);
    });
  });
}

async function* zipMemberStream(zip: yauzl.ZipFile, member: ZipMember, path: string): AsyncGenerator<Buffer> {
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
    zip.openReadStream(member.entry, (err, s) => {
      if (err || s === undefined) reject(new CloutError('input', `cannot read ${member.name} in ${path}: ${err?.message ?? 'unknown error'}`));
      else resolve(s);
    });
  });
  for await (const chunk of stream) yield chunk as Buffer;
}

/** An entry as the ByteSource the line, CSV and NDJSON readers take. */
export function entryByteSource(entry: SourceEntry): ByteSource {
  let read = 0;
  const chunks = (async function* () {
    for await (const chunk of entry.open()) {
      read += chunk.length;
      yield chunk;
    }
  })();
  return { chunks, bytesRead: () => read };
}
