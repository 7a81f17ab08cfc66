'use client';

import { useEffect, useState } from 'react';

function describe(seconds: number): string {
  if (seconds < 2) return 'just now';
  if (seconds < 90) return `${seconds} s ago`;
  return `${Math.round(seconds / 60)} min ago`;
}

/** "updated N s ago", ticking, and marked stale once several refreshes were missed. */
export function UpdatedAgo({ at, staleAfterMs }: { at: number; staleAfterMs: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const ageMs = Math.max(0, now - at);
  const stale = ageMs > staleAfterMs;
  return (
    <span className={`text-xs ${stale ? 'font-medium text-down' : 'text-slate-500'}`} suppressHydrationWarning>
      updated {describe(Math.round(ageMs / 1000))}
      {stale ? ' (stale: refresh failing)' : ''}
    </span>
  );
}
