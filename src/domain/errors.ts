/** Stable error codes; the CLI maps each to an exit code and the HTTP API to a status. */
export const ERROR_CODES = {
  USAGE: 'usage',
  UNKNOWN_KIND: 'unknown_kind',
  FILE_NOT_FOUND: 'file_not_found',
  UNSUPPORTED_FORMAT: 'unsupported_format',
  BAD_OPTION: 'bad_option',
  STORE: 'store',
  INPUT: 'input',
  /** A service a connector called failed or answered something unusable (after retries). */
  NETWORK: 'network',
  INTERNAL: 'internal',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** The one error class of clout: a stable `code`, a human message, optional details. */
export class CloutError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'CloutError';
    this.code = code;
    this.details = details;
  }
}

/** True when `e` is a CloutError with one of the given codes (or any code when none are given). */
export function isCloutError(e: unknown, ...codes: ErrorCode[]): e is CloutError {
  return e instanceof CloutError && (codes.length === 0 || codes.includes(e.code));
}
