// Errors thrown by adapters to outside systems. Each carries a code the UI and the HTTP layer translate once.

export const sourceErrorCodes = [
  'config',
  'unreachable',
  'timeout',
  'permission',
  'auth',
  'not-found',
  'not-swarm-manager',
  'bad-response',
  'too-large',
] as const;

export type SourceErrorCode = (typeof sourceErrorCodes)[number];

/** A failure reading Docker or Traefik, with a message meant for a person. */
export class SourceError extends Error {
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SourceError';
  }
}

/** Most problems an error lists; the rest are only counted, so an answer stays small whatever was sent. */
export const MAX_LISTED_ISSUES = 20;
/** Longest listed problem, and longest error message: past these the text (which may quote input) is cut. */
export const MAX_ISSUE_CHARS = 500;
export const MAX_MESSAGE_CHARS = 2000;

/** `text` cut to at most `max` characters, marked with an ellipsis when cut. */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Invalid input from a user or a request body; maps to HTTP 400. Keeps the first `MAX_LISTED_ISSUES` problems and
 * the count of all of them (`issueCount`, which a caller that stopped listing early passes in).
 */
export class InputError extends Error {
  readonly issues: string[];
  readonly issueCount: number;

  constructor(message: string, issues: readonly string[] = [], issueCount = issues.length) {
    super(cutText(message, MAX_MESSAGE_CHARS));
    this.name = 'InputError';
    this.issues = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => cutText(issue, MAX_ISSUE_CHARS));
    this.issueCount = Math.max(issueCount, issues.length);
  }
}

/** Input over a limit (a body, a count); maps to HTTP 413, and reading stops there. */
export class TooLargeError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'TooLargeError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A destination the configuration does not allow (the relay's allowlist); maps to HTTP 403. */
export class ForbiddenTargetError extends Error {
  readonly code = 'target-not-allowed';
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenTargetError';
  }
}

/** An action this server refuses whatever the input, such as a label edit on anything but the demo lab; maps to HTTP 403. */
export class ForbiddenError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** A thing the request names that this server does not have (or will not admit to having); maps to HTTP 404. */
export class NotFoundError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The server is at a capacity limit it keeps on purpose; maps to HTTP 503. Trying again later can succeed. */
export class BusyError extends Error {
  readonly code = 'busy';
  constructor(message: string) {
    super(message);
    this.name = 'BusyError';
  }
}
