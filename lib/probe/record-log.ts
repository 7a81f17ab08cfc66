// The raw records of a run, kept compact so a 10,000-request run in a page costs well under a megabyte: numbers in
// typed-array columns, and the parts that repeat from record to record (replica names, the Cookie header's names, the
// balancer cookie's values, error messages) stored once and referred to by number. Set-Cookie events, rare after the
// first response of a sticky run, are kept as they came, as are a protocol probe's per-request facts (protocol step,
// app session). `at(i)` rebuilds a record equal to the one added.
import { probeTransportKinds, type ProbeError, type ProbeRecord, type SetCookieEvent, type WithheldCookie } from './types';

const NONE = -1;
const NO_STATUS = -1;
const TRUNCATED = 1;
/** Transport kind + 1 in the bits above TRUNCATED; 0 when the record named none. */
const TRANSPORT_SHIFT = 1;

/** Values stored once each, by key. */
class Interned<T> {
  private readonly ids = new Map<string, number>();
  readonly values: T[] = [];

  idOf(key: string, value: () => T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(key, id);
      this.values.push(value());
    }
    return id;
  }
}

type Balancer = NonNullable<ProbeRecord['balancer']>;

const SEP = '\u0000';
const nullable = (s: string | null) => (s === null ? SEP : `=${s}`);

export class RecordLog {
  private size = 0;
  private capacity: number;
  private index: Int32Array;
  private startedAt: Float64Array;
  private latencyMs: Float64Array;
  private status: Int16Array;
  private replica: Int32Array;
  private identitySource: Int32Array;
  private cookieSent: Int32Array;
  private withheld: Int32Array;
  private balancer: Int32Array;
  private error: Int32Array;
  private flags: Uint8Array;
  private readonly strings = new Interned<string>();
  private readonly nameLists = new Interned<readonly string[]>();
  private readonly withheldLists = new Interned<readonly WithheldCookie[]>();
  private readonly balancers = new Interned<Balancer>();
  private readonly errors = new Interned<ProbeError>();
  private readonly setCookies = new Map<number, readonly SetCookieEvent[]>();
  private readonly protocolFacts = new Map<number, Pick<ProbeRecord, 'protocol' | 'appSession'>>();

  /** `capacity`: records expected (the run's request count); the log grows past it if needed. */
  constructor(capacity = 1024) {
    this.capacity = Math.max(16, capacity);
    this.index = new Int32Array(this.capacity);
    this.startedAt = new Float64Array(this.capacity);
    this.latencyMs = new Float64Array(this.capacity);
    this.status = new Int16Array(this.capacity);
    this.replica = new Int32Array(this.capacity);
    this.identitySource = new Int32Array(this.capacity);
    this.cookieSent = new Int32Array(this.capacity);
    this.withheld = new Int32Array(this.capacity);
    this.balancer = new Int32Array(this.capacity);
    this.error = new Int32Array(this.capacity);
    this.flags = new Uint8Array(this.capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Bytes held by the columns, for figures; interned values and Set-Cookie events come on top. */
  get columnBytes(): number {
    return this.capacity * (4 + 8 + 8 + 2 + 4 * 6 + 1);
  }

  add(r: ProbeRecord): void {
    if (this.size === this.capacity) this.grow();
    const i = this.size++;
    this.index[i] = r.index;
    this.startedAt[i] = r.startedAt;
    this.latencyMs[i] = r.latencyMs;
    this.status[i] = r.status ?? NO_STATUS;
    this.replica[i] = this.string(r.replica);
    this.identitySource[i] = this.string(r.identitySource);
    this.cookieSent[i] = this.nameLists.idOf(`${r.cookieSent.length}${SEP}${r.cookieSent.join(SEP)}`, () => Object.freeze([...r.cookieSent]));
    this.withheld[i] = this.withheldLists.idOf(r.withheld.map((w) => `${w.name}${SEP}${w.reason}`).join(SEP), () => Object.freeze(r.withheld.map((w) => ({ ...w }))));
    const b = r.balancer;
    this.balancer[i] = b === null ? NONE : this.balancers.idOf(`${b.name}${SEP}${nullable(b.sent)}${SEP}${nullable(b.set)}`, () => ({ ...b }));
    const e = r.error;
    this.error[i] = e === null ? NONE : this.errors.idOf(`${e.code}${SEP}${e.message}`, () => ({ ...e }));
    const transport = r.transport === undefined ? 0 : probeTransportKinds.indexOf(r.transport) + 1;
    this.flags[i] = (r.bodyTruncated ? TRUNCATED : 0) | (transport << TRANSPORT_SHIFT);
    if (r.setCookies.length) this.setCookies.set(i, r.setCookies);
    if (r.protocol || r.appSession) this.protocolFacts.set(i, { protocol: r.protocol, appSession: r.appSession });
  }

  /** The `i`-th record added (0-based), rebuilt. */
  at(i: number): ProbeRecord {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`no record at ${i}; the log holds ${this.size}`);
    const status = this.status[i]!;
    const balancer = this.balancer[i]!;
    const error = this.error[i]!;
    const flags = this.flags[i]!;
    const transport = probeTransportKinds[(flags >> TRANSPORT_SHIFT) - 1];
    const record: ProbeRecord = {
      index: this.index[i]!,
      startedAt: this.startedAt[i]!,
      latencyMs: this.latencyMs[i]!,
      status: status === NO_STATUS ? null : status,
      replica: this.stringAt(this.replica[i]!),
      identitySource: this.stringAt(this.identitySource[i]!),
      setCookies: this.setCookies.get(i) ?? [],
      cookieSent: this.nameLists.values[this.cookieSent[i]!]!,
      withheld: this.withheldLists.values[this.withheld[i]!]!,
      balancer: balancer === NONE ? null : { ...this.balancers.values[balancer]! },
      error: error === NONE ? null : { ...this.errors.values[error]! },
      bodyTruncated: (flags & TRUNCATED) !== 0,
    };
    if (transport) record.transport = transport;
    const facts = this.protocolFacts.get(i);
    if (facts?.protocol) record.protocol = facts.protocol;
    if (facts?.appSession) record.appSession = facts.appSession;
    return record;
  }

  *[Symbol.iterator](): IterableIterator<ProbeRecord> {
    for (let i = 0; i < this.size; i++) yield this.at(i);
  }

  toArray(): ProbeRecord[] {
    return Array.from(this);
  }

  private string(s: string | null): number {
    return s === null ? NONE : this.strings.idOf(s, () => s);
  }

  private stringAt(id: number): string | null {
    return id === NONE ? null : this.strings.values[id]!;
  }

  private grow(): void {
    this.capacity *= 2;
    const grown = <A extends Int32Array | Float64Array | Int16Array | Uint8Array>(a: A, make: new (n: number) => A): A => {
      const b = new make(this.capacity);
      b.set(a);
      return b;
    };
    this.index = grown(this.index, Int32Array);
    this.startedAt = grown(this.startedAt, Float64Array);
    this.latencyMs = grown(this.latencyMs, Float64Array);
    this.status = grown(this.status, Int16Array);
    this.replica = grown(this.replica, Int32Array);
    this.identitySource = grown(this.identitySource, Int32Array);
    this.cookieSent = grown(this.cookieSent, Int32Array);
    this.withheld = grown(this.withheld, Int32Array);
    this.balancer = grown(this.balancer, Int32Array);
    this.error = grown(this.error, Int32Array);
    this.flags = grown(this.flags, Uint8Array);
  }
}
