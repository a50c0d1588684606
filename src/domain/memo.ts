/** A bounded memo for pure functions of a string whose inputs repeat heavily (User-Agents, post texts). */

/** Wraps `fn` so that each distinct key is computed once; the memo is emptied when it reaches `limit` keys. */
export function memoizeString<T>(fn: (key: string) => T, limit: number): (key: string) => T {
  const memo = new Map<string, T>();
  return (key) => {
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key);
    if (memo.size >= limit) memo.clear();
    memo.set(key, value);
    return value;
  };
}
