import { encodeGlobalID } from '@pothos/plugin-relay';
import busboy from 'busboy';
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../domain/context';
import { actorOf } from './request';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import type { EvidenceWithFile } from '../domain/evidence/evidence-access';
import { readEvidenceFile } from '../domain/evidence/read-evidence-file';
import { ACCEPTED_TYPES, FileTooLargeError, UnsupportedFileTypeError, evidenceDownloadUrl } from '../domain/evidence/rules';
import { uploadEvidence } from '../domain/evidence/upload-evidence';
import { localId } from '../graphql/ids';
import { acceptText } from '../domain/validation';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Room for the form fields and multipart framing around the file itself. */
const FORM_OVERHEAD = 64 * 1024;


/** RFC 6266 / RFC 5987: an ASCII fallback plus the exact UTF-8 name (Chinese names survive). */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function evidenceJson(deps: Deps, e: EvidenceWithFile) {
  return {
    id: encodeGlobalID('Evidence', e.evidence.id),
    evidenceId: e.evidence.id,
    title: e.evidence.title,
    description: e.evidence.description,
    fileName: e.file.fileName,
    contentType: e.file.contentType,
    size: e.file.size,
    sha256: e.file.sha256,
    visibility: e.evidence.visibility,
    uploadedAt: e.evidence.createdAt.toISOString(),
    uploaderName: e.uploaderName,
    downloadUrl: evidenceDownloadUrl(deps.config.publicUrl, e.evidence.id),
  };
}

/**
 * Answers before the body is read (or after a part was refused) and throws the rest of the body
 * away, so the client receives the answer instead of a broken pipe; a client that keeps sending far
 * past what it could legitimately send is cut off.
 */
function rejectEarly(req: Request, res: Response, status: number, body: Record<string, unknown>, cap: number) {
  let seen = 0;
  req.on('error', () => {});
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > cap) req.destroy();
  });
  req.resume();
  res.setHeader('Connection', 'close');
  res.status(status).json(body);
}

/** Maps the closed set of domain errors to HTTP answers; anything else goes to the app's error handler. */
function sendError(req: Request, res: Response, err: unknown): boolean {
  if (!(err instanceof AppError)) return false;
  const requestId = req.requestId;
  if (err instanceof FileTooLargeError) {
    res.status(413).json({ error: err.message, code: err.code, fields: err.fields, maxBytes: err.maxBytes, requestId });
  } else if (err instanceof UnsupportedFileTypeError) {
    res.status(415).json({ error: err.message, code: err.code, fields: err.fields, accepted: ACCEPTED_TYPES, requestId });
  } else if (err instanceof ValidationError) {
    res.status(400).json({ error: err.message, code: err.code, fields: err.fields, requestId });
  } else if (err instanceof NotFoundError) {
    res.status(404).json({ error: err.message, code: err.code, requestId });
  } else if (err instanceof ForbiddenError) {
    if (err.code === 'UNAUTHENTICATED') res.setHeader('WWW-Authenticate', 'Bearer');
    res.status(err.code === 'UNAUTHENTICATED' ? 401 : 403).json({ error: err.message, code: err.code, requestId });
  } else {
    // INVALID_TRANSITION, CONFLICT, DEADLINE_PASSED: the request clashes with the case's state.
    res.status(409).json({ error: err.message, code: err.code, requestId });
  }
  return true;
}

/** Form text passes the same rule as GraphQL input (NFC, no control characters, no lone surrogates). */
function formText(field: string, value: string): string {
  const r = acceptText(value);
  if (!r.ok) throw ValidationError.field(field, r.message);
  return r.value;
}

/** A case id as the API hands it out (global id) or as a plain UUID. */
function caseIdOf(raw: string): string | null {
  if (UUID_RE.test(raw)) return raw;
  try {
    return localId(raw, 'Case', 'caseId');
  } catch {
    return null;
  }
}

interface ParsedForm {
  fields: Record<string, string>;
  file: { bytes: Uint8Array; fileName: string } | null;
  tooLarge: boolean;
  malformed: string | null;
}

