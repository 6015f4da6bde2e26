import { VideoProviderError, type JoinDetails, type JoinDetailsInput, type VideoProvider } from './provider';

/** Settings for the LiveKit backend. */
export interface LiveKitProviderOptions {
  url: string;
  apiKey: string;
  apiSecret: string;
  tokenTtlSeconds?: number;
}

/** Default join-token lifetime: long enough to connect, short enough that a leaked link soon dies. */
export const DEFAULT_LIVEKIT_TOKEN_TTL_SECONDS = 600;

const ROOM_PREFIX = 'jiefen-session-';

/** Video provider minting per-participant LiveKit access tokens scoped to a single session room. */
export function createLiveKitProvider(opts: LiveKitProviderOptions): VideoProvider {
  const ttl = opts.tokenTtlSeconds ?? DEFAULT_LIVEKIT_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError('tokenTtlSeconds must be a positive integer');
  if (!opts.url || !opts.apiKey || !opts.apiSecret) {
    // The SDK would otherwise fall back to LIVEKIT_* environment variables behind our back.
    throw new Error('LiveKit url, apiKey and apiSecret are all required');
  }

  return {
    name: 'livekit',
    roomFor(sessionId: string): string {
      if (!/^[A-Za-z0-9_-]{1,100}$/.test(sessionId)) {
        throw new VideoProviderError('INVALID_ROOM', 'session id is not usable as a room name');
      }
      return `${ROOM_PREFIX}${sessionId}`;
    },
    async joinDetails(input: JoinDetailsInput): Promise<JoinDetails> {
      const { participant, roomName, now } = input;
      if (!roomName) throw new VideoProviderError('INVALID_ROOM', 'room name is required');
      if (!participant.identity) throw new VideoProviderError('INVALID_PARTICIPANT', 'participant identity is required');
      // The SDK loads with the first token, not at start.
      const { AccessToken } = await import('livekit-server-sdk');
      const at = new AccessToken(opts.apiKey, opts.apiSecret, {
        identity: participant.identity,
        name: participant.name,
        metadata: JSON.stringify({ role: participant.role, sessionId: input.sessionId }),
        ttl,
      });
      at.addGrant({
        room: roomName,
        roomJoin: true,
        canPublish: true,
        canSubscribe: true,
        canPublishData: true,
        // Only the mediator may mute or remove participants; parties must not control the session.
        roomAdmin: participant.role === 'MEDIATOR',
        roomCreate: false,
        roomList: false,
      });
      const token = await at.toJwt();
      // The SDK stamps nbf/exp from the process clock; callers pass that same instant as `now`.
      return { provider: 'livekit', url: opts.url, token, expiresAt: new Date(now.getTime() + ttl * 1000) };
    },
  };
}
