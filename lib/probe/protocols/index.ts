// Which lane a run's protocol uses. Isomorphic, like the engine.
import type { ProbeSession } from '../record';
import type { ProbeSpec } from '../spec';
import { EngineioLane } from './engineio';
import type { ProbeLane } from './lane';
import { SessionRouteLane } from './session-route';

export type { ProbeLane } from './lane';
export { ProtocolTally } from './tally';

/** Lane `lane` (1-based) of a run, owning `quota` of its requests when the protocol needs to know its last step. */
export function createLane(spec: ProbeSpec, session: ProbeSession, lane: number, quota: number): ProbeLane {
  switch (spec.protocol) {
    case 'engineio':
      return new EngineioLane(session, spec, lane, quota);
    case 'session-route':
      return new SessionRouteLane(session, spec, lane, quota);
    case 'http':
      return { quota: Infinity, step: (index, transport, startedAt, signal) => session.step(index, transport, startedAt, signal) };
  }
}
