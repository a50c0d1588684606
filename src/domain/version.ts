/** clout's own version, as package.json says it. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedVersion: string | undefined;

/** clout's version, read once from the package.json above this module (works from src/ and from dist/src/). */
export function cloutVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  cachedVersion = '0.0.0';
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'clout' && typeof pkg.version === 'string') {
        cachedVersion = pkg.version;
        break;
      }
    }
    dir = dirname(dir);
  }
  return cachedVersion;
}
