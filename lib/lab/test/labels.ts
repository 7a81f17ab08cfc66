// Test-only: labels the test expects the lab to accept, read into their configuration.
import { readLabLabels } from '../labels';

export function labelConfigOf(name: string, labels: Record<string, string>) {
  const read = readLabLabels(name, labels);
  if (!read.ok) throw new Error(`expected the lab to accept these labels: ${read.message} ${read.issues.join('; ')}`);
  return read.config;
}
