/** The `clout` command line: dispatches to sub-commands; the one place that turns errors into exit codes. */
import { CloutError, cloutVersion, type ErrorCode } from '../domain/index.js';
import { nearest } from '../app/options.js';
import { EXIT, type Command, type CommandIO } from './command.js';
import { COMMANDS } from './commands.js';
import { commandHelp, parseCommandArgs } from './flags.js';

/** The exit code of each error code (DESIGN §5): typed over ERROR_CODES, so a new code cannot go unmapped. */
export const EXIT_FOR: Readonly<Record<ErrorCode, number>> = {
  usage: EXIT.USAGE,
  unknown_kind: EXIT.USAGE,
  file_not_found: EXIT.USAGE,
  unsupported_format: EXIT.USAGE,
  bad_option: EXIT.USAGE,
  store: EXIT.FAILURE,
  input: EXIT.FAILURE,
  network: EXIT.FAILURE,
  internal: EXIT.FAILURE,
};

/** Maps an error to its exit code (2 for usage errors, 1 otherwise). */
export function exitCodeFor(e: unknown): number {
  if (e instanceof CloutError) return EXIT_FOR[e.code];
  const code = (e as { code?: string } | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return EXIT.USAGE;
  if (typeof code === 'string' && code in FS_ERRORS) return EXIT.USAGE;
  return EXIT.FAILURE;
}

/** File-system errors as clout says them (a raw ENOENT, EISDIR… becomes one line naming the path). */
const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
};

/** One line for an error: a file-system error names the path and the reason, others give their first line. */
export function errorLine(e: unknown, command?: string): string {
  const fs = e as { code?: string; path?: string; syscall?: string } | undefined;
  if (fs && typeof fs.code === 'string' && fs.code in FS_ERRORS && typeof fs.path === 'string') {
    const verb = fs.syscall === 'open' || fs.syscall === 'read' || fs.syscall === 'scandir' || fs.syscall === 'stat' ? 'read' : 'write';
    return `cannot ${/write|rename|mkdir|unlink/.test(fs.syscall ?? '') ? 'write' : verb} ${fs.path}: ${FS_ERRORS[fs.code]}`;
  }
  let message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  // Kernels name themselves ('impact: …'); the CLI prefixes the command once.
  if (command !== undefined) {
    for (const prefix of [command, command.split(' ').at(-1)!]) {
      if (message.startsWith(`${prefix}: `)) message = message.slice(prefix.length + 2);
    }
  }
  return message;
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
    io.stdout(`clout ${cloutVersion()}\n`);
    return EXIT.OK;
  }
  // A command is one word (`report`) or two (`network metrics`, `keys create`).
  const twoWord = rest[0] === undefined ? undefined : COMMANDS.find((c) => c.name === `${name} ${rest[0]}`);
  const entry = twoWord ?? COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const family = COMMANDS.filter((c) => c.name.startsWith(`${name} `)).map((c) => c.name);
    const near = nearest(name, [...new Set(COMMANDS.map((c) => c.name.split(' ')[0]!))]);
    io.stderr(
      family.length > 0
        ? `clout: '${name}' needs a sub-command: ${family.join(', ')}\n`
        : `clout: unknown command '${name}'; ${near ? `did you mean ${near}?` : "run 'clout --help' for the list"}\n`,
    );
    return EXIT.USAGE;
  }
  if (twoWord) rest.shift();
  const command: Command = await entry.load();
  // a one-word command with sub-commands (`framing`, `framing classify`): a stray word is a mistyped sub-command
  const subs = COMMANDS.filter((c) => c.name.startsWith(`${name} `)).map((c) => c.name.slice(name.length + 1));
  if (!twoWord && subs.length > 0 && command.positionals === undefined && rest[0] !== undefined && !rest[0].startsWith('-')) {
    const near = nearest(rest[0], subs);
    io.stderr(`clout ${name}: unknown sub-command '${rest[0]}'; ${near ? `did you mean '${name} ${near}'? ` : ''}(sub-commands: ${subs.join(', ')})\n`);
    return EXIT.USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(command));
    return EXIT.OK;
  }
  try {
    return await command.run(parseCommandArgs(command, rest), io);
  } catch (e) {
    io.stderr(`clout ${command.name}: ${errorLine(e, command.name)}\n`);
    if (!(e instanceof CloutError) && exitCodeFor(e) !== EXIT.USAGE && io.env.CLOUT_DEBUG) io.stderr(String((e as Error).stack) + '\n');
    return exitCodeFor(e);
  }
}

