import 'server-only';
import os from 'node:os';

/** Interfaces worth naming; a host with more is not one people reach the dashboard on by address. */
const MAX_ADDRESSES = 256;

/** This machine's own name and interface addresses: the names a dashboard on it is reached by without a proxy. */
export function machineNames(): string[] {
  const addresses = Object.values(os.networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .map((entry) => entry.address)
    .slice(0, MAX_ADDRESSES);
  return [os.hostname(), ...addresses];
}
