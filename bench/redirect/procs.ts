/** Child processes of the redirect benchmark: tools on PATH (installed with apt-get when missing), servers, nginx. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The path of an executable, or undefined. */
export function which(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin']) {
    const p = join(dir, name);
    if (spawnSync('test', ['-x', p]).status === 0) return p;
  }
  return undefined;
}

/** Installs Debian packages with apt-get (through sudo unless root), `apt-get update` first. */
export function aptInstall(packages: string[]): void {
  const root = process.getuid?.() === 0;
  const run = (args: string[]): void => {
    const cmd = root ? 'apt-get' : 'sudo';
    const full = root ? args : ['apt-get', ...args];
    process.stderr.write(`bench: ${cmd} ${full.join(' ')}\n`);
    const r = spawnSync(cmd, full, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`${cmd} ${full.join(' ')} failed (exit ${r.status}); install ${packages.join(' ')} by hand`);
  };
  run(['update']);
  run(['install', '-y', ...packages]);
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A child that prints JSON lines; resolves with the first line. */
export function spawnJson(cmd: string, args: string[]): Promise<{ child: ChildProcess; first: Record<string, unknown>; next: () => Promise<Record<string, unknown>> }> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const nextLine = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const l = lines.shift();
      if (l !== undefined) return resolve(JSON.parse(l) as Record<string, unknown>);
      child.once('exit', (code) => reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`)));
      waiters.push((line) => resolve(JSON.parse(line) as Record<string, unknown>));
    });
  return nextLine().then((first) => ({ child, first, next: nextLine }));
}

/** Starts nginx with one worker answering `return 302` on loopback; resolves once it accepts connections. */
export async function startNginx(dir: string, port: number, location: string): Promise<ChildProcess> {
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir};
  proxy_temp_path ${dir};
  fastcgi_temp_path ${dir};
  uwsgi_temp_path ${dir};
  scgi_temp_path ${dir};
  server {
    listen 127.0.0.1:${port} reuseport;
    location / { add_header Cache-Control no-store always; return 302 ${location}; }
  }
}
`,
  );
  const child = spawn(which('nginx') ?? 'nginx', ['-p', dir, '-e', join(dir, 'nginx-error.log'), '-c', conf], { stdio: ['ignore', 'inherit', 'inherit'] });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
      if (r.status === 302) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGTERM');
  throw new Error('nginx did not start; see ' + join(dir, 'nginx-error.log'));
}

/** Sends SIGTERM and waits for the exit. */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
