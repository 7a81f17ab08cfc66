// The app's own session cookie, followed request by request: which one it is, and whether the app re-issued it.
// A session cookie replaced while the request carried it means the replica that answered did not know the session:
// users see it as being logged out.
import { KNOWN_APP_SESSION_COOKIES } from '../spec';
import type { AppSessionFacts, CookieHeaderResult, SetCookieEvent } from '../types';

const KNOWN = new Set<string>(KNOWN_APP_SESSION_COOKIES.map((n) => n.toLowerCase()));

export function isLikelyAppSessionCookie(name: string): boolean {
  return KNOWN.has(name.toLowerCase());
}

export class AppSessionTracker {
  private name: string | null;

  /** `setting`: a cookie name, or `auto` to take the first well-known session cookie the app sets. */
  constructor(setting: string) {
    this.name = setting === 'auto' ? null : setting;
  }

  /** Facts for one response; null until the session cookie is known. */
  observe(cookie: CookieHeaderResult, setCookies: readonly SetCookieEvent[], balancerCookie: string | null): AppSessionFacts | null {
    if (this.name === null) {
      const found = setCookies.find((e) => e.name !== balancerCookie && e.outcome !== 'rejected' && isLikelyAppSessionCookie(e.name));
      if (!found) return null;
      this.name = found.name;
    }
    const name = this.name;
    const i = cookie.sent.indexOf(name);
    const sent = i === -1 ? null : (cookie.values[i] ?? null);
    const lost = sent !== null && setCookies.some((e) => e.name === name && (e.outcome === 'deleted' || e.value !== sent));
    return { name, sent: sent !== null, lost };
  }
}
