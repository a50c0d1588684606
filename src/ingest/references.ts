/**
 * References between kinds that an import checks, to count (not reject) records that point at records the
 * store does not have. Only references to kinds that load earlier (KINDS order) are checked, so importing a
 * complete folder never warns; a reference to the same or a later kind (posts.reply_to, posts.link_id) is not.
 */
import type { Kind } from '../domain/index.js';
import type { ReferenceCheck } from '../store/index.js';

const to = (column: string, table: Kind): ReferenceCheck => ({ column, table, key: 'id' });

/** The references checked for each kind. */
export const REFERENCES: { [K in Kind]: readonly ReferenceCheck[] } = {
  accounts: [],
  campaigns: [to('owner_id', 'accounts')],
  follows: [to('follower_id', 'accounts'), to('followee_id', 'accounts')],
  posts: [to('author_id', 'accounts'), to('campaign_id', 'campaigns')],
  links: [to('post_id', 'posts'), to('campaign_id', 'campaigns'), to('author_id', 'accounts')],
  codes: [to('account_id', 'accounts'), to('post_id', 'posts'), to('campaign_id', 'campaigns')],
  interactions: [to('actor_id', 'accounts'), to('post_id', 'posts'), to('target_id', 'accounts')],
  clicks: [to('link_id', 'links')],
  conversions: [
    to('click_id', 'clicks'),
    to('link_id', 'links'),
    to('post_id', 'posts'),
    to('campaign_id', 'campaigns'),
    { column: 'code', table: 'codes', key: 'code', ignoreCase: true },
  ],
  metrics: [],
};
