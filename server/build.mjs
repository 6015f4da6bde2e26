// `npm run build`: compiles the server to dist/ (plain JavaScript, run with `node`), and with
// `--template` also prepares the embedded database template. Runs with plain node: no TypeScript
// loader is needed to build.
import { relative, dirname } from 'node:path';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { builtIsCurrent } from './build-current.mjs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// `--outdir=<dir inside the checkout>` builds elsewhere (a test builds its own copy); packages are
// resolved from the checkout's node_modules, so the directory must stay inside it.
const outArg = process.argv.find((a) => a.startsWith('--outdir='));
const outdir = outArg ? `${root}${outArg.slice('--outdir='.length).replace(/\/+$/, '')}` : `${root}dist/server`;

// `npm start` (server/start.mjs) checks the same before it runs the compiled server; with
// `--if-changed`, a compiled server newer than every source it was built from stays as it is.
if (process.argv.includes('--if-changed') && !process.argv.includes('--template') && builtIsCurrent(root, outdir)) {
  console.log(`${relative(root, outdir)} is up to date`);
  process.exit(0);
}
const { build } = await import('esbuild');

/**
 * Modules find their data (migrations, reference data, templates, fonts) relative to their own
 * source file. In a bundle every module shares one `import.meta.url`, so each module's reference is
 * rewritten to point at its source file from wherever the bundle sits: the data stays where it is
 * in the checkout and is never copied.
 */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
      const fromBundle = relative(outdir, args.path).split('\\').join('/');
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`),
        loader: 'ts',
        resolveDir: dirname(args.path),
      };
    });
  },
};

/**
 * graphql 16 names its CommonJS build `main` and its ES modules `module`, and a bundle for Node takes
 * `main`: every call into graphql then passes two getters (the CommonJS module's re-exports and the
 * bundler's interop object), 2.5 % of the server's busy time under `npm run load`. Its ES modules
 * bind directly. Every import of graphql and of its subpaths resolves to the `.mjs` file beside the
 * `.js` one, so the bundle holds one copy either way.
 *
 * Its `instanceOf` is taken as graphql itself takes it under NODE_ENV=production, a plain
 * `instanceof`: outside production graphql adds, to every type test that answers no, a search for a
 * second copy of itself (1.7 % of busy time under load). The bundle holds one copy, so the search
 * never finds one (the bundle test checks there is one).
 */
const graphqlModules = {
  name: 'graphql-es-modules',
  setup(b) {
    b.onResolve({ filter: /^graphql(\/.*)?$/ }, async (args) => {
      if (args.pluginData === 'graphql-es-modules') return undefined;
      const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'graphql-es-modules' });
      if (found.errors.length > 0) return { errors: found.errors };
      const mjs = found.path.replace(/\.js$/, '.mjs');
      return { path: existsSync(mjs) ? mjs : found.path };
    });
    b.onLoad({ filter: /[\\/]node_modules[\\/]graphql[\\/]jsutils[\\/]instanceOf\.mjs$/ }, () => ({
      contents: 'export const instanceOf = function instanceOf(value, constructor) { return value instanceof constructor; };',
      loader: 'js',
    }));
  },
};

/** Packages left to Node's resolution at run time (see `external` below). */
const EXTERNAL = [
  '@electric-sql/pglite', // WebAssembly and data files beside its module
  'bcrypt', // native addon
  'pdf-lib', 'pako', 'fontkit', 'pkijs', 'asn1js', // PDF worker; pdf-lib-fast-paths patches pdf-lib's own module objects
  'pino', 'thread-stream', // log transports run in worker threads by file name
  'vite', 'esbuild', // development only
  'livekit-server-sdk', '@aws-sdk/*', '@alicloud/*', 'tencentcloud-sdk-nodejs*', 'write-excel-file', 'ioredis', '@zxcvbn-ts/*', '@graphql-yoga/render-graphiql', // loaded on first use
];

const started = performance.now();
await build({
  absWorkingDir: root,
  entryPoints: ['server/main.ts', 'server/migrate.ts', 'server/prepare-template.ts', 'server/pdf/pdf-worker.ts'],
  outdir,
  outbase: 'server',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Packages are bundled: Node resolves and links a few hundred small ES modules otherwise (about
  // 1 s of every start). These stay outside: native code, files found beside their own module
  // (WebAssembly, fonts, workers), and what loads only when used.
  external: EXTERNAL,
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [sourceUrls, graphqlModules],
});
console.log(`built ${relative(root, outdir)} in ${Math.round(performance.now() - started)} ms`);

// CI runs the tests on their own databases and never starts the server from the template.
if (process.argv.includes('--template') && process.env.CI === 'true') {
  console.log('CI: the embedded database template is left to the first start');
} else if (process.argv.includes('--template')) {
  // The module prepares the template when imported.
  await import(pathToFileURL(`${outdir}/prepare-template.js`).href);
}
