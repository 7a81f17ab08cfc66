// When the server starts: validates configuration, so a bad setting fails loudly and early; starts the demo lab
// when it is on, so the first page already has it; hands the front door and the relay to the server
// (scripts/server.mjs), which reaches TypeScript code only through this registry.
import { ConfigError, getConfig } from './lib/env';
import { getLab } from './lib/lab';
import { directRelayRoute, type DirectRoute } from './lib/relay/respond';
import { createFront, type Front } from './lib/web/front';
import { machineNames } from './lib/web/machine-names';

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

/** What scripts/server.mjs takes from the app; it puts `register` on globalThis before Next starts. */
type ServerParts = {
  createFront: (options: { dev: boolean }) => Front;
  directRoutes: Record<string, DirectRoute>;
};

(globalThis as { stickyscopeServer?: { register(parts: ServerParts): void } }).stickyscopeServer?.register({
  createFront: ({ dev }) => createFront(getConfig().web, machineNames(), dev),
  directRoutes: { 'POST /api/relay': directRelayRoute },
});
