import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerParty, type Login } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';

let ctx: TestContext;
let server: Server;
let port: number;
let party: Login;

beforeAll(async () => {
  ctx = await createTestContext({ config: { EVIDENCE_MAX_BYTES: String(64 * 1024) } });
  party = await registerParty(ctx);
  server = ctx.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server?.closeAllConnections();
  await ctx?.close();
});

/** Sends raw bytes, half-closes the socket and collects everything the server answers until it closes. */
function raw(bytes: string | Buffer, opts: { halfClose?: boolean; destroyAfterMs?: number } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(bytes, () => {
      if (opts.destroyAfterMs !== undefined) setTimeout(() => socket.destroy(), opts.destroyAfterMs);
      else if (opts.halfClose !== false) socket.end();
    });
    setTimeout(() => socket.destroy(), 5000);
  });
}

function truncatedUpload(token: string, caseId: string, cut: 'inside-file' | 'inside-headers' | 'after-field', missing = 2000) {
  const boundary = '----jiefenfuzz' + randomUUID().slice(0, 8);
  const parts = [
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n借条\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
  ];
  let body: string;
  if (cut === 'inside-file') body = parts.join('') + 'x'.repeat(500); // no closing boundary
  else if (cut === 'inside-headers') body = parts[0] + `--${boundary}\r\nContent-Disposition: form-da`;
  else body = parts[0]!;
  // With `missing` > 0 the declared length is what a complete body would have had: the HTTP body
  // itself ends early. With 0 the HTTP body is complete but the multipart inside it is cut off.
  const declared = Buffer.byteLength(body) + missing;
  return (
    `POST /cases/${caseId}/evidence HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${declared}\r\nConnection: close\r\n\r\n` +
    body
  );
}

async function healthz(): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return res.status;
}

describe('a truncated multipart upload', () => {
  it('ends inside the file part: the client gets an answer or a closed socket, and the server keeps serving', async () => {
    // The case id need not exist: the body is parsed before the case is looked up.
    for (const cut of ['inside-file', 'inside-headers', 'after-field'] as const) {
      // The HTTP body ends early: Node's parser answers 400 itself; nothing internal leaks.
      const early = await raw(truncatedUpload(party.token, randomUUID(), cut));
      expect(early).toMatch(/^HTTP\/1\.1 400/);
      expect(early).not.toMatch(/Unexpected end of form|at .*\.[jt]s:\d+/);
      expect(await healthz()).toBe(200);
      // A complete HTTP body holding a cut-off form: the route answers a typed 400 naming the file.
      const cutForm = await raw(truncatedUpload(party.token, randomUUID(), cut, 0), { halfClose: false });
      expect(cutForm).toMatch(/^HTTP\/1\.1 400/);
      expect(cutForm).toContain('"field":"file"');
      expect(cutForm).not.toMatch(/Unexpected end of form|at .*\.[jt]s:\d+/);
      expect(await healthz()).toBe(200);
    }
  });

  it('a client that vanishes mid-upload (socket destroyed) leaves the server serving', async () => {
    const full = truncatedUpload(party.token, randomUUID(), 'inside-file');
    await raw(full, { destroyAfterMs: 50 });
    await new Promise((r) => setTimeout(r, 100));
    expect(await healthz()).toBe(200);
  });

  it('a garbage body with a multipart type and no boundary end is a 400, not a crash', async () => {
    const body = '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n\u0000\u0001';
    const req =
      `POST /cases/${randomUUID()}/evidence HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${party.token}\r\n` +
      `Content-Type: multipart/form-data; boundary=x\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
    const answer = await raw(req, { halfClose: false });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(await healthz()).toBe(200);
  });
});
