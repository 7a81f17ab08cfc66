// A DNS lookup that refuses some answers: a hostname the relay may fetch must not resolve it into a place it may not
// reach (a cloud metadata address, say), whether by design or by rebinding between the check and the connection.
// Node only, like the transports that use it.
import dns from 'node:dns';
import type net from 'node:net';

/** True when a connection to `address` (an IP, as resolved) may go ahead. */
export type AddressGuard = (address: string) => boolean;

type Answer = { address: string; family: number };

export function guardedLookup(allow: AddressGuard): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, options, (error, address: string | Answer[], family?: number) => {
      if (error) return (callback as (e: Error) => void)(error);
      const answers: Answer[] = Array.isArray(address) ? address : [{ address, family: family ?? 0 }];
      const refused = answers.find((a) => !allow(a.address));
      if (refused) {
        const blocked = Object.assign(new Error(`${hostname} resolves to ${refused.address}, an address the relay does not reach`), { code: 'EADDRBLOCKED' });
        return (callback as (e: Error) => void)(blocked);
      }
      (callback as (e: null, a: string | Answer[], f?: number) => void)(null, address, family);
    });
  };
}
