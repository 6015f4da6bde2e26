// `npm run build`: compiles the server to dist/ (plain JavaScript, run with `node`), and with
// `--template` also prepares the embedded database template. Runs with plain node: no TypeScript
// loader is needed to build.
import { relative, dirname } from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// `--outdir=<dir inside the checkout>` builds elsewhere (a test builds its own copy); packages are
// resolved from the checkout's node_modules, so the directory must stay inside it.
const outArg = process.argv.find((a) => a.startsWith('--outdir='));
const outdir = outArg ? `${root}${outArg.slice('--outdir='.length).replace(/\/+$/, '')}` : `${root}dist/server`;

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
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [sourceUrls],
});
console.log(`built ${relative(root, outdir)} in ${Math.round(performance.now() - started)} ms`);

// CI runs the tests on their own databases and never starts the server from the template.
if (process.argv.includes('--template') && process.env.CI === 'true') {
  console.log('CI: the embedded database template is left to the first start');
} else if (process.argv.includes('--template')) {
  // The module prepares the template when imported.
  await import(pathToFileURL(`${outdir}/prepare-template.js`).href);
}
