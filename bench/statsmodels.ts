/** The Python with statsmodels that the benchmarks run beside clout: found on the PATH, else installed from Debian. */
import { spawnSync } from 'node:child_process';

function findPython(): string | undefined {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import statsmodels, numpy'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return undefined;
}

/** A python that imports statsmodels and numpy; runs `apt-get install -y python3-statsmodels` (root) when none does. */
export function ensureStatsmodels(): string {
  const found = findPython();
  if (found) return found;
  console.log('statsmodels not found: apt-get update && apt-get install -y python3-statsmodels …');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'python3-statsmodels']]) {
    const r = spawnSync('apt-get', args, { encoding: 'utf8', env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed: ${r.stderr}`);
  }
  const py = findPython();
  if (!py) throw new Error('python3-statsmodels installed but no python3 can import it');
  return py;
}
