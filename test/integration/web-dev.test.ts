import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createWebClient } from '../../server/http/web';

// Development serves the client through Vite's middleware, started on the first page request.
describe.skipIf(Boolean(process.env.DATABASE_URL))('web client in development', () => {
  it('starts Vite on the first page request, serves the page and the modules, and leaves the API paths alone', async () => {
    const web = await createWebClient({ web: 'vite' });
    const app = express();
    app.use(web!.router);
    app.use((_req, res) => void res.status(418).send('api'));
    try {
      const page = await request(app).get('/cases/abc').set('accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<div id="root"></div>');
      expect(page.text).toContain('/src/main.tsx');
      const module = await request(app).get('/src/main.tsx');
      expect(module.status).toBe(200);
      expect(module.headers['content-type']).toMatch(/javascript/);
      // The API's own paths never reach Vite.
      const api = await request(app).get('/graphql').set('accept', 'text/html');
      expect([api.status, api.text]).toEqual([418, 'api']);
    } finally {
      await web!.close();
    }
  }, 120_000);
});
