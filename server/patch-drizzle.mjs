// Install step: three exact changes to drizzle-orm (0.45.x) on its hot paths. First, it remembers its
// class checks instead of walking the class chain each time; second (below), its row mapping walks
// each column's path by index; third (further below), a statement's execution is one chain.
//
// drizzle builds every statement by asking `is(chunk, Kind)` of each chunk, several times per chunk,
// and every answer that is not a plain `instanceof` walks the value's class chain looking for a
// matching static `entityKind`. Under load that walk was the server's largest single cost (about a
// tenth of its CPU on the case page). A class's chain and its `entityKind` never change, so the answer
// per class and kind is remembered; what `is` returns is unchanged (`test/unit/drizzle-is.test.ts`
// compares it with drizzle's own walk). The replacement is exact: a drizzle whose code differs is left
// as it is and the install says so.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const FILES = ['entity.js', 'entity.cjs'];
export const BEFORE = `  let cls = Object.getPrototypeOf(value).constructor;
  if (cls) {
    while (cls) {
      if (entityKind in cls && cls[entityKind] === type[entityKind]) {
        return true;
      }
      cls = Object.getPrototypeOf(cls);
    }
  }
  return false;
}`;
export const AFTER = `  let cls = Object.getPrototypeOf(value).constructor;
  // jiefen: the walk's answer per class and kind, remembered (server/patch-drizzle.mjs)
  if (typeof cls === "function") {
    let known = kindsOfClass.get(cls);
    if (known === void 0) {
      known = /* @__PURE__ */ new Map();
      kindsOfClass.set(cls, known);
    }
    const kind = type[entityKind];
    let found = known.get(kind);
    if (found === void 0) {
      found = false;
      for (let c = cls; c; c = Object.getPrototypeOf(c)) {
        if (entityKind in c && c[entityKind] === kind) {
          found = true;
          break;
        }
      }
      known.set(kind, found);
    }
    return found;
  }
  if (cls) {
    while (cls) {
      if (entityKind in cls && cls[entityKind] === type[entityKind]) {
        return true;
      }
      cls = Object.getPrototypeOf(cls);
    }
  }
  return false;
}
const kindsOfClass = /* @__PURE__ */ new WeakMap();`;

// Second change: the loop of `mapResultRow`, run for every column of every row read, walked each
// column's path with `path.entries()`: an iterator and a pair array per column per row (a page of
// 100 cases of 45 columns made 9,000 of them). An index loop over the same array does the same.
export const MAP_FILES = ['utils.js', 'utils.cjs'];
export const MAP_BEFORE = 'for (const [pathChunkIndex, pathChunk] of path.entries()) {';
export const MAP_AFTER = 'for (let pathChunkIndex = 0, pathChunk; pathChunkIndex < path.length; pathChunkIndex++) { pathChunk = path[pathChunkIndex]; // jiefen: index loop (server/patch-drizzle.mjs)';

// Third change: a prepared statement's `execute`, run for every statement the server sends to
// PostgreSQL. drizzle passes each one through three async functions in turn (the execution, its
// cache check and the driver call), each a promise of its own and a turn of the microtask queue,
// before the rows are mapped; with no query cache configured (the server configures none) the cache
// check only runs the driver call. Without a cache, `execute` now chains the driver call and the
// mapping directly, with the same spans, the same logging, failures wrapped the same way
// (DrizzleQueryError, with the driver's error as its cause) and every failure given as a rejection,
// never thrown. With a cache, drizzle's own `execute` runs, renamed. Only postgres-js changes: the
// embedded database's driver is left as it is.
const fastExecute = ({ tracer, fill, map, noopCache, queryError }) => `  execute(placeholderValues = {}) {
    // jiefen: without a query cache, the driver's answer mapped in one chained step (server/patch-drizzle.mjs)
    if (this.cache !== void 0 && !(this.cache instanceof ${noopCache}) && this.queryMetadata !== void 0) return this.executeThroughCache(placeholderValues);
    try {
      return ${tracer}.startActiveSpan("drizzle.execute", (span) => {
        const params = ${fill}(this.params, placeholderValues);
        span?.setAttributes({
          "drizzle.query.text": this.queryString,
          "drizzle.query.params": JSON.stringify(params)
        });
        this.logger.logQuery(this.queryString, params);
        const { fields, queryString: query, client, joinsNotNullableMap, customResultMapper } = this;
        const failed = (e) => {
          throw new ${queryError}(query, params, e);
        };
        const send = (values) => {
          try {
            const sent = client.unsafe(query, params, { prepare: this.prepare });
            return (values ? sent.values() : sent).then(void 0, failed);
          } catch (e) {
            return Promise.reject(new ${queryError}(query, params, e));
          }
        };
        if (!fields && !customResultMapper) {
          return ${tracer}.startActiveSpan("drizzle.driver.execute", () => send(false));
        }
        return ${tracer}.startActiveSpan("drizzle.driver.execute", () => send(true)).then(
          (rows) => ${tracer}.startActiveSpan("drizzle.mapResponse", () => customResultMapper ? customResultMapper(rows) : rows.map((row) => ${map}(fields, row, joinsNotNullableMap)))
        );
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }
  async executeThroughCache(placeholderValues = {}) {`;
