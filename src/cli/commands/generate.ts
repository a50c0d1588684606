/** `clout generate`: write a synthetic world with planted truth in the interchange format. */
import { resolve } from 'node:path';
import { z } from 'zod';
import { generate, SIZES, type WorldFormat } from '../../app/generate.js';
import { EXIT, JSON_FLAG, NO_OPTIONS, defineCommand } from '../command.js';

const FORMATS = ['csv', 'ndjson'] as const satisfies readonly WorldFormat[];

export const generateCommand = defineCommand({
  name: 'generate',
  summary: 'Write a synthetic world (accounts … metrics) with its planted truth in truth.json',
  options: NO_OPTIONS,
  flags: z
    .object({
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(1).describe('seed of the world'),
      size: z.enum(SIZES).default('demo').describe('how big a world'),
      out: z.string().min(1).describe('the folder to write to'),
      format: z.enum(FORMATS).default('csv').describe('file format'),
      gzip: z.boolean().default(false).describe('gzip the files'),
      code_share: z.number().min(0).max(1).default(0).describe("share of the caused sales that would carry a click id carrying the author's discount code instead (every author gets a code)"),
      coupon_share: z.number().min(0).max(0.5).default(0).describe("share of baseline buyers who use a coupon site's code (an author's, by followers)"),
      ...JSON_FLAG,
    })
    .strict(),
  example: 'clout generate --seed 7 --size small --out ./world --format ndjson',
  async run({ flags }, io) {
    const { seed, size, format, json } = flags;
    const out = resolve(flags.out);
    const progress = io.interactive && !json;
    const result = await generate({
      seed,
      size,
      out,
      format,
      gzip: flags.gzip,
      ...(flags.code_share > 0 || flags.coupon_share > 0 ? { params: { sales: { codeShare: flags.code_share, couponShare: flags.coupon_share } } } : {}),
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
});
