/** A non-2xx answer from one of our own API routes, with the server's message, code and first issues (of `issueCount`). */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
    readonly issues: string[] = [],
    readonly issueCount = issues.length,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

type ErrorBody = { error: { message?: unknown; code?: unknown; issues?: unknown; issueCount?: unknown } };

function isErrorBody(body: unknown): body is ErrorBody {
  return typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object' && body.error !== null;
}

/** Calls one of our own API routes; a non-2xx answer becomes an ApiRequestError carrying the server's message. */
export async function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiRequestError(`${path} answered ${response.status} with a body that is not JSON`, response.status);
  }
  if (!response.ok) {
    if (!isErrorBody(body)) throw new ApiRequestError(`${path} answered ${response.status}`, response.status);
    const { message, code, issues, issueCount } = body.error;
    const listed = Array.isArray(issues) ? issues.map(String) : [];
    throw new ApiRequestError(
      String(message),
      response.status,
      typeof code === 'string' ? code : null,
      listed,
      typeof issueCount === 'number' ? issueCount : listed.length,
    );
  }
  return body as T;
}
