#!/usr/bin/env node
/** Process entry of `clout`: wires the real stdout/stderr/env to runCli and sets the exit code. */
import type { CommandIO } from './command.js';
import { runCli } from './run.js';

const io: CommandIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
  env: process.env,
};
runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`clout: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
