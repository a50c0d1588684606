/**
 * The platform importers `clout import` tries on every file, in this order, and the kind each loads with: a source
 * is imported where a file of that kind would be (KINDS order), so that an X archive's posts are in the store before
 * a codes file that names them, and codes before the orders that use them.
 */
import type { Kind } from '../../domain/index.js';
import { blueskyCarImporter } from './bluesky/index.js';
import { mastodonArchiveImporter } from './mastodon/index.js';
import { shopifyOrdersImporter } from './shopify/index.js';
import { xArchiveImporter } from './x-archive.js';
import { stripeImporter } from './stripe/index.js';
import type { PlatformImporter } from './types.js';

/** An importer and the kind whose place in the load order its sources take. */
export interface RegisteredImporter {
  importer: PlatformImporter;
  loadsWith: Kind;
}

/** Every platform importer, in the order they are asked to claim files. */
export const PLATFORM_IMPORTERS: readonly RegisteredImporter[] = [
  { importer: xArchiveImporter, loadsWith: 'accounts' },
  { importer: blueskyCarImporter, loadsWith: 'accounts' },
  { importer: mastodonArchiveImporter, loadsWith: 'accounts' },
  { importer: stripeImporter, loadsWith: 'conversions' },
  { importer: shopifyOrdersImporter, loadsWith: 'conversions' },
];
