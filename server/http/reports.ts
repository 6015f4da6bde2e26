import { Router } from 'express';
import type { Deps } from '../domain/context';
import { monthlyReportXlsx } from '../domain/statistics/monthly-report';
import { actorOf } from './request';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';

/** GET /reports/monthly?region=…&month=YYYY-MM: the 月报 as XLSX, for the divisions the viewer serves. */
export function reportRoutes(deps: Deps): Router {
  const router = Router();
  router.get('/reports/monthly', async (req, res, next) => {
    try {
      const bytes = await monthlyReportXlsx(deps, actorOf(req), String(req.query.region ?? ''), String(req.query.month ?? ''));
      res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', `attachment; filename="monthly-${String(req.query.region)}-${String(req.query.month)}.xlsx"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.status(200).end(bytes);
    } catch (err) {
      if (err instanceof ValidationError) return void res.status(400).json({ error: err.message, code: err.code, fields: err.fields });
      if (err instanceof NotFoundError) return void res.status(404).json({ error: err.message, code: err.code });
      if (err instanceof ForbiddenError) return void res.status(err.code === 'UNAUTHENTICATED' ? 401 : 403).json({ error: err.message, code: err.code });
      next(err);
    }
  });
  return router;
}
