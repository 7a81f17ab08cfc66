/** GETs one of our own API routes; a non-2xx answer becomes an Error carrying the server's message. */
export async function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new Error(`${path} answered ${response.status} with a body that is not JSON`);
  }
  if (!response.ok) {
    const message =
      typeof body === 'object' && body !== null && 'error' in body
        ? String((body as { error: { message?: unknown } }).error.message)
        : `${path} answered ${response.status}`;
    throw new Error(message);
  }
  return body as T;
}
