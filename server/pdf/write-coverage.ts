/**
 * `npm run fonts:coverage`: writes templates/fonts/coverage.json, the code points both agreement
 * fonts can draw. Run it after replacing a font; `test/unit/font-coverage.test.ts` fails until then.
 */
import { writeFileSync } from 'node:fs';
import { computeCoverage } from './fonts';

const coverage = computeCoverage();
writeFileSync(new URL('../../templates/fonts/coverage.json', import.meta.url), `${JSON.stringify(coverage)}\n`);
console.log(`${coverage.ranges.length} ranges written to templates/fonts/coverage.json`);
