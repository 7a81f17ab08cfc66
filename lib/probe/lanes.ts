// The replica lane timeline, downsampled: request index × replica, at most ~`maxPoints` points however long the
// run. Pure; recomputed from the raw records a few times a second, O(records).
import type { ProbeRecord } from './types';

export type LaneKind = 'ok' | 'http-error' | 'error';

export type LanePoint = {
  /** First and last request index the point covers. */
  fromIndex: number;
  toIndex: number;
  lane: number;
  kind: LaneKind;
  count: number;
};

export type LaneView = {
  /** Replica ids in order of first answer, then the two pseudo lanes when used. */
  lanes: string[];
  points: LanePoint[];
  /** Requests per point. */
  stride: number;
};

/** Lane names for records without a replica. */
export const UNIDENTIFIED_LANE = '(no identity)';
export const FAILED_LANE = '(no response)';

type LaneRecord = Pick<ProbeRecord, 'index' | 'replica' | 'status' | 'error'>;

const RANK: Record<LaneKind, number> = { ok: 0, 'http-error': 1, error: 2 };

function kindOf(r: LaneRecord): LaneKind {
  if (r.error !== null || r.status === null) return 'error';
  return r.status >= 400 ? 'http-error' : 'ok';
}

export function toLaneView(records: readonly LaneRecord[], maxPoints = 1000): LaneView {
  const laneOf = new Map<string, number>();
  const lanes: string[] = [];
  const lane = (name: string) => {
    let i = laneOf.get(name);
    if (i === undefined) {
      i = lanes.length;
      laneOf.set(name, i);
      lanes.push(name);
    }
    return i;
  };
  // Real replicas first, in order of first answer, so lanes do not move when a failure shows up.
  for (const r of records) if (r.replica !== null) lane(r.replica);
  const laneNameOf = (r: LaneRecord) => r.replica ?? (r.error !== null || r.status === null ? FAILED_LANE : UNIDENTIFIED_LANE);
  for (const r of records) if (r.replica === null) lane(laneNameOf(r));

  const buckets = Math.max(1, Math.floor(maxPoints / Math.max(1, lanes.length)));
  const stride = Math.max(1, Math.ceil(records.length / buckets));
  const points: LanePoint[] = [];
  let open = new Map<number, LanePoint>();
  let bucket = -1;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const b = Math.floor(i / stride);
    if (b !== bucket) {
      for (const p of open.values()) points.push(p);
      open = new Map();
      bucket = b;
    }
    const l = laneOf.get(laneNameOf(r))!;
    const kind = kindOf(r);
    const p = open.get(l);
    if (!p) open.set(l, { fromIndex: r.index, toIndex: r.index, lane: l, kind, count: 1 });
    else {
      p.toIndex = r.index;
      p.count++;
      if (RANK[kind] > RANK[p.kind]) p.kind = kind;
    }
  }
  for (const p of open.values()) points.push(p);
  return { lanes, points, stride };
}
