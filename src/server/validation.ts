/**
 * Request validation, one language for every route: zod schemas parsed by one preValidation hook factory
 * (`validate({ body, querystring, params })`) or by `parseWith` inside a handler; a failure is a 400 problem naming
 * each issue's field and reason. The same schemas give /openapi.json its request schemas (`jsonSchemaOf`), so the
 * documentation cannot drift from the code.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { optionsFromText, type OptionsSchema } from '../app/options.js';
import { HttpProblem } from './problem.js';

/** The parts of a request a route validates. */
export interface RequestSchemas {
  body?: z.ZodType;
  querystring?: z.ZodType;
  params?: z.ZodType;
}

export { ISO_CURRENCY_MESSAGE, isoCurrencySchema } from '../domain/index.js';

/** A boolean query parameter: `true` or `false`, `defaultValue` when absent. */
export function queryBoolean(defaultValue: boolean) {
  return z
    .enum(['true', 'false'])
    .default(defaultValue ? 'true' : 'false')
    .transform((v) => v === 'true');
}

/** How a failed parse is answered. */
export interface ParseProblem {
  /** HTTP status (default 400). */
  status?: number;
  /** Problem code (default 'validation'). */
  code?: string;
  /** Name of the whole value in messages, for issues at its root (default 'body'). */
  root?: string;
}

/** A zod issue path as a field name: `variants[0].weight`; the root name for an empty path. */
export function fieldName(path: readonly PropertyKey[], root = 'body'): string {
  if (path.length === 0) return root;
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** One line naming every problem zod found, field then reason (`amount: Too small…; currency: must be …`). */
export function describeIssues(error: z.ZodError, root = 'body'): string {
  return error.issues.map((i) => `${fieldName(i.path, root)}: ${i.message}`).join('; ');
}

/** Parses `value` with `schema`; throws an HttpProblem (400 'validation' unless told) naming each issue's field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, how: ParseProblem = {}): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpProblem(how.status ?? 400, how.code ?? 'validation', describeIssues(parsed.error, how.root));
  return parsed.data;
}

/** A Fastify preValidation hook: parses body, query and params with their schemas and puts the parsed values (defaults applied) in their place. */
export function validate(schemas: RequestSchemas, how: Omit<ParseProblem, 'root'> = {}): (request: FastifyRequest) => Promise<void> {
  const { body, querystring, params } = schemas;
  return async (request) => {
    if (params !== undefined) request.params = parseWith(params, request.params, { ...how, root: 'path' });
    if (querystring !== undefined) request.query = parseWith(querystring, { ...(request.query as object) }, { ...how, root: 'query' });
    if (body !== undefined) request.body = parseWith(body, request.body, { ...how, root: 'body' });
  };
}

/** The JSON Schema (2020-12, as OpenAPI 3.1 takes it) of what a request may send for `schema`, without `$schema`. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}

/** OpenAPI parameter objects (`in: query` or `path`) for the properties of an object schema. */
export function parametersOf(schema: z.ZodType, where: 'query' | 'path' = 'query'): Record<string, unknown>[] {
  const json = jsonSchemaOf(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || (json.required?.includes(name) ?? false),
      ...(description !== undefined ? { description } : {}),
      schema: rest,
    };
  });
}

/** A Fastify preValidation hook: reads a use case's options (its app/ schema) from the query string into `request.query`. */
export function validateQueryOptions(schema: OptionsSchema): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    request.query = optionsFromText(schema, { ...(request.query as Record<string, string | undefined>) });
  };
}