/** Streams a multipart form: one part named `file`, cut off at `maxBytes` (never buffered beyond it). */
function parseForm(req: Request, maxBytes: number): Promise<ParsedForm> {
  return new Promise((resolve, reject) => {
    const form: ParsedForm = { fields: {}, file: null, tooLarge: false, malformed: null };
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        // One byte over the limit is enough to know the file is too large; busboy discards the rest.
        // Browsers send UTF-8 file names (e.g. 借条.pdf); busboy would read them as Latin-1.
        defParamCharset: 'utf8',
        limits: { fileSize: maxBytes + 1, files: 1, fields: 10, fieldSize: 8 * 1024, parts: 11, headerPairs: 50 },
      });
    } catch {
      reject(new ValidationError([{ field: 'file', message: 'send multipart/form-data' }], 'Send the file as multipart/form-data.'));
      return;
    }
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve(form);
    };
    const fail = (message: string) => {
      form.malformed ??= message;
      req.unpipe(bb);
      // Drain what is left so the answer can still be written on the open connection.
      req.resume();
      finish();
    };
    bb.on('file', (name, stream, info) => {
      // A body that ends inside this part makes the part's stream emit 'error' as well as busboy:
      // without a listener that error would be thrown at the process.
      stream.on('error', () => fail('the multipart body is malformed'));
      if (name !== 'file' || form.file) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        if (form.tooLarge) return;
        size += chunk.length;
        if (size > maxBytes) {
          form.tooLarge = true;
          chunks.length = 0;
        } else chunks.push(chunk);
      });
      stream.on('limit', () => {
        form.tooLarge = true;
        chunks.length = 0;
      });
      stream.on('end', () => {
        if (!form.tooLarge) form.file = { bytes: new Uint8Array(Buffer.concat(chunks, size)), fileName: info.filename ?? '' };
      });
    });
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) form.malformed = `${name} is too long`;
      else form.fields[name] = value;
    });
    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      bb.on(limit, () => {
        form.malformed = 'too many parts: send one file and the fields title, description, visibility';
      });
    }
    bb.on('close', finish);
    bb.on('error', () => fail('the multipart body is malformed'));
    // The client going away mid-body: nothing to answer, but nothing may be thrown either.
    req.on('error', () => fail('the upload was interrupted'));
    req.on('aborted', () => fail('the upload was interrupted'));
    req.pipe(bb);
  });
}

/** Evidence upload (`POST /cases/:caseId/evidence`) and authorised download (`GET /files/evidence/:id`). */
export function evidenceRoutes(deps: Deps): Router {
  const router = Router();
  const maxBytes = deps.config.evidenceMaxBytes;

  router.post('/cases/:caseId/evidence', async (req, res, next) => {
    try {
      if (!req.viewer) {
        rejectEarly(req, res, 401, { error: 'Log in first.', code: 'UNAUTHENTICATED', requestId: req.requestId }, maxBytes + FORM_OVERHEAD);
        return;
      }
      const caseId = caseIdOf(String(req.params.caseId));
      if (!caseId) {
        rejectEarly(req, res, 404, { error: 'Case not found.', code: 'NOT_FOUND', requestId: req.requestId }, maxBytes + FORM_OVERHEAD);
        return;
      }
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > maxBytes + FORM_OVERHEAD) {
        const err = new FileTooLargeError(maxBytes);
        rejectEarly(req, res, 413, { error: err.message, code: err.code, fields: err.fields, maxBytes, requestId: req.requestId }, declared);
        return;
      }
      const form = await parseForm(req, maxBytes);
      if (form.tooLarge) throw new FileTooLargeError(maxBytes);
      if (form.malformed) throw ValidationError.field('file', form.malformed);
      if (!form.file) throw ValidationError.field('file', 'is required');
      const created = await uploadEvidence(deps, actorOf(req), {
        caseId,
        title: formText('title', form.fields.title ?? ''),
        description: form.fields.description === undefined ? null : formText('description', form.fields.description),
        visibility: form.fields.visibility ?? null,
        fileName: formText('fileName', form.file.fileName),
        bytes: form.file.bytes,
      });
      res.status(201).json({ evidence: evidenceJson(deps, created) });
    } catch (err) {
      if (!sendError(req, res, err)) next(err);
    }
  });

  router.get('/files/evidence/:evidenceId', async (req, res, next) => {
    try {
      if (!req.viewer) throw ForbiddenError.unauthenticated();
      const found = await readEvidenceFile(deps, actorOf(req), String(req.params.evidenceId));
      res.setHeader('Content-Type', found.file.contentType);
      res.setHeader('Content-Length', String(found.bytes.byteLength));
      res.setHeader('Content-Disposition', contentDisposition(found.file.fileName));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      // Nothing in a case file may be cached by a shared proxy or run as a page if opened directly.
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('ETag', `"${found.file.sha256}"`);
      res.setHeader('X-Content-SHA256', found.file.sha256);
      res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(found.file.sha256, 'hex').toString('base64')}:`);
      res.status(200).end(Buffer.from(found.bytes.buffer, found.bytes.byteOffset, found.bytes.byteLength));
    } catch (err) {
      if (!sendError(req, res, err)) next(err);
    }
  });

  return router;
}
