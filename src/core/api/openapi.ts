// The OpenAPI 3.1 document of the API, generated from the route table's zod schemas with zod 4's own
// JSON Schema output (OpenAPI 3.1 schemas are JSON Schema 2020-12). Named schemas (`.meta({id})`) go
// to components.schemas and are referenced from there.
import { z } from 'zod';
import { ROUTES } from './routes.js';
import { API_VERSION, errorBody } from './schemas.js';

type Json = Record<string, unknown>;
let cached: Json | null = null;

function schemaOf(schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const js = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  const defs = (js.$defs ?? {}) as Json;
  delete js.$defs;
  delete js.$schema;
  const rewrite = (v: unknown): Json => JSON.parse(JSON.stringify(v).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json;
  for (const [k, v] of Object.entries(defs)) components[k] = rewrite(v);
  const id = typeof js.id === 'string' ? js.id : null;
  if (id) {
    delete js.id;
    components[id] = rewrite(js);
    return { $ref: `#/components/schemas/${id}` };
  }
  return rewrite(js);
}

const errorResponses = (ref: Json): Json => Object.fromEntries(
  [['400', 'bad request: malformed JSON, wrong types, invalid specs'], ['401', 'TCP without a valid bearer token'], ['404', 'unknown route, unit or generation'],
    ['405', 'method not allowed (see Allow)'], ['409', 'conflict: a spec that is a generation default or that other units require'], ['413', 'body too big'],
    ['415', 'body is not application/json'], ['500', 'internal error'], ['503', 'journal or store unavailable']]
    .map(([code, description]) => [code, { description, content: { 'application/json': { schema: ref } } }]),
);

/** The document served at /v1/openapi.json (built once). */
export function openApiDocument(): Json {
  if (cached) return cached;
  const components: Json = {};
  const errRef = schemaOf(errorBody, 'output', components);
  const paths: Record<string, Json> = {};
  for (const r of ROUTES) {
    const op: Json = { summary: r.summary, operationId: `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').split('/').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}` };
    const params: Json[] = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (r.query) {
      const q = schemaOf(r.query, 'input', components);
      const props = (q.properties ?? {}) as Json;
      const required = new Set((q.required ?? []) as string[]);
      for (const [name, schema] of Object.entries(props)) params.push({ name, in: 'query', required: required.has(name), schema });
    }
    if (params.length) op.parameters = params;
    if (r.body) op.requestBody = { required: !r.body.safeParse(undefined).success, content: { 'application/json': { schema: schemaOf(r.body, 'input', components) } } };
    const okType = r.stream ? 'text/event-stream' : 'application/json';
    op.responses = { [String(r.ok ?? 200)]: { description: 'ok', content: { [okType]: { schema: schemaOf(r.response, 'output', components) } } }, ...errorResponses(errRef) };
    const item = (paths[r.path] ??= {});
    item[r.method.toLowerCase()] = op;
  }
  paths['/v1/openapi.json'] = {
    get: { summary: 'This document', operationId: 'getOpenapi', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } },
  };
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'dialogosd API', version: API_VERSION,
      description: 'HTTP+JSON over the unix socket /run/dialogos/api.sock (host mode: <state>/run/api.sock); TCP with a bearer token when enabled.',
    },
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'TCP only; the token is in the instance\'s api.token (0600)' } },
    },
  };
  return cached;
}
