/** The list of `clout` sub-commands. */
import type { Command } from './command.js';

export const COMMANDS: Command[] = [];
