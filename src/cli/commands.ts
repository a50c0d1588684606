/** The list of `clout` sub-commands, in the order `clout --help` shows them. */
import type { Command } from './command.js';
import { demoCommand } from './commands/demo.js';
import { generateCommand } from './commands/generate.js';
import { impactCommand } from './commands/impact.js';
import { importCommand } from './commands/import.js';
import { reportCommand } from './commands/report.js';
import { attributeCommand } from './commands/attribute.js';
import { networkMetricsCommand, networkTribesCommand } from './commands/network.js';
import { SPREAD_COMMANDS } from './commands/network-spread.js';
import { serveCommand } from './commands/serve.js';
import { keysCreateCommand, keysListCommand, keysRevokeCommand } from './commands/keys.js';

export const COMMANDS: Command[] = [
  demoCommand,
  importCommand,
  reportCommand,
  impactCommand,
  attributeCommand,
  generateCommand,
  networkMetricsCommand,
  networkTribesCommand,
  ...SPREAD_COMMANDS,
  serveCommand,
  keysCreateCommand,
  keysListCommand,
  keysRevokeCommand,
];
