/** Which platform importer reads which files of a source: each importer claims, by content, what is still unclaimed. */
import type { RegisteredImporter } from './registry.js';
import type { SourceEntry } from './types.js';

/** Entries claimed by one importer. */
export interface Claim {
  registered: RegisteredImporter;
  entries: SourceEntry[];
}

/** The claims of the importers on a source's entries (in registry order) and the entries nobody claimed. */
export async function recognise(
  importers: readonly RegisteredImporter[],
  entries: readonly SourceEntry[],
): Promise<{ claims: Claim[]; rest: SourceEntry[] }> {
  let rest = entries.map(withCachedHead);
  const claims: Claim[] = [];
  for (const registered of importers) {
    if (rest.length === 0) break;
    const claimed = await registered.importer.claim(rest);
    if (claimed.length === 0) continue;
    const taken = new Set(claimed);
    claims.push({ registered, entries: claimed });
    rest = rest.filter((e) => !taken.has(e));
  }
  return { claims, rest };
}

/** The same entry, whose `head` reads the file once for every importer that asks (up to the largest size asked). */
function withCachedHead(entry: SourceEntry): SourceEntry {
  let cached: Buffer | undefined;
  return {
    ...entry,
    head: async (n) => {
      if (cached === undefined || (cached.length < n && cached.length < entry.bytes)) cached = await entry.head(n);
      return cached.subarray(0, n);
    },
  };
}
