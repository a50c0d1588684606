/** Use case "write a synthetic world with planted truth" (`clout generate`, and the first step of `clout demo`). */
import { generateWorld, type GenerateOptions, type GenerateResult } from '../synth/index.js';

export { SIZES, type Size, type WorldFormat } from '../synth/index.js';
export type { GenerateOptions, GenerateResult };

/** Writes the world's files and its truth.json into `options.out`; the result lists them with their row counts. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  return generateWorld(options);
}
