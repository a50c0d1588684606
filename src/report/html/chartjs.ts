/** Reads Chart.js's UMD bundle from node_modules at run time, to inline it in the HTML report (the I/O edge of the HTML). */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CloutError } from '../../domain/index.js';

/** The Chart.js 4 UMD bundle (MIT; its licence banner stays at the top) as text. */
export function readChartJsBundle(): string {
  let main: string;
  try {
    main = createRequire(import.meta.url).resolve('chart.js'); // …/chart.js/dist/chart.cjs
  } catch {
    throw new CloutError('internal', 'chart.js is not installed (npm install): the HTML report inlines its bundle');
  }
  const umd = join(dirname(main), 'chart.umd.js');
  if (!existsSync(umd)) throw new CloutError('internal', `chart.js's UMD bundle is missing: ${umd}`);
  return readFileSync(umd, 'utf8');
}
