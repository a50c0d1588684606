/** Test helper: what a call throws, as a CloutError code. */
import type { CloutError } from '../../src/domain/index.js';

/** The code of the CloutError `f` throws, or 'none' when it returns. */
export function errorCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as CloutError).code;
  }
  return 'none';
}
