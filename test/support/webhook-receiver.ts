import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WEBHOOK_SIGNATURE_HEADER, verifyWebhookSignature } from '../../server/jobs/webhook-signature';

/**
 * How the receiver answers: `up` 200, `down` 503, `reset` drops the connection without an answer
 * (a network error for the sender), `hang` never answers (the sender's timeout fires).
 */
export type ReceiverMode = 'up' | 'down' | 'reset' | 'hang';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  body: string;
  /** Parsed body, or null when it is not JSON. */
  json: { id: string; type: string; createdAt: string; data: Record<string, unknown> } | null;
  /** Whether X-Jiefen-Signature verified against `secret` at the time of receipt. */
  signatureValid: boolean;
  /** What the receiver answered. */
  mode: ReceiverMode;
}

export interface WebhookReceiver {
  url: string;
  /** Every request, in arrival order, whatever the mode. */
  readonly requests: ReceivedWebhook[];
  /** Requests answered with 2xx: what a real receiver would have processed. */
  accepted(): ReceivedWebhook[];
  mode: ReceiverMode;
  /** The webhook secret to verify with (known only after the API client is created). */
  secret: string | null;
  /** Delay before answering, to keep concurrent senders overlapping. */
  delayMs: number;
  close(): Promise<void>;
}

/**
 * A local webhook endpoint on 127.0.0.1 and a free port. `now` is the time signatures are checked
 * against: tests pass their moved clock, since the sender signs with the injected clock.
 */
export async function startWebhookReceiver(opts: { now?: () => Date; path?: string } = {}): Promise<WebhookReceiver> {
  const now = opts.now ?? (() => new Date());
  const sockets = new Set<Socket>();
  const receiver: WebhookReceiver = {
    url: '',
    requests: [],
    accepted: () => receiver.requests.filter((r) => r.mode === 'up'),
    mode: 'up',
    secret: null,
    delayMs: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()];
      const signatureValid =
        receiver.secret !== null &&
        typeof header === 'string' &&
        verifyWebhookSignature(receiver.secret, header, body, Math.floor(now().getTime() / 1000));
      let json: ReceivedWebhook['json'] = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const mode = receiver.mode;
      receiver.requests.push({ headers: req.headers, body, json, signatureValid, mode });
      const answer = () => {
        if (mode === 'hang') return;
        if (mode === 'reset') {
          req.socket.destroy();
          return;
        }
        const status = mode === 'up' ? 200 : 503;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(mode === 'up' ? 'ok' : 'unavailable');
      };
      if (receiver.delayMs > 0) setTimeout(answer, receiver.delayMs);
      else answer();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}${opts.path ?? '/webhooks/jiefen'}`;
  return receiver;
}
