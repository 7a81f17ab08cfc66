// The browser's calls to the report API, for the report pages' buttons. Errors carry the server's message.
import { fetchJson } from '@/lib/queries/fetch-json';

export type CreatedShare = { shareId: string; shareUrl: string; expiresAt: number | null };
export type ImportedReport = { id: string; shareUrl: string; reportUrl: string };

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const path = (reportId: string) => `/api/reports/${encodeURIComponent(reportId)}`;

export function createShare(reportId: string, expiresInHours: number | null): Promise<CreatedShare> {
  return fetchJson<CreatedShare>(`${path(reportId)}/shares`, post({ expiresInHours }));
}

export function revokeShare(reportId: string, shareId: string): Promise<null> {
  return fetchJson<null>(`${path(reportId)}/shares/${encodeURIComponent(shareId)}`, { method: 'DELETE' });
}

export function deleteReport(reportId: string): Promise<null> {
  return fetchJson<null>(path(reportId), { method: 'DELETE' });
}

/** Sends an exported report file as it is, streamed from the file; the server validates it and answers what was wrong. */
export function importReport(json: Blob | string): Promise<ImportedReport> {
  return fetchJson<ImportedReport>('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });
}

export const exportJsonHref = (reportId: string) => `${path(reportId)}?download=1`;
export const exportCsvHref = (reportId: string) => `${path(reportId)}/records`;
