import { createExternalLinkProvider } from './external-link';
import { createLiveKitProvider } from './livekit';
import type { VideoProvider } from './provider';

export * from './provider';
export { createLiveKitProvider, DEFAULT_LIVEKIT_TOKEN_TTL_SECONDS, type LiveKitProviderOptions } from './livekit';
export { createExternalLinkProvider, EXTERNAL_LINK_VALIDITY_MS } from './external-link';

/** LiveKit when all three settings are present, otherwise mediator-entered external links. */
export function videoProviderFromConfig(cfg: {
  livekitUrl?: string;
  livekitApiKey?: string;
  livekitApiSecret?: string;
}): VideoProvider {
  const set = [cfg.livekitUrl, cfg.livekitApiKey, cfg.livekitApiSecret].filter((v) => !!v).length;
  if (set === 3) {
    return createLiveKitProvider({
      url: cfg.livekitUrl as string,
      apiKey: cfg.livekitApiKey as string,
      apiSecret: cfg.livekitApiSecret as string,
    });
  }
  // A half-configured LiveKit is a deployment mistake; silently falling back would hide it.
  if (set > 0) throw new Error('LiveKit configuration is incomplete: url, api key and api secret are all required');
  return createExternalLinkProvider();
}
