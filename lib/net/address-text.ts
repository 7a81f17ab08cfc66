// IP addresses inside free text: messages, URLs, `host:port:address` overrides, CIDR ranges. Client-safe.
//
// The patterns here only find candidates; whether a candidate is an address, and which one, is `parseIp`'s
// decision (ipaddr.js behind the WHATWG URL parser), so `0xa.0.0.5`, `167772165` and `[::ffff:a00:5]` inside a URL
// are all 10.0.0.5, as a connection would see them.
import ipaddr from 'ipaddr.js';
import { parseIp, type IpAddress } from './address';

// Lengths are bounded (an IPv6 address is at most 45 characters, a zone 32 here) so that no input makes a pattern
// backtrack for long.
const URL_HOST = String.raw`//(?:[^\s/?#@\[\]"'<>]*@)?(\[[^\]\s/?#]{1,80}\]|[^\s/?#:@\[\]"'<>]+)`;
const BRACKETED_V6 = String.raw`\[((?=[0-9a-f.]{0,45}:)[0-9a-f:.]{2,45}(?:%[\w.~%-]{1,32})?)\]`;
// A run of hex digits and colons with at least two colons, then maybe more and the dots of an embedded IPv4 address,
// ending in a digit or `::` (not in the colon or dot of a sentence), and an optional zone.
const LOOSE_V6 = String.raw`(?<![\w.])([0-9a-f]{0,4}:[0-9a-f]{0,4}:(?:[0-9a-f:.]{0,40}[0-9a-f])?(?:%[\w.~-]{1,32})?)`;
const LOOSE_V4 = String.raw`(?<![\d.])((?:0x[0-9a-f]+|\d+)(?:\.(?:0x[0-9a-f]+|\d+)){3})(?!\d|\.\d)`;
const DIGIT_DOT_DIGIT = /\d\.\d/;
const CANDIDATE = new RegExp(`${URL_HOST}|${BRACKETED_V6}|${LOOSE_V6}|${LOOSE_V4}`, 'gi');

/**
 * Every reading of `text` as an address. A URL parser reads `010.0.0.5` as octal (8.0.0.5) while a person, and
 * many tools, read 10.0.0.5; both readings count.
 */
function readings(text: string): IpAddress[] {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const found: IpAddress[] = [];
  const parsed = parseIp(bare);
  if (parsed) found.push(parsed);
  const parts = bare.split('.');
  if (parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    const decimal = ipaddr.IPv4.parse(parts.map(Number).join('.'));
    if (!parsed || parsed.toString() !== decimal.toString()) found.push(decimal);
  }
  return found;
}

type Slice = { start: number; end: number };

/**
 * Where an address may sit inside a loose run such as `fd00::1`, `443:fd00::5` (an override's port before it),
 * `::1:3000` (a port after it, without brackets) or `12:00:10.0.0.5`: the whole run first, then without a leading or
 * trailing port, then an IPv4 tail.
 */
function looseSlices(run: string): Slice[] {
  const zone = run.indexOf('%');
  const end = zone === -1 ? run.length : zone;
  const head = /^\d{1,5}:(?!:)/.exec(run)?.[0].length ?? 0;
  const tail = /(?<!:):\d{1,5}$/.exec(run.slice(0, end))?.[0].length ?? 0;
  const slices: Slice[] = [
    { start: 0, end: run.length },
    { start: head, end: run.length },
    { start: 0, end: end - tail },
    { start: head, end: end - tail },
  ];
  const v4 = /(?:\d{1,3}\.){3}\d{1,3}$/.exec(run.slice(0, end));
  if (v4) slices.push({ start: end - v4[0].length, end });
  // A slice of a run is an IPv6 address or a dotted IPv4 one; `30` out of `12:30:45` is not 0.0.0.30.
  const shaped = (s: Slice) => /:.*:|^(?:\d{1,3}\.){3}\d{1,3}$/.test(run.slice(s.start, Math.min(s.end, end)));
  return slices.filter((s, i) => shaped(s) && slices.findIndex((o) => o.start === s.start && o.end === s.end) === i);
}

/**
 * `text` with each IP address for which `replace` gives a string replaced by it; `replace` sees every reading of a
 * candidate (see `readings`) and returns null to keep it. A bracketed IPv6 address, in a URL or not, is replaced with
 * its brackets, so the result is a plain host name.
 */
export function replaceAddresses(text: string, replace: (address: IpAddress) => string | null): string {
  // Every candidate holds a colon (IPv6, a URL's scheme), `//` or a digit, dot, digit (IPv4); most strings hold none.
  if (!text.includes(':') && !text.includes('//') && !DIGIT_DOT_DIGIT.test(text)) return text;
  const first = (candidate: string): string | null => {
    for (const address of readings(candidate)) {
      const replacement = replace(address);
      if (replacement !== null) return replacement;
    }
    return null;
  };
  return text.replace(CANDIDATE, (match: string, urlHost?: string, bracketed?: string, loose?: string, v4?: string) => {
    if (urlHost !== undefined) {
      const replacement = first(urlHost);
      return replacement === null ? match : `${match.slice(0, match.length - urlHost.length)}${replacement}`;
    }
    if (bracketed !== undefined || v4 !== undefined) return first(bracketed ?? v4 ?? '') ?? match;
    const run = loose ?? '';
    // `::` alone is more often punctuation (`std::`, `a :: b`) than the unspecified address.
    if (run === '::') return match;
    for (const { start, end } of looseSlices(run)) {
      const replacement = first(run.slice(start, end));
      if (replacement !== null) return `${run.slice(0, start)}${replacement}${run.slice(end)}`;
    }
    return match;
  });
}
