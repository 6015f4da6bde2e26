import { TokenVerifier } from 'livekit-server-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  VideoProviderError,
  createExternalLinkProvider,
  createLiveKitProvider,
  videoProviderFromConfig,
} from '../../server/domain/video';

const cfg = { url: 'wss://video.jiefen.example', apiKey: 'APIjiefenkey', apiSecret: 'secret-0123456789abcdef0123456789abcdef' };
const now = new Date('2026-03-01T02:00:00.000Z');
const nowSec = now.getTime() / 1000;

describe('LiveKit provider', () => {
  beforeEach(() => {
    // The SDK stamps nbf/exp from the process clock; pinning it makes exp exact.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const provider = createLiveKitProvider(cfg);
  const room = provider.roomFor('sess_42');

  async function join(role: 'PARTY' | 'MEDIATOR' | 'OBSERVER', identity = `user_${role}`) {
    return provider.joinDetails({
      sessionId: 'sess_42',
      roomName: room,
      participant: { identity, name: '张三', role },
      now,
    });
  }

  it('names one room per session', () => {
    expect(provider.name).toBe('livekit');
    expect(room).toBe('jiefen-session-sess_42');
    expect(provider.roomFor('sess_43')).not.toBe(room);
    expect(() => provider.roomFor('../x')).toThrow(VideoProviderError);
  });

  it('mints a token that verifies with the configured secret and carries identity, name and role', async () => {
    const details = await join('PARTY');
    expect(details.provider).toBe('livekit');
    expect(details.url).toBe(cfg.url);
    expect(details.expiresAt.toISOString()).toBe('2026-03-01T02:10:00.000Z');
    const claims = await new TokenVerifier(cfg.apiKey, cfg.apiSecret).verify(details.token!);
    expect(claims.sub).toBe('user_PARTY');
    expect(claims.iss).toBe(cfg.apiKey);
    expect(claims.name).toBe('张三');
    expect(JSON.parse(claims.metadata!)).toEqual({ role: 'PARTY', sessionId: 'sess_42' });
  });

  it('grants joining that room only, with publish and subscribe, and no admin for a party', async () => {
    const claims = await new TokenVerifier(cfg.apiKey, cfg.apiSecret).verify((await join('PARTY')).token!);
    expect(claims.video?.room).toBe(room);
    expect(claims.video?.roomJoin).toBe(true);
    expect(claims.video?.canPublish).toBe(true);
    expect(claims.video?.canSubscribe).toBe(true);
    expect(claims.video?.roomAdmin).toBe(false);
    expect(claims.video?.roomCreate).toBe(false);
    expect(claims.video?.roomList).toBe(false);
  });

  it('gives roomAdmin to the mediator only', async () => {
    const verifier = new TokenVerifier(cfg.apiKey, cfg.apiSecret);
    const byRole = await Promise.all(
      (['MEDIATOR', 'PARTY', 'OBSERVER'] as const).map(async (r) => (await verifier.verify((await join(r)).token!)).video?.roomAdmin),
    );
    expect(byRole).toEqual([true, false, false]);
  });

  it('expires after the short ttl', async () => {
    const claims = await new TokenVerifier(cfg.apiKey, cfg.apiSecret).verify((await join('PARTY')).token!);
    expect(claims.exp).toBe(nowSec + 600);
    expect(claims.nbf).toBe(nowSec);

    const shortLived = createLiveKitProvider({ ...cfg, tokenTtlSeconds: 60 });
    const d = await shortLived.joinDetails({ sessionId: 's', roomName: 'r', participant: { identity: 'u', name: 'n', role: 'PARTY' }, now });
    expect(d.expiresAt.getTime() - now.getTime()).toBe(60_000);
    const tokenClaims = await new TokenVerifier(cfg.apiKey, cfg.apiSecret).verify(d.token!);
    expect(tokenClaims.exp).toBe(nowSec + 60);
  });

  it('is rejected once expired', async () => {
    const token = (await join('PARTY')).token!;
    vi.setSystemTime(new Date(now.getTime() + 11 * 60 * 1000));
    await expect(new TokenVerifier(cfg.apiKey, cfg.apiSecret).verify(token, 0)).rejects.toThrow();
  });

  it('fails to verify with a wrong secret or key', async () => {
    const token = (await join('MEDIATOR')).token!;
    await expect(new TokenVerifier(cfg.apiKey, 'wrong-secret-0123456789abcdef0123').verify(token)).rejects.toThrow();
    await expect(new TokenVerifier('APIother', cfg.apiSecret).verify(token)).rejects.toThrow();
  });

  it('refuses incomplete settings instead of reading the environment', () => {
    expect(() => createLiveKitProvider({ ...cfg, apiSecret: '' })).toThrow();
    expect(() => createLiveKitProvider({ ...cfg, tokenTtlSeconds: 0 })).toThrow(RangeError);
  });
});

describe('external link provider', () => {
  const provider = createExternalLinkProvider();
  const base = { sessionId: 's1', roomName: provider.roomFor('s1'), participant: { identity: 'u', name: '李四', role: 'PARTY' as const }, now };

  it('returns the mediator-entered meeting URL without a token', async () => {
    const d = await provider.joinDetails({ ...base, meetingUrl: ' https://meeting.tencent.com/dm/abc123 ' });
    expect(provider.name).toBe('external');
    expect(d).toEqual({ provider: 'external', url: 'https://meeting.tencent.com/dm/abc123', expiresAt: expect.any(Date) });
    expect(d.token).toBeUndefined();
    expect(d.expiresAt.getTime()).toBeGreaterThan(now.getTime());
  });

  it.each([undefined, null, '', '   '])('errors when no link was entered (%s)', async (meetingUrl) => {
    await expect(provider.joinDetails({ ...base, meetingUrl })).rejects.toMatchObject({ code: 'NO_MEETING_URL' });
  });

  it.each(['not a url', 'http://meeting.example/x', 'javascript:alert(1)'])('rejects an unsafe link %s', async (meetingUrl) => {
    await expect(provider.joinDetails({ ...base, meetingUrl })).rejects.toMatchObject({ code: 'INVALID_MEETING_URL' });
  });
});

describe('videoProviderFromConfig', () => {
  it('chooses LiveKit when fully configured', () => {
    expect(videoProviderFromConfig({ livekitUrl: cfg.url, livekitApiKey: cfg.apiKey, livekitApiSecret: cfg.apiSecret }).name).toBe('livekit');
  });
  it('falls back to external links when LiveKit is not configured', () => {
    expect(videoProviderFromConfig({}).name).toBe('external');
    expect(videoProviderFromConfig({ livekitUrl: '', livekitApiKey: '', livekitApiSecret: '' }).name).toBe('external');
  });
  it('fails loudly on a half configuration', () => {
    expect(() => videoProviderFromConfig({ livekitUrl: cfg.url, livekitApiKey: cfg.apiKey })).toThrow(/incomplete/);
  });
});
