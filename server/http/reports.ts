import { Router } from 'express';
import type { Deps } from '../domain/context';
import { monthlyReportPdf, monthlyReportXlsx } from '../domain/statistics/monthly-report';
import { subsidyStatementXlsx } from '../domain/subsidies/statement-xlsx';
import { actorOf } from './request';
import { DeadlineError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';

/** GET /reports/monthly?region=…&month=YYYY-MM[&format=pdf]: the 月报 as XLSX (default) or PDF, for the divisions the viewer serves. */
export function reportRoutes(deps: Deps): Router {
  const router = Router();
  router.get('/reports/monthly', async (req, res, next) => {
    try {
      const region = String(req.query.region ?? '');
      const month = String(req.query.month ?? '');
      const format = String(req.query.format ?? 'xlsx');
      if (format !== 'xlsx' && format !== 'pdf') throw ValidationError.field('format', 'is xlsx or pdf');
      const bytes = format === 'pdf' ? await monthlyReportPdf(deps, actorOf(req), region, month) : await monthlyReportXlsx(deps, actorOf(req), region, month);
      const safe = (v: string) => v.replace(/[^0-9A-Za-z-]/g, '');
      res.setHeader('Content-Type', format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', `attachment; filename="monthly-${safe(region)}-${safe(month)}.${format}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.status(200).end(bytes);
    } catch (err) {
      if (err instanceof ValidationError) return void res.status(400).json({ error: err.message, code: err.code, fields: err.fields });
      if (err instanceof NotFoundError) return void res.status(404).json({ error: err.message, code: err.code });
      if (err instanceof ForbiddenError && err.code === 'RATE_LIMITED') {
        // Other reports hold every place of the instance's line (STATISTICS_CONCURRENCY).
        if (err.retryAt) res.setHeader('Retry-After', String(Math.max(1, Math.ceil((err.retryAt.getTime() - deps.clock.now().getTime()) / 1000))));
        return void res.status(429).json({ error: err.message, code: err.code });
      }
      if (err instanceof ForbiddenError) return void res.status(err.code === 'UNAUTHENTICATED' ? 401 : 403).json({ error: err.message, code: err.code });
      // The report ran past its time limit (STATISTICS_TIMEOUT_MS).
      if (err instanceof DeadlineError) return void res.status(503).json({ error: err.message, code: err.code });
      next(err);
    }
  });
  /** GET /reports/subsidy-statements/<id>.xlsx: a 以案定补 statement, for the offices that handle it. */
  router.get('/reports/subsidy-statements/:file', async (req, res, next) => {
    try {
      const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.xlsx$/i.exec(req.params.file);
      if (!m) throw new NotFoundError('SubsidyStatement');
      const { bytes, filename } = await subsidyStatementXlsx(deps, actorOf(req), m[1]!.toLowerCase());
      res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.status(200).end(bytes);
    } catch (err) {
      if (err instanceof NotFoundError) return void res.status(404).json({ error: err.message, code: err.code });
      if (err instanceof ForbiddenError) return void res.status(err.code === 'UNAUTHENTICATED' ? 401 : 403).json({ error: err.message, code: err.code });
      next(err);
    }
  });
  return router;
}
