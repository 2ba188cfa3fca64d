// The API of dialogosd: server, client, schemas (typed, for clients) and the OpenAPI document.
export { startApiServer, ApiAddressInUseError, SocketPathTooLongError } from './server.js';
export type { ApiServer, ApiServerOptions } from './server.js';
export { apiCall, apiEvents } from './client.js';
export type { ClientOptions } from './client.js';
export type { ApiBackend, GenerationsReader, UnitActionName } from './backend.js';
export { openApiDocument } from './openapi.js';
export { ensureToken, bearerMatches } from './auth.js';
export { ROUTES, toJournalQuery } from './routes.js';
export { MAX_BODY_BYTES } from './http.js';
export * as apiSchemas from './schemas.js';
export type * from './schemas.js';
export * from './errors.js';
