// What may stand in a request head, as bytes on the wire. Client-safe: the Probe form, the CLI, the relay route and
// the transports all check with these, so a value one of them accepts is one every other one sends unchanged.
//
// A request head is written as latin1, one byte per character, so a character above 0xFF would not survive: Node
// would keep its low byte, and U+010D U+010A would arrive as CR LF. Values are therefore checked as the characters
// that are bytes: tab, space, visible ASCII and 0x80–0xFF (what Node's http accepts in a header value).
import { z } from 'zod';

/** RFC 9110 token: header names, methods, cookie names. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Every character is a byte a header value may carry. */
export const HEADER_VALUE_BYTES = /^[\t\x20-\x7e\x80-\xff]*$/;

export const HEADER_VALUE_RULE = 'may contain only tab, space, visible ASCII and bytes 0x80–0xFF (no line breaks, control characters or characters above U+00FF)';

export function isHttpToken(text: string): boolean {
  return HTTP_TOKEN.test(text);
}

export function isHeaderValue(text: string): boolean {
  return HEADER_VALUE_BYTES.test(text);
}

/** The first character a header value may not carry, for a message; null when there is none. */
export function firstBadHeaderChar(text: string): string | null {
  const m = /[^\t\x20-\x7e\x80-\xff]/.exec(text);
  if (!m) return null;
  const code = m[0].codePointAt(0)!;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} at position ${m.index}`;
}

export const headerNameSchema = z.string().max(256).regex(HTTP_TOKEN, 'is not a valid HTTP header name');

/** A header value (or a Cookie header) of at most `maxBytes` bytes. */
export function headerValueSchema(maxBytes: number) {
  return z
    .string()
    .max(maxBytes)
    .refine(isHeaderValue, { error: (issue) => `${HEADER_VALUE_RULE}; found ${firstBadHeaderChar(String(issue.input))}` });
}

const encoder = new TextEncoder();

/** A body's size as sent (UTF-8), not its length in UTF-16 code units. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** A request body of at most `maxBytes` bytes once encoded as UTF-8. */
export function bodySchema(maxBytes: number) {
  return z
    .string()
    .max(maxBytes)
    .refine((text) => text.length * 3 <= maxBytes || utf8Bytes(text) <= maxBytes, `is larger than ${maxBytes} bytes once encoded as UTF-8`);
}
