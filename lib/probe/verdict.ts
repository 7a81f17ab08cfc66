// The sticky verdict, kept incrementally: records go in one at a time in index order, O(1) each, so a 10,000-request
// live run can ask for a verdict or a chart snapshot at any moment without rescanning.
import type {
  ExpectationResult,
  LatencyStats,
  ProbeExpectation,
  ProbeRecord,
  ProbeSnapshot,
  ProtocolPhase,
  SnapshotWindow,
  StickyVerdict,
} from './types';

type VerdictRecord = Pick<ProbeRecord, 'index' | 'startedAt' | 'latencyMs' | 'status' | 'replica' | 'error' | 'protocol' | 'appSession'>;

/**
 * Steps whose `ok` proves the request reached the session's replica: they use a session opened by an earlier one.
 * Opening steps (handshake, page, connect, reconnect) succeed wherever they land.
 */
const PROVING_PHASES: ReadonlySet<ProtocolPhase> = new Set(['join', 'post', 'upgrade', 'route', 'send']);

/** A request whose own answer shows it left the session's replica, whatever identity says. */
export function isSessionBreak(r: Pick<ProbeRecord, 'protocol' | 'appSession'>): boolean {
  return r.protocol?.outcome === 'break' || r.appSession?.lost === true;
}

export function isSuccessful(r: Pick<ProbeRecord, 'status' | 'error'>): boolean {
  // 101: a WebSocket upgrade the server accepted.
  return r.error === null && r.status !== null && ((r.status >= 200 && r.status < 400) || r.status === 101);
}

/** Log-scale latency histogram: 16 buckets per doubling, so quantiles are within ~4.5%. */
const HIST_STEPS_PER_DOUBLING = 16;
const HIST_BUCKETS = 30 * HIST_STEPS_PER_DOUBLING;

function histBucket(ms: number): number {
  const us = ms * 1000;
  if (!(us > 1)) return 0;
  const b = Math.floor(Math.log2(us) * HIST_STEPS_PER_DOUBLING);
  return b >= HIST_BUCKETS ? HIST_BUCKETS - 1 : b;
}

function histValueMs(bucket: number): number {
  // Geometric middle of the bucket.
  return 2 ** ((bucket + 0.5) / HIST_STEPS_PER_DOUBLING) / 1000;
}

class LatencyAccumulator {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  private readonly hist = new Uint32Array(HIST_BUCKETS);

  add(ms: number): void {
    this.count++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
    this.hist[histBucket(ms)]!++;
  }

  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < HIST_BUCKETS; i++) {
      seen += this.hist[i]!;
      if (seen >= rank) return Math.min(Math.max(histValueMs(i), this.min), this.max);
    }
    return this.max;
  }

  stats(replica: string | null): LatencyStats {
    const round = (n: number) => Math.round(n * 1000) / 1000;
    return {
      replica,
      count: this.count,
      meanMs: this.count ? round(this.sum / this.count) : 0,
      minMs: this.count ? round(this.min) : 0,
      maxMs: this.count ? round(this.max) : 0,
      p50Ms: round(this.quantile(0.5)),
      p95Ms: round(this.quantile(0.95)),
      p99Ms: round(this.quantile(0.99)),
    };
  }
}

type Bucket = {
  fromIndex: number;
  toIndex: number;
  fromMs: number;
  toMs: number;
  /** Per replica slot (see `replicaIds`). */
  counts: number[];
  unidentified: number;
  errors: number;
};

export type VerdictAggregatorOptions = {
  /** Chart windows wanted; the snapshot keeps between this and twice this many. */
  windows?: number;
};

export class VerdictAggregator {
  private total = 0;
  private successful = 0;
  private identified = 0;
  private firstReplica: string | null = null;
  /** Per user session (a protocol lane; plain HTTP is one session): the replica it started on and the last one. */
  private readonly sessions = new Map<number, { first: string; last: string }>();
  /** The first replica of the session that broke first, which the break is measured against. */
  private brokenSessionFirst: string | null = null;
  private firstBreakAt: number | null = null;
  private firstBreakMs: number | null = null;
  private firstBreakReplica: string | null = null;
  private switches = 0;
  /** Protocol steps that reached the session's replica: evidence of affinity even without a replica name. */
  private confirmed = 0;
  private errorsTotal = 0;
  private readonly byStatus = new Map<number, number>();
  private readonly byCode = new Map<string, number>();

  private readonly replicaSlots = new Map<string, number>();
  private readonly replicaIds: string[] = [];
  private readonly replicaCounts: number[] = [];
  private readonly latency: LatencyAccumulator[] = [];
  private readonly unidentifiedLatency = new LatencyAccumulator();

