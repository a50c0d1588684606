import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { buildRepoCar, type RecordSpec } from './support/bluesky-car.js';
import { blueskyCarImporter } from '../src/ingest/platforms/bluesky/index.js';
import { bufferEntry } from '../src/ingest/platforms/entries.js';
const path = '/tmp/bsky-big.car';
if (!existsSync(path)) {
const records: RecordSpec[] = [];
for (let i = 0; i < 50000; i++) records.push({ collection: i % 2 ? 'app.bsky.feed.like' : 'app.bsky.feed.post', rkey: `3l${i.toString(36).padStart(11, '2')}`, value: i % 2 ? { $type: 'app.bsky.feed.like', subject: { uri: `at://did:plc:x/app.bsky.feed.post/${i}` }, createdAt: '2024-01-01T00:00:00Z' } : { $type: 'app.bsky.feed.post', text: 'hello world '.repeat(10), createdAt: '2024-01-01T00:00:00Z' } });
writeFileSync(path, buildRepoCar({ did: 'did:plc:aliceaaaaaaaaaaaaaaaaaaa', records }).bytes);
}
const bytes = readFileSync(path);
let t = Date.now();
let n = 0;
for await (const batch of blueskyCarImporter.read([bufferEntry('big.car', bytes)], { conversionType: 'sale' })) n += batch.length;
console.log('read', n, Date.now() - t, 'ms', Math.round(process.memoryUsage().heapUsed / 1e6), 'MB heap');
