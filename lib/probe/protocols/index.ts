// Which lane a run's protocol uses. Isomorphic, like the engine.
import type { Exchange, ProbeSession } from '../record';
import type { ProbeSpec } from '../spec';
import type { ProbeProtocol } from '../types';
import { EngineioLane } from './engineio';
import type { ProbeLane } from './lane';
import { SessionRouteLane } from './session-route';
import { ShinyLane } from './shiny/lane';

export type { ProbeLane } from './lane';
export { ProtocolTally } from './tally';
export { detectProtocol, namedProtocol, recordedDetection } from './detect';

/** A spec whose protocol is settled: named by the spec, or detected from the first page. */
export type ResolvedSpec = ProbeSpec & { protocol: ProbeProtocol };

/**
 * Lane `lane` (1-based) of a run, owning `quota` of its requests when the protocol needs to know its last step.
 * `page`: the page this lane's user already loaded (the request that detected the protocol), when there is one.
 */
export function createLane(spec: ResolvedSpec, session: ProbeSession, lane: number, quota: number, page?: Exchange): ProbeLane {
  switch (spec.protocol) {
    case 'engineio':
      return new EngineioLane(session, spec, lane, quota);
    case 'session-route':
      return new SessionRouteLane(session, spec, lane, quota);
    case 'shiny':
      return new ShinyLane(session, spec, lane, quota, page);
    case 'http':
      return { quota: Infinity, step: (index, transport, startedAt, signal) => session.step(index, transport, startedAt, signal) };
  }
}
