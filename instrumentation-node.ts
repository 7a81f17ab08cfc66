// Validates configuration once when the server starts, so a bad setting fails loudly and early.
import { ConfigError, getConfig } from './lib/env';

try {
  getConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`stickyscope: ${error.message}`);
  process.exit(1);
}
