// Validates configuration once when the server starts, so a bad setting fails loudly and early.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getConfig, ConfigError } = await import('./lib/env');
  try {
    getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`stickyscope: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
