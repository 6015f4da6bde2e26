import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { checkWebhookUrl, type Resolver } from '../../server/domain/outbox/webhook-url-policy';

// Only resolution is exercised here: nothing is ever sent to these addresses.
const dns: Record<string, string[]> = {
  'court.example.cn': ['93.184.215.14'],
  'metadata.evil.example': ['169.254.169.254'],
  'rebind.evil.example': ['93.184.215.14', '10.1.2.3'],
  'v6.evil.example': ['fd12:3456::1'],
  'intranet.court.example': ['10.20.30.40'],
};
const resolve: Resolver = async (host) => {
  const a = dns[host];
  if (!a) throw new Error('ENOTFOUND');
  return a;
};
const dev = { production: false, allowedNetworks: [] as string[], resolve };
const prod = { production: true, allowedNetworks: [] as string[], resolve };

describe('webhook targets', () => {
  const refused: [string, string, typeof dev][] = [
    ['loopback', 'http://127.0.0.1:8080/hook', dev],
    ['loopback, other address', 'http://127.5.6.7/hook', dev],
    ['localhost name', 'http://localhost/hook', { ...dev, resolve: async () => ['127.0.0.1'] }],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', dev],
    ['metadata behind a name', 'https://metadata.evil.example/', dev],
    ['10/8', 'https://10.0.0.5/hook', dev],
    ['172.16/12', 'https://172.16.0.1/hook', dev],
    ['172.31 (end of 172.16/12)', 'https://172.31.255.254/hook', dev],
    ['192.168/16', 'https://192.168.1.1/hook', dev],
    ['0.0.0.0', 'http://0.0.0.0/', dev],
    ['carrier-grade NAT 100.64/10', 'https://100.64.0.1/', dev],
    ['IPv6 loopback', 'http://[::1]/hook', dev],
    ['IPv6 unique local fc00::/7', 'https://[fd00::1]/hook', dev],
    ['IPv6 unique local behind a name', 'https://v6.evil.example/hook', dev],
    ['IPv6 link-local fe80::/10', 'https://[fe80::1]/hook', dev],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hook', dev],
    ['IPv4-mapped IPv6 metadata', 'http://[::ffff:a9fe:a9fe]/hook', dev],
    ['integer-encoded loopback', 'http://2130706433/', dev],
    ['octal loopback', 'http://0177.0.0.1/', dev],
    ['hex loopback', 'http://0x7f.0.0.1/', dev],
    ['hex integer loopback', 'http://0x7f000001/', dev],
    ['short form 127.1', 'http://127.1/', dev],
    ['one internal address among public ones', 'https://rebind.evil.example/', dev],
    ['plain http in production', 'http://court.example.cn/hook', prod],
    ['a name that does not resolve', 'https://nowhere.invalid/', dev],
    ['credentials in the URL', 'https://user:pw@court.example.cn/', dev],
    ['not http', 'ftp://court.example.cn/', dev],
  ];
  for (const [what, url, policy] of refused) {
    it(`refuses ${what}: ${url}`, async () => {
      const r = await checkWebhookUrl(url, policy);
      expect(r.ok).toBe(false);
    });
  }

  const accepted: [string, string, typeof dev][] = [
    ['a public https endpoint in production', 'https://court.example.cn/hook', prod],
    ['public http outside production', 'http://court.example.cn/hook', dev],
    ['a court network the operator allows', 'http://intranet.court.example/hook', { ...prod, allowedNetworks: ['10.0.0.0/8'] }],
    ['loopback when allow-listed (local receivers in tests)', 'http://127.0.0.1:9999/hook', { ...dev, allowedNetworks: ['127.0.0.0/8'] }],
    ['an allow-listed IPv6 network', 'https://[fd00::5]/hook', { ...prod, allowedNetworks: ['fd00::/8'] }],
  ];
  for (const [what, url, policy] of accepted) {
    it(`accepts ${what}`, async () => {
      expect(await checkWebhookUrl(url, policy)).toMatchObject({ ok: true });
    });
  }

  it('an allow-list covers only its own network', async () => {
    expect((await checkWebhookUrl('https://192.168.1.1/', { ...dev, allowedNetworks: ['10.0.0.0/8'] })).ok).toBe(false);
    expect((await checkWebhookUrl('https://rebind.evil.example/', { ...dev, allowedNetworks: ['10.0.0.0/8'] })).ok).toBe(true);
  });

  it('WEBHOOK_ALLOWED_NETWORKS must be CIDRs', () => {
    expect(loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/8, fd00::/8' }).webhookAllowedNetworks).toEqual(['10.0.0.0/8', 'fd00::/8']);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS/);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/33' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS/);
    expect(loadConfig({}).outboxClaimMs).toBe(30_000);
    expect(loadConfig({ OUTBOX_CLAIM_SECONDS: '90' }).outboxClaimMs).toBe(90_000);
  });
});
