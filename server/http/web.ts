import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { ViteDevServer } from 'vite';
import type { Config } from '../config';

const WEB_ROOT = fileURLToPath(new URL('../../web', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/web', import.meta.url));

export interface WebClient {
  router: Router;
  close(): Promise<void>;
}

/** Paths only the API answers. */
const API_ONLY = /^\/(graphql|healthz|readyz|files|reports)(\/|$)/;
/** Paths both answer: a browser navigating gets the page, an API client the JSON or upload route. */
const SHARED = /^\/(verify|cases)(\/|$)/;

function wantsPage(req: Request): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && (req.headers.accept ?? '').includes('text/html');
}

function forClient(req: Request): boolean {
  if (API_ONLY.test(req.path)) return false;
  return !SHARED.test(req.path) || wantsPage(req);
}

/**
 * The web client at /. Development compiles it on request through Vite's middleware; production
 * serves the `npm run build` bundle, hashed assets cached for a year, index.html always revalidated.
 */
export async function createWebClient(config: Pick<Config, 'web'>, dist: string = DIST): Promise<WebClient | null> {
  if (config.web === 'off') return null;
  const router = express.Router();
  if (config.web === 'vite') {
    // Vite starts on the first request for a page (about half a second), not on every start.
    let starting: Promise<ViteDevServer> | null = null;
    const vite = () =>
      (starting ??= import('vite').then(({ createServer }) =>
        createServer({
          configFile: `${WEB_ROOT}/vite.config.ts`,
          root: WEB_ROOT,
          appType: 'spa',
          logLevel: 'warn',
          server: { middlewareMode: true, hmr: false },
        }),
      ).catch((err: unknown) => {
        // A failed start is tried again by the next request rather than kept.
        starting = null;
        throw err;
      }));
    // Pages and the client's modules go to Vite; the API's own paths pass straight through.
    router.use((req: Request, res: Response, next: NextFunction) => {
      if (!forClient(req)) return next();
      vite().then((server) => server.middlewares(req, res, next), next);
    });
    return { router, close: async () => void (starting ? await (await starting).close() : undefined) };
  }
  if (!existsSync(`${dist}/index.html`)) {
    throw new Error('WEB=dist but dist/web/index.html is missing: run `npm run build` first.');
  }
  const index = await readFile(`${dist}/index.html`);
  router.use(
    '/assets',
    express.static(`${dist}/assets`, { immutable: true, maxAge: '365d', index: false, fallthrough: false }),
  );
  // Client-side routes (/cases/..., /verify/...) all load the same page.
  router.use((req, res, next) => {
    if (!wantsPage(req) || !forClient(req)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(index);
  });
  return { router, close: async () => undefined };
}
