// When the server starts: validates configuration, so a bad setting fails loudly and early; starts the demo lab
// when it is on, so the first page already has it; hands the relay to the server's direct path (scripts/server.mjs).
import { ConfigError, getConfig } from './lib/env';
import { getLab } from './lib/lab';
import { relayResponse } from './lib/relay/respond';

try {
  if (getConfig().lab) {
    // A lab that fails to start is reported by the lab source on every page; the dashboard still serves the cluster.
    getLab().catch((error: unknown) => console.error('stickyscope: the demo lab did not start:', error));
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`stickyscope: ${error.message}`);
  process.exit(1);
}

(globalThis as unknown as { stickyscopeDirectRoutes?: Record<string, typeof relayResponse> }).stickyscopeDirectRoutes = {
  'POST /api/relay': relayResponse,
};