  private readonly maxWindows: number;
  private windowSize = 1;
  private buckets: Bucket[] = [];

  constructor(options: VerdictAggregatorOptions = {}) {
    this.maxWindows = 2 * Math.max(4, options.windows ?? 100);
  }

  /** Feed records in index order. */
  add(r: VerdictRecord): void {
    this.total++;
    const ok = isSuccessful(r);
    let slot = -1;
    if (r.replica !== null) {
      slot = this.slotOf(r.replica);
      this.replicaCounts[slot]!++;
    }
    const lane = r.protocol?.lane ?? 0;
    // A request its session's replica did not answer (a 400 "Session ID unknown", a route's 404) left that replica
    // as surely as one another replica named itself on: it counts as a switch, so the two figures never disagree.
    if (isSessionBreak(r)) {
      this.noteBreak(r, this.sessions.get(lane)?.first ?? null);
      this.switches++;
    }
    if (ok) {
      this.successful++;
      if (r.protocol?.outcome === 'ok' && PROVING_PHASES.has(r.protocol.phase)) this.confirmed++;
      if (r.replica !== null) {
        this.identified++;
        this.firstReplica ??= r.replica;
        const session = this.sessions.get(lane);
        if (!session) {
          this.sessions.set(lane, { first: r.replica, last: r.replica });
        } else {
          if (r.replica !== session.first) this.noteBreak(r, session.first);
          if (r.replica !== session.last) this.switches++;
          session.last = r.replica;
        }
      }
    } else {
      this.errorsTotal++;
      if (r.error) this.byCode.set(r.error.code, (this.byCode.get(r.error.code) ?? 0) + 1);
      else if (r.status !== null) this.byStatus.set(r.status, (this.byStatus.get(r.status) ?? 0) + 1);
    }
    if (r.error === null) {
      if (slot >= 0) this.latency[slot]!.add(r.latencyMs);
      else this.unidentifiedLatency.add(r.latencyMs);
    }
    this.addToBucket(r, slot, !ok);
  }

  private noteBreak(r: VerdictRecord, sessionFirst: string | null): void {
    if (this.firstBreakAt !== null) return;
    this.firstBreakAt = r.index;
    this.firstBreakMs = r.startedAt;
    this.firstBreakReplica = r.replica;
    this.brokenSessionFirst = sessionFirst;
  }

  verdict(): StickyVerdict {
    const replicas: Record<string, number> = {};
    this.replicaIds.forEach((id, i) => (replicas[id] = this.replicaCounts[i] ?? 0));
    const byStatus: Record<string, number> = {};
    for (const [s, n] of [...this.byStatus].sort((a, b) => a[0] - b[0])) byStatus[String(s)] = n;
    const byCode: StickyVerdict['errors']['byCode'] = {};
    for (const [c, n] of this.byCode) byCode[c as keyof typeof byCode] = n;
    const status = this.firstBreakAt !== null ? 'fail' : this.identified >= 2 || this.confirmed >= 2 ? 'pass' : 'inconclusive';
    return {
      status,
      sticky: status === 'pass',
      total: this.total,
      successful: this.successful,
      identified: this.identified,
      firstReplica: this.firstBreakAt === null ? this.firstReplica : (this.brokenSessionFirst ?? this.firstReplica),
      firstBreakAt: this.firstBreakAt,
      firstBreakMs: this.firstBreakMs,
      firstBreakReplica: this.firstBreakReplica,
      switches: this.switches,
      replicas,
      errors: { total: this.errorsTotal, byStatus, byCode },
    };
  }

  /** True once the first break has been seen (the engine's stop-at-first-break check). */
  get broken(): boolean {
    return this.firstBreakAt !== null;
  }

  snapshot(): ProbeSnapshot {
    const total = this.replicaCounts.reduce((a, b) => a + b, 0);
    const replicas = this.replicaIds.map((id, i) => {
      const count = this.replicaCounts[i] ?? 0;
      return { id, count, share: total ? count / total : 0 };
    });
    const windows: SnapshotWindow[] = this.buckets.map((b) => {
      const counts: Record<string, number> = {};
      b.counts.forEach((n, i) => {
        if (n) counts[this.replicaIds[i]!] = n;
      });
      return {
        fromIndex: b.fromIndex,
        toIndex: b.toIndex,
        fromMs: b.fromMs,
        toMs: b.toMs,
        counts,
        unidentified: b.unidentified,
        errors: b.errors,
      };
    });
    const latency = this.replicaIds.map((id, i) => this.latency[i]!.stats(id));
    if (this.unidentifiedLatency.count) latency.push(this.unidentifiedLatency.stats(null));
    return { done: this.total, replicas, windows, windowSize: this.windowSize, latency };
  }

