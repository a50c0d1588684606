/** The archive's actor.json (the account's ActivityPub profile) as an interchange account. */
import type { Emitted, Origin } from '../types.js';
import { hostOf, idOf, isObject, textOf } from './as.js';

/** The platform name Mastodon records carry. */
export const PLATFORM = 'mastodon';

/** The account record of an actor, or a reject when it has no usable id; `ownerId` is the account's id. */
export function mapActor(actor: unknown, file: string): { emitted: Emitted; ownerId?: string } {
  const id = idOf(actor);
  const origin: Origin = { file, line: 1, ...(id !== undefined ? { record: id } : {}) };
  if (!isObject(actor)) {
    return { emitted: { type: 'reject', kind: 'accounts', origin, field: '', reason: 'actor is not a JSON object', raw: actor } };
  }
  if (id === undefined || hostOf(id) === undefined) {
    return { emitted: { type: 'reject', kind: 'accounts', origin, field: 'id', reason: 'actor has no id URL', raw: actor } };
  }
  const username = textOf(actor.preferredUsername);
  const fields: Record<string, unknown> = {
    id,
    platform: PLATFORM,
    handle: username === undefined ? undefined : `${username}@${hostOf(id)}`,
    name: textOf(actor.name),
    created_at: textOf(actor.published),
  };
  return { emitted: { type: 'record', kind: 'accounts', fields: dropUndefined(fields), origin, raw: actor }, ownerId: id };
}

/** The same fields without those that are undefined. */
export function dropUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
