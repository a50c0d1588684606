/**
 * The browser tests' chromium (Debian's, driven by playwright-core). They skip only when it is absent and CI is not
 * set; under CI they must run, so a missing chromium fails them loudly.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The chromium executable on this machine, or undefined. */
function findChromium(): string | undefined {
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Path of the chromium executable, undefined when it is not installed. */
export const CHROMIUM = findChromium();

/** True when the browser tests should skip: chromium is missing and CI is not set. */
export const BROWSER_SKIP = CHROMIUM === undefined && !process.env.CI;

/** The chromium executable; throws when it is missing (reached only with CI set, where the browser tests must run). */
export function requireChromium(): string {
  if (CHROMIUM === undefined) throw new Error('CI is set but chromium is not installed (apt-get install chromium)');
  return CHROMIUM;
}

/** Launches headless chromium with the flags every browser test uses. */
export function launchChromium(executablePath: string = requireChromium()): Promise<Browser> {
  return chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}
