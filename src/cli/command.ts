/**
 * The shape every CLI command shares: a use case's options schema (src/app) plus the command's own presentation flags
 * (a small zod object too), from which src/cli/flags.ts derives the parseArgs options, the coercion and validation,
 * and the --help text; `run` gets typed values.
 */
import { z } from 'zod';
import type { OptionsSchema } from '../app/options.js';

/** Where a command writes: injectable so tests can run commands in-process. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when progress bars may be drawn (a TTY, not --json, not CI). */
  interactive: boolean;
  env: NodeJS.ProcessEnv;
}

/** Raw flag values as text, keyed by flag name (`rate-limit`): what a few helpers (serveConfigFrom) still read. */
export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** What `run` receives: the validated options and flags, the positionals, and which fields the command line gave. */
export interface CommandArgs<O extends OptionsSchema, F extends OptionsSchema> {
  options: z.output<O>;
  flags: z.output<F>;
  positionals: string[];
  /** Names (schema field names, snake_case) of the options and flags given on the command line. */
  given: ReadonlySet<string>;
}

/** One `clout` sub-command, typed by its schemas. */
export interface CommandSpec<O extends OptionsSchema, F extends OptionsSchema> {
  name: string;
  summary: string;
  /** The use case's options (src/app/*.ts), or NO_OPTIONS. */
  options: O;
  /** The command's presentation flags (db, json, top, html, plot…). */
  flags: F;
  /** Positional arguments, when the command takes any: their usage name (`PATH...`) and what they are. */
  positionals?: { usage: string; description: string };
  /** Extra help lines (how the command reads its input, where the method is documented). */
  notes?: string[];
  /** One example command line (shown by --help). */
  example: string;
  run(args: CommandArgs<O, F>, io: CommandIO): Promise<number>;
}

/** A command with its schema types erased (what the command list holds). */
export type Command = CommandSpec<OptionsSchema, OptionsSchema>;

/** Declares a command: checks its types against its schemas, then erases them for the command list. */
export function defineCommand<O extends OptionsSchema, F extends OptionsSchema>(spec: CommandSpec<O, F>): Command {
  return spec as unknown as Command;
}

/** The options of a command without a use-case schema. */
export const NO_OPTIONS = z.object({}).strict();

/** Flags most commands share. */
export const DB_FLAG = { db: z.string().optional().describe('the store file (default: $CLOUT_DB, else ./clout.duckdb)') };
export const JSON_FLAG = { json: z.boolean().default(false).describe('print JSON instead of tables') };
/** A --top flag: rows shown in the terminal tables. */
export const topFlag = (fallback: number, max = 1_000_000) => ({ top: z.number().int().min(1).max(max).default(fallback).describe('rows shown in the tables') });

/** Exit codes of clout (DESIGN §5). */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, REJECTED_ROWS: 3 } as const;
