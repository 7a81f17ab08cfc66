// The headers every response carries, pages or not. Pure apart from the nonce's randomness.
import { randomBytes } from 'node:crypto';

/** A fresh value for a page's `'nonce-…'`: Next puts it on its own inline and bootstrap scripts. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The policy of an HTML page. Scripts run only from this origin or with this response's nonce, so injected markup
 * cannot run script. Styles: the stylesheet is a file, but React and recharts write `style` attributes into the
 * server-rendered markup, which only `style-src-attr 'unsafe-inline'` lets through; style elements stay blocked.
 * connect-src: the Probe page's direct mode sends each probe request from the browser itself, to whatever target
 * the operator typed (any http or https origin, any port), so the policy cannot name them; it still keeps
 * scripts from opening WebSockets or anything but http(s).
 */
export function pagePolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // Development builds evaluate modules with eval() and the error overlay styles itself inline.
    `script-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-eval'" : ''}`,
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self' http: https:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy of everything that is not a page (JSON, files, errors): nothing may load, run or frame it. */
export const NON_PAGE_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The headers of every response, with its policy. Share pages replace the Referrer-Policy with `no-referrer`
 * (next.config.js). A literal rather than a spread of a shared object: this runs on the relay's hot path.
 */
export function securityHeaders(policy: string): Record<string, string> {
  return {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // Probe targets and report ids sit in dashboard URLs; other sites never see them.
    'Referrer-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
