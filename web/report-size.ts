/**
 * Prints what a phone downloads before the first screen: the entry chunk, every chunk it imports
 * statically, and their CSS, gzipped. Fails the build above the budget.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const BUDGET_KB = 300;
const dist = fileURLToPath(new URL('../dist/web/', import.meta.url));
interface Chunk { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[] }
const manifest = JSON.parse(readFileSync(`${dist}.vite/manifest.json`, 'utf8')) as Record<string, Chunk>;

const gz = (file: string) => gzipSync(readFileSync(dist + file)).length;
const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
const seen = new Set<string>();
const files: string[] = [];
(function walk(key: string) {
  if (seen.has(key)) return;
  seen.add(key);
  const c = manifest[key]!;
  files.push(c.file, ...(c.css ?? []));
  for (const i of c.imports ?? []) walk(i);
})(entryKey);

let js = 0;
let css = 0;
console.log('\nBefore the first screen (gzip):');
for (const f of files) {
  const size = gz(f);
  if (f.endsWith('.js')) js += size;
  else css += size;
  console.log(`  ${(size / 1024).toFixed(1).padStart(7)} KB  ${f}`);
}
const lazy = Object.values(manifest).filter((c) => !seen.has(Object.keys(manifest).find((k) => manifest[k] === c)!) && c.file.endsWith('.js'));
console.log(`  JavaScript ${(js / 1024).toFixed(1)} KB (budget ${BUDGET_KB} KB), CSS ${(css / 1024).toFixed(1)} KB`);
console.log(`  loaded later on demand: ${lazy.length} chunks, ${(lazy.reduce((s, c) => s + gz(c.file), 0) / 1024).toFixed(1)} KB`);
if (js > BUDGET_KB * 1024) {
  console.error(`The party entry is over budget: ${(js / 1024).toFixed(1)} KB > ${BUDGET_KB} KB`);
  process.exit(1);
}
