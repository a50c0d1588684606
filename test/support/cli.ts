/** The CLI run in-process, as the tests drive it. */
import type { CommandIO } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/run.js';

/** One run's exit code and everything it wrote. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `clout args` in-process, not interactive, with environment `env` (empty by default); collects exit code, stdout and stderr. */
export async function clout(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), interactive: false, env };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
