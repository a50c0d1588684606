/** RFC 9457 problem details: the one error type routes throw, and the mapping of every error to a problem. */
import { CloutError, type ErrorCode } from '../domain/index.js';

/** A problem+json document. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An HTTP error with a stable code; the app's error handler renders it as application/problem+json. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;

  constructor(status: number, code: string, detail: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = status;
    this.code = code;
    this.headers = headers;
    this.extra = extra;
  }

  /** The problem+json body. */
  body(): ProblemBody {
    return problemBody(this.status, this.code, this.message, this.extra);
  }
}

/** Makes an HttpProblem (throw it from a route or preHandler). */
export function problem(status: number, code: string, detail: string): HttpProblem {
  return new HttpProblem(status, code, detail);
}

/** The problem+json body for a status, code and detail. */
export function problemBody(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): ProblemBody {
  return { type: `urn:clout:problem:${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...extra };
}

/** The HTTP status of each error code: typed over ERROR_CODES, so a new code cannot go unmapped. */
const CLOUT_STATUS: Readonly<Record<ErrorCode, number>> = {
  usage: 400,
  bad_option: 400,
  input: 400,
  unknown_kind: 400,
  unsupported_format: 400,
  file_not_found: 404,
  network: 502,
  store: 500,
  internal: 500,
};

/** Maps any thrown value (HttpProblem, CloutError, Fastify errors) to a problem. */
export function toProblem(e: unknown): HttpProblem {
  if (e instanceof HttpProblem) return e;
  // A bad option (a use case's options schema refused a query or body value) is the API's one kind of invalid input.
  if (e instanceof CloutError && e.code === 'bad_option') return new HttpProblem(400, 'validation', e.message);
  if (e instanceof CloutError) return new HttpProblem(CLOUT_STATUS[e.code], e.code, e.message);
  const err = e as { code?: string; statusCode?: number; validation?: unknown; message?: string };
  if (err?.validation !== undefined) return new HttpProblem(400, 'validation', err.message ?? 'invalid request');
  switch (err?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HttpProblem(400, 'bad_json', 'the request body is not valid JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpProblem(400, 'bad_json', 'the request body is empty but the content type is application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpProblem(413, 'body_too_large', err.message ?? 'request body too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpProblem(415, 'unsupported_media_type', err.message ?? 'unsupported content type');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpProblem(400, 'bad_request', err.message ?? 'invalid content length');
  }
  if (e instanceof SyntaxError && err.statusCode === 400) return new HttpProblem(400, 'bad_json', 'the request body is not valid JSON');
  const status = typeof err?.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status < 500) return new HttpProblem(status, 'bad_request', err.message ?? 'bad request');
  return new HttpProblem(500, 'internal', 'internal error');
}
