// Splits an exported report's JSON text, as it arrives, into its top-level members and the elements of its `records`
// array, each parsed on its own: a 40 MB export is never held as one string or one object tree, and the caller can
// stop reading the moment a part is over its limit. Only the outline is scanned here (where each part starts and
// ends); the parts themselves go to JSON.parse, so what counts as valid JSON is decided there. Client-safe.
import { InputError, TooLargeError } from '@/lib/errors';

export type ReportJsonPart =
  | { kind: 'member'; key: string; value: unknown }
  | { kind: 'records-start' }
  /** `position`: 0-based place in the records array. */
  | { kind: 'record'; position: number; value: unknown }
  | { kind: 'records-end'; count: number };

export type ReportJsonLimits = {
  /** Top-level members. */
  members: number;
  /** Characters of all top-level members but `records`, together. */
  memberChars: number;
  /** Characters of one record. */
  recordChars: number;
};

type Place =
  | 'start' // before the opening brace
  | 'key-or-end' // after `{`
  | 'key' // after `,` in the object
  | 'colon'
  | 'value' // after the colon
  | 'member' // a member's value, scanned by the value scanner
  | 'after-member'
  | 'record-or-end' // after `[` of records
  | 'record' // a record, scanned by the value scanner
  | 'next-record' // after `,` in records
  | 'after-record'
  | 'done';

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** Characters that end a number or a literal (true, false, null). */
const DELIMITER = new Set([0x2c, 0x7d, 0x5d, 0x20, 0x09, 0x0a, 0x0d]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class ReportJsonSplitter {
  private text = '';
  /** Next character to scan, and where the part being scanned (a key or a value) starts. */
  private at = 0;
  private partStart = -1;
  private offset = 0;
  private place: Place = 'start';
  private key = '';
  private readonly keys = new Set<string>();
  private inRecords = false;
  private records = 0;
  private memberChars = 0;
  // The value scanner's state, kept across chunks.
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;

  constructor(private readonly limits: ReportJsonLimits) {}

  /** Scans the next piece of text; returns the parts it completed. */
  push(chunk: string): ReportJsonPart[] {
    const keep = this.partStart >= 0 ? this.partStart : this.at;
    this.offset += keep;
    this.text = this.text.slice(keep) + chunk;
    this.at -= keep;
    if (this.partStart >= 0) this.partStart = 0;
    const parts: ReportJsonPart[] = [];
    this.scan(parts, false);
    return parts;
  }

  /** The body ended: returns the last parts, or throws when the report is not complete. */
  end(): ReportJsonPart[] {
    const parts: ReportJsonPart[] = [];
    this.scan(parts, true);
    if (this.place !== 'done') throw this.invalid(this.place === 'start' ? 'the body is empty' : 'the JSON ends before the report does');
    return parts;
  }

  private scan(parts: ReportJsonPart[], final: boolean): void {
    const text = this.text;
    while (this.at < text.length || (final && (this.place === 'member' || this.place === 'record') && this.scalar)) {
      if (this.place === 'member' || this.place === 'record') {
        if (!this.scanValue(final)) return;
        const raw = text.slice(this.partStart, this.at);
        this.partStart = -1;
        if (this.place === 'member') {
          this.memberChars += raw.length;
          this.place = 'after-member';
          parts.push({ kind: 'member', key: this.key, value: this.parse(raw) });
        } else {
          this.place = 'after-record';
          parts.push({ kind: 'record', position: this.records++, value: this.parse(raw) });
        }
        continue;
      }
      if (this.place === 'key-or-end' || this.place === 'key') {
        if (!this.scanKey()) return;
        continue;
      }
      const c = text.charCodeAt(this.at);
      if (WHITESPACE.has(c)) {
        this.at++;
        continue;
      }
      this.step(c, parts);
    }
  }

  /** One structural character outside any value or key. */
  private step(c: number, parts: ReportJsonPart[]): void {
    const ch = String.fromCharCode(c);
    switch (this.place) {
      case 'start':
        if (ch !== '{') throw this.invalid('a report is a JSON object');
        this.place = 'key-or-end';
        break;
      case 'colon':
        if (ch !== ':') throw this.invalid(`expected ":" after "${this.key}"`);
        this.place = 'value';
        break;
      case 'value':
        if (this.key === 'records' && ch === '[') {
          this.inRecords = true;
          this.place = 'record-or-end';
          parts.push({ kind: 'records-start' });
          break;
        }
        this.beginValue('member');
        return;
      case 'after-member':
        if (ch === ',') this.place = 'key';
        else if (ch === '}') this.place = 'done';
        else throw this.invalid('expected "," or "}" after a member');
        break;
      case 'record-or-end':
        if (ch === ']') {
          this.closeRecords(parts);
          break;
        }
        this.beginValue('record');
        return;
      case 'next-record':
        this.beginValue('record');
        return;
      case 'after-record':
        if (ch === ',') this.place = 'next-record';
        else if (ch === ']') this.closeRecords(parts);
        else throw this.invalid('expected "," or "]" after a record');
        break;
      case 'done':
        throw this.invalid('there is more after the report object');
      default:
        throw this.invalid(`unexpected "${ch}"`);
    }
    this.at++;
  }

  private closeRecords(parts: ReportJsonPart[]): void {
    this.inRecords = false;
    this.place = 'after-member';
    parts.push({ kind: 'records-end', count: this.records });
  }

  /** `at` is on the value's first character. */
  private beginValue(place: 'member' | 'record'): void {
    this.place = place;
    this.partStart = this.at;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.scalar = false;
  }

  /** Advances over the value that starts at `partStart`; true once it ended at `at`. */
  private scanValue(final: boolean): boolean {
    const text = this.text;
    const limit = this.place === 'record' ? this.limits.recordChars : this.limits.memberChars - this.memberChars;
    if (this.at === this.partStart) {
      const first = text.charCodeAt(this.at);
      this.scalar = first !== QUOTE && first !== 0x7b && first !== 0x5b;
    }
    for (; this.at < text.length; this.at++) {
      if (this.at - this.partStart > limit) throw this.partTooLarge(limit);
      const c = text.charCodeAt(this.at);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.depth === 0) {
            this.at++;
            return true;
          }
        }
        continue;
      }
      if (this.scalar) {
        if (DELIMITER.has(c)) return true;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--this.depth === 0) {
          this.at++;
          return true;
        }
      }
    }
    if (this.at - this.partStart > limit) throw this.partTooLarge(limit);
    if (final && this.scalar) return true;
    return false;
  }

  /** A member's key, from its opening quote to its closing one; `}` closes an empty object. */
  private scanKey(): boolean {
    const text = this.text;
    while (this.at < text.length && WHITESPACE.has(text.charCodeAt(this.at))) this.at++;
    if (this.at >= text.length) return false;
    if (this.partStart < 0) {
      const c = text.charCodeAt(this.at);
      if (c === 0x7d && this.place === 'key-or-end') {
        this.place = 'done';
        this.at++;
        return true;
      }
      if (c !== QUOTE) throw this.invalid('expected a member name in double quotes');
      this.partStart = this.at++;
      this.escaped = false;
    }
    for (; this.at < text.length; this.at++) {
      if (this.at - this.partStart > 1024) throw this.invalid('a member name is longer than 1024 characters');
      const c = text.charCodeAt(this.at);
      if (this.escaped) this.escaped = false;
      else if (c === BACKSLASH) this.escaped = true;
      else if (c === QUOTE) {
        const key = this.parse(text.slice(this.partStart, ++this.at)) as string;
        this.partStart = -1;
        if (this.keys.has(key)) throw this.invalid(`"${key}" appears twice`);
        if (this.keys.size >= this.limits.members) throw this.invalid(`a report has at most ${this.limits.members} members`);
        this.keys.add(key);
        this.key = key;
        this.place = 'colon';
        return true;
      }
    }
    return false;
  }

  private parse(raw: string): unknown {
    try {
      return JSON.parse(raw);
    } catch (error) {
      const where = this.inRecords ? `record ${this.records}` : `"${this.key}"`;
      throw new InputError(`the body is not valid JSON: ${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private partTooLarge(limit: number): TooLargeError {
    if (this.place === 'record') return new TooLargeError(`record ${this.records} is longer than ${limit} characters, more than a probe run can produce`);
    return new TooLargeError(`"${this.key}" takes the report past ${this.limits.memberChars} characters besides its records, more than a probe run can produce`);
  }

  private invalid(why: string): InputError {
    return new InputError(`the body is not valid JSON: ${why} (at character ${this.offset + this.at})`);
  }
}
