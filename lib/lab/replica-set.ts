import 'server-only';
// The replicas of one lab service, started on loopback. A scenario may have each replica replaced after a number of
// requests, as Swarm reschedules a task: the old address goes away, a new slot starts on a new one.
import type http from 'node:http';
import { createReplicaServer, type ReplicaIdentity } from './replica';
import type { LabReplicaApp, LabScenario } from './scenarios';
import { createShinyReplicaServer } from './shiny-emulation';
import type { LabServer } from './sticky';

const MAX_REMOVED_SHOWN = 3;

const REPLICA_SERVERS = {
  node: createReplicaServer,
  'shiny-emulation': createShinyReplicaServer,
} satisfies Record<LabReplicaApp, (identity: ReplicaIdentity, onRequest?: () => void) => http.Server>;

export type LabReplica = { slot: number; hostname: string; server: LabServer };

export type ReplicaSet = {
  /** Every replica on show, the last few removed ones included. */
  replicas: LabReplica[];
  /** The servers the balancer may pick: replicas join when they listen and leave when they are replaced. */
  servers: LabServer[];
};

export type ServerHost = {
  /** Listens on loopback and returns the URL; the lab closes the server when it stops. */
  start(server: http.Server): Promise<string>;
  close(server: http.Server): Promise<void>;
  stopped(): boolean;
};

export async function startReplicaSet(scenario: LabScenario, host: ServerHost): Promise<ReplicaSet> {
  const set: ReplicaSet = { replicas: [], servers: [] };
  let lastSlot = scenario.replicas;
  const startReplica = async (slot: number) => {
    const hostname = `${scenario.name}-${slot}`;
    const server: LabServer = { url: '', weight: 1, alive: true };
    let served = 0;
    const listener = REPLICA_SERVERS[scenario.app ?? 'node']({ replica: hostname, hostname }, () => {
      served += 1;
      if (served !== scenario.replaceAfterRequests) return;
      // Gone for the balancer from the next request on; this response still goes out.
      server.alive = false;
      setImmediate(() => {
        void host.close(listener);
        set.servers.splice(set.servers.indexOf(server), 1);
        // Keep the last few removed replicas on show as shut-down tasks, not every one since start.
        const removed = set.replicas.filter((r) => !r.server.alive);
        for (const old of removed.slice(0, -MAX_REMOVED_SHOWN)) set.replicas.splice(set.replicas.indexOf(old), 1);
        if (host.stopped()) return;
        startReplica(++lastSlot).catch((error: unknown) => console.error('lab: replacement replica failed', error));
      });
    });
    server.url = await host.start(listener);
    set.replicas.push({ slot, hostname, server });
    set.servers.push(server);
  };
  for (let slot = 1; slot <= scenario.replicas; slot++) await startReplica(slot);
  return set;
}
