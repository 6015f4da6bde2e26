import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import type { TestContext } from './harness';

/** A small but real-looking file of each accepted kind, with random content so every upload is new bytes. */
export const sample = {
  pdf: (size = 2048) => fill(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1'), size),
  jpeg: (size = 2048) => fill(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), size),
  png: (size = 2048) => fill(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]), size),
  m4a: (size = 2048) => fill(Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A \0\0\0\0M4A mp42isom', 'latin1')]), size),
  mp3: (size = 2048) => fill(Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), size),
  exe: (size = 2048) => fill(Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), size),
  html: () => Buffer.from('<!DOCTYPE html><html><body><script>fetch("/graphql")</script>%PDF-1.7</body></html>'),
};

function fill(head: Buffer, size: number): Buffer {
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]);
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface UploadOptions {
  bytes: Buffer;
  fileName?: string;
  contentType?: string;
  title?: string;
  description?: string;
  visibility?: 'SHARED' | 'MEDIATOR_ONLY';
}

/** Uploads through the multipart route as the given token's user. */
export function upload(ctx: TestContext, token: string | null, caseId: string, o: UploadOptions) {
  const req = request(ctx.app).post(`/cases/${encodeURIComponent(caseId)}/evidence`);
  if (token) req.set('authorization', `Bearer ${token}`);
  req.field('title', o.title ?? '借条照片');
  if (o.description) req.field('description', o.description);
  if (o.visibility) req.field('visibility', o.visibility);
  return req.attach('file', o.bytes, { filename: o.fileName ?? 'evidence.pdf', contentType: o.contentType ?? 'application/pdf' });
}

/** Downloads an item; the body is always a Buffer, whatever the content type. */
export function download(ctx: TestContext, token: string | null, evidenceId: string) {
  const req = request(ctx.app).get(`/files/evidence/${evidenceId}`);
  if (token) req.set('authorization', `Bearer ${token}`);
  return req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
}

export const CASE_EVIDENCE = /* GraphQL */ `
  query ($id: ID!) {
    case(id: $id) {
      id
      evidence { id title description fileName contentType size sha256 visibility uploadedAt uploaderName uploaderRole uploadedByMe withdrawnAt downloadUrl }
      events { type actorRole data }
      recordVerification { valid count }
    }
  }
`;

export const WITHDRAW = /* GraphQL */ `
  mutation ($input: WithdrawEvidenceInput!) {
    withdrawEvidence(input: $input) {
      __typename
      ... on WithdrawEvidenceSuccess { evidence { id withdrawnAt withdrawnReason visibility } }
      ... on Error { code message }
    }
  }
`;
