import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The real Traefik API payloads kept beside the project; absent on some machines. */
export const traefikFixturesDir = path.resolve(
  process.env.STICKYSCOPE_TRAEFIK_FIXTURES ?? path.join(__dirname, '../../../shared/fixtures/traefik'),
);

export const haveTraefikFixtures = existsSync(traefikFixturesDir);

if (!haveTraefikFixtures) {
  console.warn(`Traefik fixture tests skipped: ${traefikFixturesDir} does not exist.`);
}

export function readTraefikFixture(file: string): unknown {
  return JSON.parse(readFileSync(path.join(traefikFixturesDir, file), 'utf8'));
}
