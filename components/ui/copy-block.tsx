'use client';

import { useState } from 'react';

/** A block of text to paste elsewhere, with a copy button. */
export function CopyBlock({ label, text }: { label: string; text: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  }
  return (
    <div className="overflow-hidden rounded border border-slate-200">
      <div className="flex items-center justify-between bg-slate-100 px-3 py-1 text-xs text-slate-600">
        <span>{label}</span>
        <button type="button" onClick={copy} className="no-print rounded px-2 py-0.5 hover:bg-slate-200" aria-label={`Copy ${label}`}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre className="relative overflow-x-auto whitespace-pre bg-slate-900 p-3 font-mono text-xs text-slate-100">{text}</pre>
    </div>
  );
}
