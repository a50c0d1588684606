/** The bytes of a data file, streamed in bounded chunks, gunzipped when the name says `.gz`. */
import { createReadStream, type ReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Size of each read from disk. */
const READ_CHUNK = 1 << 20;

/** Thrown by a source whose bytes end in damage (a truncated or corrupt gzip stream, a read error). */
export class DamagedSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DamagedSourceError';
  }
}

/** A streamed file: its (decompressed) chunks and how many bytes of the file on disk were read so far. */
export interface ByteSource {
  chunks: AsyncIterable<Buffer>;
  bytesRead(): number;
}

/** Opens a file as a stream of chunks; a damaged stream ends with a DamagedSourceError. */
export function openSource(path: string, gzip: boolean): ByteSource {
  const file: ReadStream = createReadStream(path, { highWaterMark: READ_CHUNK });
  // pipeline() owns the errors of both streams (no unhandled 'error' event when iteration stops early, as on
  // Node 24 for a truncated gzip); the iteration below still sees the error and turns it into DamagedSourceError.
  const stream = gzip ? pipeline(file, createGunzip({ chunkSize: READ_CHUNK }), () => {}) : file;
  return {
    chunks: guard(stream, () => file.destroy()),
    bytesRead: () => file.bytesRead,
  };
}

async function* guard(stream: AsyncIterable<Buffer>, cleanup: () => void): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (e) {
    throw new DamagedSourceError((e as Error).message);
  } finally {
    cleanup();
  }
}
