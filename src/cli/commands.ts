/** The list of `clout` sub-commands, in the order `clout --help` shows them. */
import type { Command } from './command.js';
import { demoCommand } from './commands/demo.js';
import { generateCommand } from './commands/generate.js';
import { impactCommand } from './commands/impact.js';
import { importCommand } from './commands/import.js';
import { reportCommand } from './commands/report.js';

export const COMMANDS: Command[] = [
  demoCommand,
  importCommand,
  reportCommand,
  impactCommand,
  generateCommand,
];
