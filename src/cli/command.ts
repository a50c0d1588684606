/** The shape every CLI command shares: parsed by node's util.parseArgs, run as a function returning an exit code. */
import type { ParseArgsConfig } from 'node:util';

/** Where a command writes: injectable so tests can run commands in-process. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when progress bars may be drawn (a TTY, not --json, not CI). */
  interactive: boolean;
  env: NodeJS.ProcessEnv;
}

export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** One `clout` sub-command. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals: boolean;
  run(values: ParsedValues, positionals: string[], io: CommandIO): Promise<number>;
}

/** Exit codes of clout (DESIGN §5). */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, REJECTED_ROWS: 3 } as const;
