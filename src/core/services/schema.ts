// The desired state as data: zod schemas of every spec kind. Defaults are filled in here, so a
// controller only ever sees complete specs. Unknown fields are errors (a typo must not pass silently).
import { z } from 'zod';

/** Unit names: also cgroup directory names and file names, so no dots, slashes or upper case. */
export const UNIT_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const unitName = z.string().regex(UNIT_NAME, 'expected a unit name: a lower-case letter, then up to 62 of a-z 0-9 -');
const ms = z.number().int().nonnegative();
const posMs = z.number().int().positive();
const absPath = z.string().startsWith('/', 'expected an absolute path');

export const backoffSchema = z.strictObject({
  initialMs: posMs.default(100),
  maxMs: posMs.default(30_000),
  factor: z.number().min(1).max(100).default(2),
}).refine((b) => b.maxMs >= b.initialMs, { message: 'expected maxMs >= initialMs', path: ['maxMs'] });

export const restartSchema = z.strictObject({
  policy: z.enum(['always', 'on-failure', 'never']).default('on-failure'),
  backoff: backoffSchema.default({ initialMs: 100, maxMs: 30_000, factor: 2 }),
  crashLoop: z.strictObject({
    maxRestarts: z.number().int().nonnegative().default(5),
    withinMs: posMs.default(60_000),
  }).default({ maxRestarts: 5, withinMs: 60_000 }),
});

export const readinessSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('file'), path: absPath, timeoutMs: posMs.default(30_000) }),
  z.strictObject({ kind: z.literal('tcp'), host: z.string().min(1).default('127.0.0.1'), port: z.number().int().min(1).max(65535), timeoutMs: posMs.default(30_000) }),
  z.strictObject({ kind: z.literal('unix'), path: absPath, timeoutMs: posMs.default(30_000) }),
  z.strictObject({ kind: z.literal('command'), command: z.array(z.string()).min(1), timeoutMs: posMs.default(30_000) }),
  z.strictObject({ kind: z.literal('log'), pattern: z.string().min(1).refine(isRegExp, 'expected a valid regular expression'), timeoutMs: posMs.default(30_000) }),
]);

export const healthSchema = z.strictObject({
  command: z.array(z.string()).min(1),
  intervalMs: posMs.default(10_000),
  timeoutMs: posMs.default(5_000),
  /** Consecutive failures before the service is restarted (as a failure, under its restart policy). */
  failures: z.number().int().positive().default(3),
});

/** `cpu` is a fraction of one CPU (0.5 = half a core) or a raw cgroup v2 `cpu.max` value ("max 100000", "50000 100000"). */
export const limitsSchema = z.strictObject({
  cpu: z.union([z.number().positive().max(1024), z.string().regex(/^(max|\d+)( \d+)?$/, 'expected a cpu.max value such as "50000 100000" or "max"')]).optional(),
  memoryBytes: z.number().int().min(1 << 20, 'expected at least 1 MiB').optional(),
  pids: z.number().int().positive().optional(),
});

export const serviceSchema = z.strictObject({
  kind: z.literal('service'),
  name: unitName,
  description: z.string().optional(),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'), z.string()).default({}),
  /** A user name or numeric uid; switching happens only when dialogosd runs as root. */
  user: z.union([z.string().regex(/^[a-z_][a-z0-9_-]*\$?$/, 'expected a user name'), z.number().int().nonnegative()]).optional(),
  workingDirectory: absPath.optional(),
  after: z.array(unitName).default([]),
  requires: z.array(unitName).default([]),
  restart: restartSchema.default({ policy: 'on-failure', backoff: { initialMs: 100, maxMs: 30_000, factor: 2 }, crashLoop: { maxRestarts: 5, withinMs: 60_000 } }),
  readiness: readinessSchema.default({ kind: 'none' }),
  health: healthSchema.optional(),
  limits: limitsSchema.default({}),
  /** SIGTERM to the process group, then SIGKILL after this long. */
  stopTimeoutMs: ms.default(10_000),
  enabled: z.boolean().default(true),
});

export const mountSchema = z.strictObject({
  kind: z.literal('mount'),
  name: unitName,
  source: z.string().min(1),
  target: absPath,
  type: z.string().min(1),
  options: z.array(z.string()).default([]),
  enabled: z.boolean().default(true),
});

const ipv4Cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'expected an IPv4 address with prefix, e.g. "10.0.2.15/24"');
const ipv4 = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}$/, 'expected an IPv4 address');
export const networkSchema = z.strictObject({
  kind: z.literal('network'),
  name: z.literal('network').default('network'),
  hostname: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i, 'expected a host name label').optional(),
  interfaces: z.array(z.discriminatedUnion('mode', [
    z.strictObject({ name: z.string().min(1), mode: z.literal('dhcp') }),
    z.strictObject({ name: z.string().min(1), mode: z.literal('static'), address: ipv4Cidr, gateway: ipv4.optional(), dns: z.array(ipv4).default([]) }),
  ])).default([]),
  enabled: z.boolean().default(true),
});

export const timeSchema = z.strictObject({
  kind: z.literal('time'),
  name: z.literal('time').default('time'),
  ntpServers: z.array(z.string().min(1)).default([]),
  timezone: z.string().default('UTC'),
  enabled: z.boolean().default(true),
});

export const entropySchema = z.strictObject({
  kind: z.literal('entropy'),
  name: z.literal('entropy').default('entropy'),
  /** A seed file on /data, credited at boot and refreshed, as systemd-random-seed does. */
  seedFile: absPath.default('/data/dialogos/random-seed'),
  enabled: z.boolean().default(true),
});

export const specSchema = z.discriminatedUnion('kind', [serviceSchema, mountSchema, networkSchema, timeSchema, entropySchema]);

export type ServiceSpec = z.output<typeof serviceSchema>;
export type ServiceSpecInput = z.input<typeof serviceSchema>;
export type MountSpec = z.output<typeof mountSchema>;
export type NetworkSpec = z.output<typeof networkSchema>;
export type TimeSpec = z.output<typeof timeSchema>;
export type EntropySpec = z.output<typeof entropySchema>;
export type Spec = z.output<typeof specSchema>;
export type SpecKind = Spec['kind'];
export type Readiness = ServiceSpec['readiness'];
export type Limits = ServiceSpec['limits'];

function isRegExp(s: string): boolean {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}
