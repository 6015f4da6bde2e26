import { Router } from 'express';
import { agreementFile, loadVisibleAgreement } from '../domain/agreements/agreement-access';
import { verifyAgreement } from '../domain/agreements/verify-agreement';
import type { Deps } from '../domain/context';
import { NotFoundError } from '../domain/errors';

const FILE_RE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.pdf$/i;

/**
 * Agreement PDFs for those who may see the case (the signed one once effective, else the draft),
 * and the public verification answer as JSON.
 */
export function agreementFiles(deps: Deps): Router {
  const router = Router();

  router.get('/files/agreements/:file', async (req, res, next) => {
    try {
      // Anonymous callers learn nothing about which ids exist: 401 for every id.
      if (!req.viewer) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        res.status(401).json({ error: 'Log in first.' });
        return;
      }
      const id = FILE_RE.exec(String(req.params.file))?.[1]?.toLowerCase();
      if (!id) throw new NotFoundError('Agreement');
      const agreement = await loadVisibleAgreement(deps.db, req.viewer, id);
      const file = await agreementFile(deps.db, agreement);
      if (!file) throw new NotFoundError('Agreement');
      const bytes = await deps.storage.get(file.storageKey);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Length', String(bytes.byteLength));
      res.setHeader('Content-Disposition', `inline; filename="agreement-${agreement.id}-v${agreement.version}.pdf"`);
      res.setHeader('ETag', `"${file.sha256}"`);
      res.setHeader('X-Content-SHA256', file.sha256);
      // Confidential (SIM 2): never kept by shared caches.
      res.setHeader('Cache-Control', 'private, no-store');
      res.status(200).end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (err) {
      if (err instanceof NotFoundError) {
        res.status(404).json({ error: 'Not found.' });
        return;
      }
      next(err);
    }
  });

  router.get('/verify/:code', async (req, res, next) => {
    try {
      const result = await verifyAgreement(deps, String(req.params.code));
      if (!result) {
        res.status(404).json({ error: 'Unknown verification code.' });
        return;
      }
      res.status(200).json({
        ...result,
        effectiveAt: result.effectiveAt?.toISOString() ?? null,
        confirmationDeadline: result.confirmationDeadline?.toISOString() ?? null,
      });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
