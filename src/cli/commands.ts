/** The list of `clout` sub-commands. */
import type { Command } from './command.js';
import { reportCommand } from './commands/report.js';

export const COMMANDS: Command[] = [
  reportCommand,
];