/** Per file: the import it needs added, and its `execute`'s first lines, before and after. */
export const EXECUTE = {
  'postgres-js/session.js': {
    importBefore: 'import { mapResultRow } from "../utils.js";\n',
    importAfter: 'import { mapResultRow } from "../utils.js";\nimport { DrizzleQueryError } from "../errors.js"; // jiefen (server/patch-drizzle.mjs)\n',
    before: '  async execute(placeholderValues = {}) {\n    return tracer.startActiveSpan("drizzle.execute", async (span) => {',
    after: `${fastExecute({ tracer: 'tracer', fill: 'fillPlaceholders', map: 'mapResultRow', noopCache: 'NoopCache', queryError: 'DrizzleQueryError' })}\n    return tracer.startActiveSpan("drizzle.execute", async (span) => {`,
  },
  'postgres-js/session.cjs': {
    importBefore: 'var import_utils = require("../utils.cjs");\n',
    importAfter: 'var import_utils = require("../utils.cjs");\nvar import_errors = require("../errors.cjs"); // jiefen (server/patch-drizzle.mjs)\n',
    before: '  async execute(placeholderValues = {}) {\n    return import_tracing.tracer.startActiveSpan("drizzle.execute", async (span) => {',
    after: `${fastExecute({ tracer: 'import_tracing.tracer', fill: '(0, import_sql.fillPlaceholders)', map: '(0, import_utils.mapResultRow)', noopCache: 'import_core.NoopCache', queryError: 'import_errors.DrizzleQueryError' })}\n    return import_tracing.tracer.startActiveSpan("drizzle.execute", async (span) => {`,
  },
};

// Run as the install step; imported (by the query-build benchmark), only the texts above.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(`${root}node_modules/drizzle-orm/package.json`, 'utf8'));
  } catch {
    console.log('drizzle-orm is not installed: nothing to change');
    process.exit(0);
  }
  for (const file of FILES) {
    const path = `${root}node_modules/drizzle-orm/${file}`;
    const text = readFileSync(path, 'utf8');
    if (text.includes(AFTER)) continue;
    if (!text.includes(BEFORE)) {
      console.warn(`drizzle-orm ${pkg.version}: ${file} differs from 0.45; its class checks are left as they are`);
      continue;
    }
    writeFileSync(path, text.replace(BEFORE, AFTER));
    console.log(`drizzle-orm ${pkg.version}: ${file}: class checks remembered per class`);
  }
  for (const file of MAP_FILES) {
    const path = `${root}node_modules/drizzle-orm/${file}`;
    const text = readFileSync(path, 'utf8');
    if (text.includes(MAP_AFTER)) continue;
    if (text.split(MAP_BEFORE).length !== 2) {
      console.warn(`drizzle-orm ${pkg.version}: ${file} differs from 0.45; its row mapping is left as it is`);
      continue;
    }
    writeFileSync(path, text.replace(MAP_BEFORE, MAP_AFTER));
    console.log(`drizzle-orm ${pkg.version}: ${file}: row mapping walks column paths by index`);
  }
  for (const [file, { importBefore, importAfter, before, after }] of Object.entries(EXECUTE)) {
    const path = `${root}node_modules/drizzle-orm/${file}`;
    const text = readFileSync(path, 'utf8');
    if (text.includes(after) && text.includes(importAfter)) continue;
    // A drizzle that already imports the error class is not the text this change was written for.
    if (text.split(before).length !== 2 || text.split(importBefore).length !== 2 || text.includes('DrizzleQueryError')) {
      console.warn(`drizzle-orm ${pkg.version}: ${file} is not the text this change was written for (another drizzle, or another version of this change: reinstall); its statements' execution is left as it is`);
      continue;
    }
    writeFileSync(path, text.replace(importBefore, importAfter).replace(before, after));
    console.log(`drizzle-orm ${pkg.version}: ${file}: a statement's answer is mapped in one chained step`);
  }
}
