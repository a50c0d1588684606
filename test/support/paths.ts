/** Where the tests live: the test folder (fixtures under it) and the repository root (dist, docs, package.json). */
import { fileURLToPath } from 'node:url';

/** The `test/` folder. */
export const TEST_DIR = fileURLToPath(new URL('..', import.meta.url));
/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
