/** `clout generate`: write a synthetic world with planted truth in the interchange format. */
import { resolve } from 'node:path';
import { generateWorld, SIZES, type Format, type Size } from '../../synth/index.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { boolFlag, choiceFlag, intFlag, stringFlag } from '../options.js';
import { CloutError } from '../../domain/index.js';

const FORMATS: readonly Format[] = ['csv', 'ndjson'];

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Write a synthetic world (accounts … metrics) with its planted truth in truth.json',
  usage: 'clout generate --seed N --size demo|small|medium|large --out DIR [--format csv|ndjson] [--gzip] [--json]',
  options: {
    seed: { type: 'string' },
    size: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    gzip: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const seed = intFlag(values, 'seed', 1, 0, 2 ** 31 - 1);
    const size: Size = choiceFlag(values, 'size', SIZES, 'demo');
    const outFlag = stringFlag(values, 'out');
    if (outFlag === undefined) throw new CloutError('usage', '--out DIR is required');
    const out = resolve(outFlag);
    const format = choiceFlag(values, 'format', FORMATS, 'csv');
    const json = boolFlag(values, 'json');
    const progress = io.interactive && !json;
    const result = await generateWorld({
      seed,
      size,
      out,
      format,
      gzip: boolFlag(values, 'gzip'),
      onStage: progress ? (stage) => io.stderr(`  … ${stage}\n`) : undefined,
    });
    if (json) {
      io.stdout(JSON.stringify(result, null, 2) + '\n');
      return EXIT.OK;
    }
    const width = Math.max(...result.files.map((f) => f.kind.length));
    const lines = result.files.map((f) => `  ${f.kind.padEnd(width)}  ${f.rows.toLocaleString('en-US').padStart(12)}  ${f.path}`);
    io.stdout(
      `Generated the ${size} world (seed ${seed}) in ${result.seconds.toFixed(1)} s:\n${lines.join('\n')}\n` +
        `  ${'truth'.padEnd(width)}  ${''.padStart(12)}  ${result.truthPath}\n`,
    );
    return EXIT.OK;
  },
};
