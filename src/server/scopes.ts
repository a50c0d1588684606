/** The scopes an API key can carry. */
export const SCOPES = ['links:read', 'links:write', 'conversions:write', 'conversions:client', 'analytics:read', 'admin'] as const;
/** One scope of an API key. */
export type Scope = (typeof SCOPES)[number];
