// Validates configuration once when the server starts, so a bad setting fails loudly and early, and hands the
// relay to the server's direct path (scripts/server.mjs).
import { ConfigError, getConfig } from './lib/env';
import { relayResponse } from './lib/relay/respond';

try {
  getConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`stickyscope: ${error.message}`);
  process.exit(1);
}

(globalThis as unknown as { stickyscopeDirectRoutes?: Record<string, typeof relayResponse> }).stickyscopeDirectRoutes = {
  'POST /api/relay': relayResponse,
};
