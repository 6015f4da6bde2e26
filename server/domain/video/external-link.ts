import { VideoProviderError, type JoinDetails, type JoinDetailsInput, type VideoProvider } from './provider';

/** How long a mediator-entered link is presented as valid; the meeting host, not us, controls it. */
export const EXTERNAL_LINK_VALIDITY_MS = 12 * 60 * 60 * 1000;

/** Video provider for deployments without LiveKit: hands out the meeting URL the mediator entered. */
export function createExternalLinkProvider(): VideoProvider {
  return {
    name: 'external',
    roomFor(sessionId: string): string {
      return `session-${sessionId}`;
    },
    async joinDetails(input: JoinDetailsInput): Promise<JoinDetails> {
      const raw = input.meetingUrl?.trim();
      if (!raw) {
        throw new VideoProviderError('NO_MEETING_URL', 'the mediator has not entered a meeting link for this session');
      }
      let parsed: URL;
      try {
        parsed = new URL(raw);
      } catch {
        throw new VideoProviderError('INVALID_MEETING_URL', 'the meeting link is not a valid URL');
      }
      // Plain http or javascript: links would expose parties or run script in their browser.
      if (parsed.protocol !== 'https:') {
        throw new VideoProviderError('INVALID_MEETING_URL', 'the meeting link must use https');
      }
      return {
        provider: 'external',
        url: parsed.toString(),
        expiresAt: new Date(input.now.getTime() + EXTERNAL_LINK_VALIDITY_MS),
      };
    },
  };
}
