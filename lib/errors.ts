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

/** Invalid input from a user or a request body; maps to HTTP 400/422. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
    this.name = 'InputError';
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

/** The server is at a capacity limit it keeps on purpose; maps to HTTP 503. Trying again later can succeed. */
export class BusyError extends Error {
  readonly code = 'busy';
  constructor(message: string) {
    super(message);
    this.name = 'BusyError';
  }
}
