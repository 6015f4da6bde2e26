/**
 * `npm run fonts:coverage`: writes templates/fonts/coverage.json, the code points both agreement
 * fonts can draw. Run it after replacing a font; `test/unit/font-coverage.test.ts` fails until then.
 */
import { writeFileSync } from 'node:fs';
import { COVERAGE_FILE } from './coverage';
import { computeCoverage } from './fonts';

const coverage = computeCoverage();
writeFileSync(COVERAGE_FILE, `${JSON.stringify(coverage)}\n`);
console.log(`${coverage.ranges.length} ranges written to templates/fonts/coverage.json`);
