// Hostile values for generated inputs: text with line breaks in every disguise (CR LF, U+010D U+010A which a latin1
// encoder turns into CR LF, NUL, lone surrogates), very long and deeply nested values, odd numbers, and JSON bodies
// that can carry raw fragments and invalid UTF-8 bytes the way no JSON encoder would write them.
import fc from 'fast-check';

/** Pieces an attacker strings together: each one broke, or could break, a parser or an encoder somewhere. */
export const HOSTILE_PIECES = [
  '\r\n',
  '\n',
  '\r',
  '\u010d\u010a',
  '\u010a',
  '\u010d',
  '\0',
  '\t',
  '\x7f',
  '\x1b[31m',
  '\u0085',
  '\u2028',
  '\ud800',
  '\udfff',
  'é',
  'ÿ',
  '\u0100',
  '\u202e',
  '\ufeff',
  '𝔘',
  '%ff',
  '%00',
  '%0d%0a',
  '../',
  '..\\',
  ' HTTP/1.1',
  'Injected: yes',
  '\u010d\u010aInjected: yes',
  '\r\nInjected: yes',
  '\u010d\u010a\u010d\u010aGET /smuggled HTTP/1.1\u010d\u010aHost: allowed.test\u010d\u010a\u010d\u010a',
  '\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: allowed.test\r\n\r\n',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE reports;--",
  '${7*7}',
  '__proto__',
  'constructor',
] as const;

export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  {
    weight: 5,
    arbitrary: fc.array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'a'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => '\u010d\u010a'.repeat(n)) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, 1e21, -1e21, 2 ** 31, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, 65536, 70000),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** JSON text inserted as it is, for values JSON.stringify would not write or would overflow the stack building. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Where a string value's bytes are swapped for bytes that are not UTF-8 once the body is encoded. */
export const INVALID_UTF8_MARK = '\u0000invalid-utf8\u0000';
const INVALID_UTF8 = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]] as const;

const deepNesting = fc.tuple(fc.integer({ min: 500, max: 100_000 }), fc.constantFrom('[', '{"a":')).map(([depth, open]) => {
  const close = open === '[' ? ']' : '}';
  return new RawJson(`${open.repeat(depth)}1${close.repeat(depth)}`);
});

const hugeArray = fc.tuple(fc.integer({ min: 1_000, max: 60_000 }), fc.constantFrom('{}', '0', '""', 'null', '[]', '"\\u010d\\u010a"')).map(
  ([length, element]) => new RawJson(`[${new Array<string>(length).fill(element).join(',')}]`),
);

const rawOddities = fc.constantFrom(
  new RawJson('1e999'),
  new RawJson('-0'),
  new RawJson('123456789012345678901234567890'),
  new RawJson('"\\ud800"'),
  new RawJson('"\\u0000"'),
  new RawJson('{"__proto__":{"polluted":true}}'),
  new RawJson('{"constructor":{"prototype":{"polluted":true}}}'),
  new RawJson('{"a":1,"a":2}'),
);

/** Any hostile JSON value: wrong types, huge or deep structures, hostile text, invalid UTF-8. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: hugeArray },
  { weight: 1, arbitrary: rawOddities },
  { weight: 1, arbitrary: fc.constant(INVALID_UTF8_MARK) },
);

/** JSON text of `value`, with `RawJson` parts inserted as they are. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJsonText(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The body's bytes: its JSON text as UTF-8, each invalid-UTF-8 mark replaced by bytes that are not UTF-8. */
export function toWireBody(value: unknown, pick = 0): Buffer {
  const text = toJsonText(value);
  const mark = JSON.stringify(INVALID_UTF8_MARK).slice(1, -1);
  if (!text.includes(mark)) return Buffer.from(text, 'utf8');
  const parts = text.split(mark);
  const bytes: Buffer[] = [];
  parts.forEach((part, i) => {
    if (i > 0) bytes.push(Buffer.from(INVALID_UTF8[(pick + i) % INVALID_UTF8.length]!));
    bytes.push(Buffer.from(part, 'utf8'));
  });
  return Buffer.concat(bytes);
}

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (out.length >= 300) return out;
  if (prefix.length > 0) out.push(prefix);
  if (value instanceof RawJson || value === null || typeof value !== 'object') return out;
  const entries = Array.isArray(value) ? value.slice(0, 20).map((v, i) => [i, v] as const) : Object.entries(value);
  for (const [key, child] of entries) pathsOf(child, [...prefix, key], out);
  return out;
}

function replaceAt(value: unknown, path: Path, replace: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replace(value);
  const [key, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === key ? replaceAt(v, rest, replace) : v));
  if (value !== null && typeof value === 'object') return { ...value, [key!]: replaceAt((value as Record<string, unknown>)[key as string], rest, replace) };
  return value;
}

const DROP = Symbol('drop');

function dropped(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== DROP).map(dropped);
  if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== DROP).map(([k, v]) => [k, dropped(v)]));
  }
  return value;
}

/**
 * `base` as it is, or with hostile changes: a field replaced by a hostile value, a field dropped, an unknown field
 * added, or the whole body replaced. Most cases stay close to valid, so they get past the first check.
 */
export function withHostileChanges(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return base.chain((value) => {
    const paths = pathsOf(value);
    const objects = [[] as Path, ...paths].filter((p) => {
      let v: unknown = value;
      for (const k of p) v = (v as Record<string | number, unknown>)[k];
      return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawJson);
    });
    if (paths.length === 0) return fc.oneof(fc.constant(value), hostileJson);
    const changes: fc.WeightedArbitrary<unknown>[] = [
      { weight: 4, arbitrary: fc.constant(value) },
      { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...paths), hostileJson).map(([p, h]) => replaceAt(value, p, () => h)) },
      { weight: 1, arbitrary: fc.constantFrom(...paths).map((p) => dropped(replaceAt(value, p, () => DROP))) },
      { weight: 1, arbitrary: hostileJson },
    ];
    if (objects.length > 0) {
      changes.push({
        weight: 1,
        arbitrary: fc.tuple(fc.constantFrom(...objects), hostileText, hostileJson).map(([p, key, h]) => replaceAt(value, p, (o) => ({ ...(o as object), [key]: h }))),
      });
    }
    return fc.oneof(...changes);
  });
}
