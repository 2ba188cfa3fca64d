// The API of dialogosd: the server dialogosd starts, the client the CLI and the dialog call, and the
// body types they share. Only what other subsystems use; the tests reach the modules themselves.
export { startApiServer, MAX_SOCKET_PATH, ApiAddressInUseError, SocketPathTooLongError } from './server.js';
export type { ApiServer, ApiServerOptions } from './server.js';
export { apiCall, apiEvents } from './client.js';
export type { ClientOptions } from './client.js';
export type { ApiBackend, GenerationsReader, UnitActionName } from './backend.js';
export { ensureToken } from './auth.js';
export type { StatusBody, UnitStatusBody, JournalEntryBody, ApplyBody, ActionBody, PowerBody } from './schemas.js';
export * from './errors.js';
