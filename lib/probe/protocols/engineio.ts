// One engine.io / socket.io client session as a probe lane: a polling handshake, the namespace join, then one POST
// per step on the same sid, and a WebSocket upgrade with that sid as the lane's last step.
//
// Requests on one sid are strictly sequential: engine.io answers overlapping POSTs with an empty 400 and closes the
// session, which would look like a break without being one. A closed or refused session starts a new handshake.
import type { ProbeSession, SessionRequest } from '../record';
import { engineioOptionsSchema, type EngineioOptions, type ProbeSpec } from '../spec';
import type { ProbeRecord, ProbeTransport, ProtocolPhase } from '../types';
import { toProbeUrl } from '../url';
import {
  classifyHandshake,
  classifyPost,
  classifyUpgrade,
  encodePayload,
  engineioUrl,
  heartbeatPacket,
  joinPacket,
  UPGRADE_PROBE,
  type Answer,
} from './engineio-packets';
import { withFacts, type ProbeLane } from './lane';

const TEXT_BODY = ['content-type', 'text/plain;charset=UTF-8'];

export function engineioOptionsOf(spec: ProbeSpec): EngineioOptions {
  return spec.engineio ?? engineioOptionsSchema.parse({});
}

export class EngineioLane implements ProbeLane {
  private readonly options: EngineioOptions;
  private readonly getHeaders: readonly string[];
  private readonly postHeaders: readonly string[];
  private sid: string | null = null;
  private joined = false;
  private taken = 0;

  constructor(
    private readonly session: ProbeSession,
    private readonly spec: ProbeSpec,
    private readonly lane: number,
    readonly quota: number,
  ) {
    this.options = engineioOptionsOf(spec);
    this.getHeaders = session.headersWith([]);
    this.postHeaders = session.headersWith(TEXT_BODY);
  }

  async step(index: number, transport: ProbeTransport, startedAt: number, signal?: AbortSignal): Promise<ProbeRecord> {
    this.taken++;
    const { version } = this.options;
    const sid = this.sid;
    if (sid === null) {
      const url = engineioUrl(this.spec.target, this.options, { transport: 'polling' });
      return this.send('handshake', index, transport, startedAt, signal, { method: 'GET', url, body: null, headers: this.getHeaders }, (status, body) => {
        const answer = classifyHandshake(status, body, version);
        if (answer.open) {
          this.sid = answer.open.sid;
          this.joined = false;
        }
        return answer;
      });
    }
    if (this.taken === this.quota && this.joined && this.options.upgrade && transport.upgrade) {
      const url = engineioUrl(this.spec.target, this.options, { transport: 'websocket', sid });
      return this.send('upgrade', index, transport, startedAt, signal, { method: 'GET', url, body: UPGRADE_PROBE, headers: this.getHeaders, upgrade: true }, classifyUpgrade);
    }
    const phase: ProtocolPhase = this.joined ? 'post' : 'join';
    this.joined = true;
    const packet = phase === 'join' ? joinPacket(this.options.namespace) : heartbeatPacket(version);
    const url = engineioUrl(this.spec.target, this.options, { transport: 'polling', sid });
    return this.send(phase, index, transport, startedAt, signal, { method: 'POST', url, body: encodePayload([packet], version), headers: this.postHeaders }, (status, body) => {
      const answer = classifyPost(status, body);
      // The server closed this session; the next step opens a new one.
      if (answer.outcome === 'error') this.sid = null;
      return answer;
    });
  }

  private async send(
    phase: ProtocolPhase,
    index: number,
    transport: ProbeTransport,
    startedAt: number,
    signal: AbortSignal | undefined,
    request: Omit<SessionRequest, 'url'> & { url: string },
    read: (status: number, body: string) => Answer,
  ): Promise<ProbeRecord> {
    const session = this.sid;
    const { record, response } = await this.session.exchange(index, transport, startedAt, { ...request, url: toProbeUrl(request.url), needsBody: true }, signal);
    if (!response) return withFacts(record, { phase, lane: this.lane, session, outcome: 'error', answer: null }, null);
    const answer = read(response.status, response.bodyPrefix);
    return withFacts(record, { phase, lane: this.lane, session: this.sid ?? session, outcome: answer.outcome, answer: answer.answer }, answer.message);
  }
}