  private slotOf(replica: string): number {
    let slot = this.replicaSlots.get(replica);
    if (slot === undefined) {
      slot = this.replicaIds.length;
      this.replicaSlots.set(replica, slot);
      this.replicaIds.push(replica);
      this.replicaCounts.push(0);
      this.latency.push(new LatencyAccumulator());
    }
    return slot;
  }

  private addToBucket(r: VerdictRecord, slot: number, isError: boolean): void {
    const position = Math.floor((r.index - 1) / this.windowSize);
    let b = this.buckets[this.buckets.length - 1];
    if (!b || Math.floor((b.fromIndex - 1) / this.windowSize) !== position) {
      if (this.buckets.length >= this.maxWindows) {
        this.halve();
        this.addToBucket(r, slot, isError);
        return;
      }
      b = { fromIndex: r.index, toIndex: r.index, fromMs: r.startedAt, toMs: r.startedAt, counts: [], unidentified: 0, errors: 0 };
      this.buckets.push(b);
    }
    b.toIndex = r.index;
    b.toMs = r.startedAt;
    if (slot >= 0) b.counts[slot] = (b.counts[slot] ?? 0) + 1;
    else b.unidentified++;
    if (isError) b.errors++;
  }

  /** Doubles the window size by merging neighbours: amortised O(1) per record. */
  private halve(): void {
    this.windowSize *= 2;
    const merged: Bucket[] = [];
    for (const b of this.buckets) {
      const last = merged[merged.length - 1];
      if (last && Math.floor((last.fromIndex - 1) / this.windowSize) === Math.floor((b.fromIndex - 1) / this.windowSize)) {
        last.toIndex = b.toIndex;
        last.toMs = b.toMs;
        b.counts.forEach((n, i) => (last.counts[i] = (last.counts[i] ?? 0) + (n ?? 0)));
        last.unidentified += b.unidentified;
        last.errors += b.errors;
      } else {
        merged.push({ ...b, counts: [...b.counts] });
      }
    }
    this.buckets = merged;
  }
}

/** Convenience for tests and reports: the verdict of a finished list of records. */
export function computeVerdict(records: readonly VerdictRecord[]): StickyVerdict {
  const agg = new VerdictAggregator();
  for (const r of records) agg.add(r);
  return agg.verdict();
}

/**
 * The first break in words: the replica that answered instead of the first one, or, when only the request's own
 * answer showed the break (engine.io `Session ID unknown`, a re-issued session cookie), that it lost the session.
 */
export function describeFirstBreak(v: StickyVerdict, label: (replica: string) => string = (r) => r): string {
  const at = `request ${v.firstBreakAt}`;
  if (v.firstBreakReplica !== null && v.firstReplica !== null && v.firstBreakReplica !== v.firstReplica) {
    return `${at} was answered by ${label(v.firstBreakReplica)} instead of ${label(v.firstReplica)}`;
  }
  return `${at} reached a replica that did not know the session${v.firstBreakReplica === null ? '' : ` (${label(v.firstBreakReplica)})`}`;
}

/** A pass in words: the one replica every response came from, or, when independent sessions started on several, that each kept to its own. */
export function describePass(v: StickyVerdict, label: (replica: string) => string = (r) => r): string {
  if (v.firstReplica === null) return 'every request reached the replica holding the session';
  const identified = v.identified.toLocaleString('en');
  const seen = Object.keys(v.replicas).length;
  return seen > 1 ? `every session kept to the replica it started on (${identified} identified responses)` : `all ${identified} identified responses came from ${label(v.firstReplica)}`;
}

export function evaluateExpectation(verdict: StickyVerdict, expect: ProbeExpectation): ExpectationResult {
  const seen = Object.keys(verdict.replicas).length;
  if (expect === 'sticky') {
    if (verdict.status === 'pass') return { expect, holds: true, message: `sticky: ${describePass(verdict)}` };
    if (verdict.status === 'fail') {
      return {
        expect,
        holds: false,
        message: `not sticky: ${describeFirstBreak(verdict)} (${verdict.switches} switches)`,
      };
    }
    return { expect, holds: false, message: `inconclusive: only ${verdict.identified} successful responses named a replica` };
  }
  if (verdict.identified < 2) {
    return { expect, holds: false, message: `inconclusive: only ${verdict.identified} successful responses named a replica` };
  }
  return seen >= 2
    ? { expect, holds: true, message: `spread over ${seen} replicas` }
    : { expect, holds: false, message: `not spread: every response came from ${verdict.firstReplica}` };
}
