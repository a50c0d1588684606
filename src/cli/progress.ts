/** One progress bar for every command: cli-progress drawn on the command's stderr (only when interactive). */
import cliProgress from 'cli-progress';
import type { CommandIO } from './command.js';

/** A started-on-first-update progress bar. */
export interface ProgressBar {
  update(value: number, total: number, payload?: Record<string, string>): void;
  stop(): void;
}

/** Creates a progress bar with a cli-progress `format` that writes through `io.stderr`. */
export function progressBar(io: CommandIO, format: string, columns = 100): ProgressBar {
  const stream = {
    isTTY: true,
    columns,
    write: (chunk: string): boolean => {
      io.stderr(chunk);
      return true;
    },
    cursorTo: (x: number): boolean => {
      io.stderr(`\x1b[${x + 1}G`);
      return true;
    },
    clearLine: (): boolean => {
      io.stderr('\x1b[2K');
      return true;
    },
    moveCursor: (): boolean => true,
  } as unknown as NodeJS.WriteStream;
  const bar = new cliProgress.SingleBar({ format, stream, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update: (value, total, payload) => {
      if (!started) {
        bar.start(Math.max(1, total), 0, payload);
        started = true;
      }
      bar.update(value, payload);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
