/** Role a participant holds in a mediation session; only the mediator moderates the room. */
export type VideoParticipantRole = 'PARTY' | 'MEDIATOR' | 'OBSERVER';

/** Who is joining a session, as shown to the other participants. */
export interface VideoParticipant {
  identity: string;
  name: string;
  role: VideoParticipantRole;
}

/** Input for producing one participant's join details. */
export interface JoinDetailsInput {
  sessionId: string;
  roomName: string;
  meetingUrl?: string | null;
  participant: VideoParticipant;
  now: Date;
}

/** What a client needs to enter the session: where, with which credential, until when. */
export interface JoinDetails {
  provider: string;
  url: string;
  token?: string;
  expiresAt: Date;
}

/** Same-time video for online sessions (OMR 16), behind one interface whatever the backend. */
export interface VideoProvider {
  readonly name: 'livekit' | 'external';
  roomFor(sessionId: string): string;
  joinDetails(input: JoinDetailsInput): Promise<JoinDetails>;
}

/** Raised when a participant cannot be given join details (no meeting link, bad room name…). */
export class VideoProviderError extends Error {
  constructor(
    readonly code: 'NO_MEETING_URL' | 'INVALID_MEETING_URL' | 'INVALID_ROOM' | 'INVALID_PARTICIPANT',
    message: string,
  ) {
    super(message);
    this.name = 'VideoProviderError';
  }
}
