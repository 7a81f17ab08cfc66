// Builds the app once before the files start their dashboards, so no file's start-up includes a build.
import { buildIfStale } from '../../scripts/build.mjs';

export default function setup(): void {
  const status = buildIfStale('the attack suite runs against the built server');
  if (status !== 0) throw new Error(`the build failed (exit ${status})`);
}
