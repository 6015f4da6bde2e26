// Install step: one exact change to @pothos/plugin-relay (4.x) on a hot path.
//
// Every node's `id` field (`t.globalID`) resolves through an async function, so each id of each
// object in a list is a promise, and the executor then completes every such object through promises
// (a `Promise.all` of its fields and a `then` per field) although all its other fields are at hand.
// Counted in the load test: a mediator's queue of 10 cases made 218 promises a request, 81 with the
// change; the web client's case page 520, 488. The change returns the id directly when the field's
// own resolver returns it directly, and waits only for one that returns a promise; the id is encoded
// the same way in both cases. The replacement is exact: a plugin whose code differs is left as it is
// and the install says so.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The module files and how each names the encoder. */
export const FILES = [
  ['esm/field-builder.js', 'internalEncodeGlobalID'],
  ['lib/field-builder.js', '(0, _internal.internalEncodeGlobalID)'],
];
export const before = (encoder) => `        resolve: async (parent, args, context, info)=>{
            const result = await resolve(parent, args, context, info);
            if (!result || typeof result !== 'object') {
                return result;
            }
            const item = result;
            return ${encoder}(this.builder, this.builder.configStore.getTypeConfig(item.type).name, String(item.id), context);
        }`;
export const after = (encoder) => `        // jiefen: an id at hand is encoded at once, not through a promise (server/patch-pothos.mjs)
        resolve: (parent, args, context, info)=>{
            const encode = (result)=>{
                if (!result || typeof result !== 'object') {
                    return result;
                }
                const item = result;
                return ${encoder}(this.builder, this.builder.configStore.getTypeConfig(item.type).name, String(item.id), context);
            };
            const result = resolve(parent, args, context, info);
            return result !== null && typeof result === 'object' && typeof result.then === 'function' ? Promise.resolve(result).then(encode) : encode(result);
        }`;

// Run as the install step; imported (by its test), only the texts above.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(`${root}node_modules/@pothos/plugin-relay/package.json`, 'utf8'));
  } catch {
    console.log('@pothos/plugin-relay is not installed: nothing to change');
    process.exit(0);
  }
  for (const [file, encoder] of FILES) {
    const path = `${root}node_modules/@pothos/plugin-relay/${file}`;
    const text = readFileSync(path, 'utf8');
    if (text.includes(after(encoder))) continue;
    if (text.split(before(encoder)).length !== 2) {
      console.warn(`@pothos/plugin-relay ${pkg.version}: ${file} differs from 4.8; its ids are left to resolve through a promise`);
      continue;
    }
    writeFileSync(path, text.replace(before(encoder), after(encoder)));
    console.log(`@pothos/plugin-relay ${pkg.version}: ${file}: an id at hand is encoded at once`);
  }
}
