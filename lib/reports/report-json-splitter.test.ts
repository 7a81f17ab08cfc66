import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, TooLargeError } from '@/lib/errors';
import { ReportJsonSplitter, type ReportJsonPart } from './report-json-splitter';
import { toReportJson } from './schema';
import { testRecords } from './test/fixtures';
import { testReport } from './test/reports';

const LIMITS = { members: 20, memberChars: 1 << 20, recordChars: 1 << 20 };

function split(text: string, cuts: number[] = [], limits = LIMITS): ReportJsonPart[] {
  const splitter = new ReportJsonSplitter(limits);
  const parts: ReportJsonPart[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parts.push(...splitter.push(text.slice(from, cut)));
    from = cut;
  }
  parts.push(...splitter.push(text.slice(from)));
  parts.push(...splitter.end());
  return parts;
}

/** The object the parts describe, put back together. */
function assemble(parts: ReportJsonPart[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let records: unknown[] | null = null;
  for (const part of parts) {
    if (part.kind === 'member') out[part.key] = part.value;
    if (part.kind === 'records-start') out.records = records = [];
    if (part.kind === 'record') records?.push(part.value);
  }
  return out;
}

describe('ReportJsonSplitter', () => {
  const json = toReportJson(testReport({}, testRecords(30)));

  it('gives back every member and record of an export, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: json.length }), { maxLength: 40 }), (cuts) => {
        expect(assemble(split(json, cuts))).toEqual(JSON.parse(json));
      }),
      { seed: 12, numRuns: 200 },
    );
  });

  it('hands out records one by one, in order, between records-start and records-end', () => {
    const kinds = split(json).map((p) => (p.kind === 'member' ? p.key : p.kind === 'record' ? `record ${p.position}` : p.kind));
    expect(kinds.slice(0, 8)).toEqual(['schemaVersion', 'id', 'status', 'startedAt', 'endedAt', 'dashboardVersion', 'spec', 'records-start']);
    expect(kinds.slice(8, 38)).toEqual(Array.from({ length: 30 }, (_, i) => `record ${i}`));
    expect(kinds.slice(38)).toEqual(['records-end', 'outcome', 'topology', 'experiments', 'redaction']);
  });

  it('reads whitespace, escapes and brackets inside strings as JSON does', () => {
    const text = ' { "a\\"]" : "}{[\\\\" , "records" : [ 1 , "x]" , {"y":[{}]} , null ] , "n" : -1.5e3 } ';
    expect(assemble(split(text, [3, 9, 30, 31, 50]))).toEqual(JSON.parse(text));
    expect(split('{"records":[]}')).toEqual([{ kind: 'records-start' }, { kind: 'records-end', count: 0 }]);
    expect(split('{}')).toEqual([]);
  });

  it('refuses what is not one JSON object, saying where', () => {
    for (const bad of ['', '[]', '{"a":1', '{"a":1}{', '{"a" 1}', '{"records":[{}{}]}', '{"records":[1,]}', '{"a":1,"a":2}', '{"a":tru}', '{a:1}']) {
      expect(() => split(bad), bad).toThrow(InputError);
    }
    expect(() => split('{"a":1,"a":2}')).toThrow(/"a" appears twice/);
    expect(() => split('{"a":1}  x')).toThrow(/more after the report object \(at character 9\)/);
    expect(() => split(`{${Array.from({ length: 21 }, (_, i) => `"k${i}":1`).join(',')}}`)).toThrow(/at most 20 members/);
  });

  it('counts the members besides the records together against their limit', () => {
    const splitter = new ReportJsonSplitter({ members: 20, memberChars: 100, recordChars: 50 });
    expect(splitter.push(`{"a":"${'x'.repeat(60)}",`)).toHaveLength(1);
    expect(() => splitter.push(`"b":"${'y'.repeat(60)}"`)).toThrow(/"b" takes the report past 100 characters besides its records/);
  });

  it('stops at a record or member over its limit without reading it to the end', () => {
    const splitter = new ReportJsonSplitter({ members: 20, memberChars: 100, recordChars: 50 });
    splitter.push('{"spec":{"a":"');
    expect(() => splitter.push('x'.repeat(200))).toThrow(TooLargeError);
    const records = new ReportJsonSplitter({ members: 20, memberChars: 100, recordChars: 50 });
    expect(records.push('{"records":[{"a":1},')).toHaveLength(2);
    expect(() => records.push(`{"b":"${'y'.repeat(60)}`)).toThrow(/record 1 is longer than 50 characters/);
  });
});
