/** The `clout` command line: dispatches to sub-commands; the one place that turns errors into exit codes. */
import { parseArgs } from 'node:util';
import { CloutError } from '../domain/index.js';
import { EXIT, type Command, type CommandIO } from './command.js';
import { COMMANDS } from './commands.js';

const USAGE_CODES = new Set(['usage', 'unknown_kind', 'file_not_found', 'unsupported_format', 'bad_option']);

/** Maps an error to its exit code (2 for usage errors, 1 otherwise). */
export function exitCodeFor(e: unknown): number {
  if (e instanceof CloutError) return USAGE_CODES.has(e.code) ? EXIT.USAGE : EXIT.FAILURE;
  const code = (e as { code?: string } | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return EXIT.USAGE;
  return EXIT.FAILURE;
}

async function help(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `clout — measure influence by the outcomes it causes\n\nUsage: clout <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'clout <command> --help' for a command's options.\n`;
}

/** Runs the CLI with the given arguments; returns the exit code. */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(await help());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout('clout 0.1.0\n');
    return EXIT.OK;
  }
  // A command is one word (`report`) or two (`network metrics`, `keys create`).
  const twoWord = rest[0] === undefined ? undefined : COMMANDS.find((c) => c.name === `${name} ${rest[0]}`);
  const entry = twoWord ?? COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const family = COMMANDS.filter((c) => c.name.startsWith(`${name} `)).map((c) => c.name);
    io.stderr(
      family.length > 0
        ? `clout: '${name}' needs a sub-command: ${family.join(', ')}\n`
        : `clout: unknown command '${name}'; run 'clout --help' for the list\n`,
    );
    return EXIT.USAGE;
  }
  if (twoWord) rest.shift();
  const command: Command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return EXIT.OK;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: command.options,
      allowPositionals: command.allowPositionals,
      strict: true,
    });
    return await command.run(values, positionals, io);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`clout ${command.name}: ${message.split('\n')[0]}\n`);
    if (!(e instanceof CloutError) && exitCodeFor(e) !== EXIT.USAGE && io.env.CLOUT_DEBUG) io.stderr(String((e as Error).stack) + '\n');
    return exitCodeFor(e);
  }
}

