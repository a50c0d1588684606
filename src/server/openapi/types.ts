/** The shape of a part of the OpenAPI document that a route module contributes. */
export interface OpenApiPart {
  /** OpenAPI 3.1 path items keyed by path (`/api/links/{id}`). */
  paths: Record<string, unknown>;
  /** Component schemas keyed by name (referenced as `#/components/schemas/NAME`). */
  schemas: Record<string, unknown>;
}
