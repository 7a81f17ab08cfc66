'use client';

import { useEffect, useState } from 'react';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import { redactionSummary } from '@/lib/reports/redaction-summary';
import { createShare, revokeShare, type CreatedShare } from './report-api';

const EXPIRY_CHOICES = [
  { label: '1 day', hours: 24 },
  { label: '7 days', hours: 24 * 7 },
  { label: '30 days', hours: REPORT_LIMITS.defaultShareHours },
  { label: 'never (until revoked)', hours: null },
] as const;

type Link = CreatedShare & { revoked?: boolean };

// The dashboard stores only a hash of each link id, so it cannot list them again; this browser remembers the links it
// created so their author can copy or revoke them later.
const storageKey = (reportId: string) => `stickyscope.shares.${reportId}`;

function loadLinks(reportId: string): Link[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(reportId)) ?? '[]');
    return Array.isArray(parsed) ? (parsed as Link[]).filter((l) => typeof l?.shareId === 'string' && typeof l.shareUrl === 'string') : [];
  } catch {
    return [];
  }
}

function expiryText(expiresAt: number | null): string {
  if (expiresAt === null) return 'no expiry';
  return expiresAt < Date.now() ? 'expired' : `expires ${new Date(expiresAt).toLocaleString()}`;
}

export function ShareControls({ reportId, redacted, stripQuery }: { reportId: string; redacted: boolean; stripQuery: boolean }) {
  const [links, setLinks] = useState<Link[]>([]);
  const [hours, setHours] = useState<number | null>(REPORT_LIMITS.defaultShareHours);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  useEffect(() => setLinks(loadLinks(reportId)), [reportId]);

  function remember(next: Link[]) {
    setLinks(next);
    try {
      localStorage.setItem(storageKey(reportId), JSON.stringify(next));
    } catch {
      // Private mode or a full storage: the links still show until the page is left.
    }
  }

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const link = await createShare(reportId, hours);
      remember([link, ...links]);
    } catch (e) {
      setError(`The link could not be created: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(link: Link) {
    setError(null);
    try {
      await revokeShare(reportId, link.shareId);
      remember(links.map((l) => (l.shareId === link.shareId ? { ...l, revoked: true } : l)));
    } catch (e) {
      setError(`The link could not be revoked: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(url);
    } catch {
      setCopied(null);
    }
  }

  return (
    <div className="space-y-3 text-sm">
      <p className="text-slate-600">
        {redacted ? (
          <>
            A share link shows this report read-only and <strong>redacted</strong>: {redactionSummary(stripQuery)}.
          </>
        ) : (
          <>
            A share link shows this report read-only and <strong>not redacted</strong>: its author turned redaction off when the run
            started, so cookie values and private addresses are visible to anyone with the link.
          </>
        )}
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs text-slate-600">
          Link expires
          <select
            value={hours === null ? '' : String(hours)}
            onChange={(e) => setHours(e.target.value ? Number(e.target.value) : null)}
            className="rounded border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900"
          >
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.label} value={c.hours === null ? '' : String(c.hours)}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={create} disabled={busy} className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50">
          {busy ? 'Creating…' : 'Create share link'}
        </button>
      </div>
      {error ? (
        <p role="alert" className="text-down">
          {error}
        </p>
      ) : null}
      {links.length > 0 ? (
        <ul aria-label="Share links" className="space-y-2">
          {links.map((link) => (
            <li key={link.shareId} className="flex flex-wrap items-center gap-2">
              <input
                readOnly
                aria-label="Share link"
                value={link.shareUrl}
                onFocus={(e) => e.currentTarget.select()}
                className={`min-w-0 flex-1 rounded border border-slate-300 px-2 py-1 font-mono text-xs ${link.revoked ? 'text-slate-400 line-through' : ''}`}
              />
              <span className="text-xs text-slate-500">{link.revoked ? 'revoked' : expiryText(link.expiresAt)}</span>
              {link.revoked ? null : (
                <>
                  <button type="button" onClick={() => copy(link.shareUrl)} className="rounded px-2 py-1 text-xs ring-1 ring-slate-300 hover:bg-slate-100">
                    {copied === link.shareUrl ? 'Copied' : 'Copy'}
                  </button>
                  <a href={link.shareUrl} target="_blank" rel="noreferrer" className="rounded px-2 py-1 text-xs ring-1 ring-slate-300 hover:bg-slate-100">
                    Open
                  </a>
                  <button type="button" onClick={() => revoke(link)} className="rounded px-2 py-1 text-xs text-down ring-1 ring-down/40 hover:bg-down/5">
                    Revoke
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="text-xs text-slate-500">
        The dashboard keeps only a hash of each link, so links are listed here in the browser that created them; a revoked or
        expired link answers “not found”.
      </p>
    </div>
  );
}
