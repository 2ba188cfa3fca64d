// The narrow OS interfaces of the mount, network, time and entropy controllers. Each has a real
// implementation (sysops-node.ts: busybox applets and /proc, as the booted image has them) and an
// in-memory one (sysops-memory.ts) for controller tests; what both must do is the shared suite in
// src/testkit/core/services/compliance-sysops.ts.

/** A failed OS operation; `message` says what was attempted, on what, and what the OS answered. */
export class SysOpError extends Error {
  override name = 'SysOpError';
}

export interface Lease {
  /** CIDR, e.g. 10.0.2.15/24. */
  address: string;
  router?: string;
  dns: string[];
  /** Seconds, as the server granted. */
  leaseSeconds?: number;
}

export interface NetOps {
  hostname(): Promise<string>;
  /** @throws SysOpError */
  setHostname(name: string): Promise<void>;
  /** Names of the network interfaces, e.g. ["lo", "eth0"]. */
  links(): Promise<string[]>;
  /** @throws SysOpError */
  linkUp(ifname: string): Promise<void>;
  /** IPv4 addresses with prefix on the interface. */
  addresses(ifname: string): Promise<string[]>;
  /** Replaces every IPv4 address of the interface with `cidr`. @throws SysOpError */
  setAddress(ifname: string, cidr: string): Promise<void>;
  /** Replaces the default route. @throws SysOpError */
  setDefaultRoute(gateway: string, ifname: string): Promise<void>;
  /** Writes the resolver configuration (nameserver lines); returns the file written. @throws SysOpError */
  setDns(servers: string[]): Promise<string>;
  /**
   * Loads the drivers of the network devices present (as udev's coldplug would: by modalias, plus the
   * usual NIC drivers); absent where the system does that itself. Never throws: a missing driver shows
   * as a missing interface.
   */
  loadDrivers?(): Promise<void>;
  /** Asks for a DHCP lease (does not configure anything). @throws SysOpError when none came in time */
  dhcp(ifname: string, timeoutMs: number): Promise<Lease>;
}

export interface MountInfo { source: string; type: string }

export interface MountOps {
  /** What is mounted at `target` (the last mount there), or null. */
  mounted(target: string): Promise<MountInfo | null>;
  exists(path: string): Promise<boolean>;
  /** @throws SysOpError */
  mkdirp(path: string): Promise<void>;
  /** @throws SysOpError with the OS's words (no such device, wrong fs type, ...) */
  mount(source: string, type: string, target: string, options: string[]): Promise<void>;
  /** @throws SysOpError (busy, ...) */
  umount(target: string): Promise<void>;
}

export interface TimeOps {
  /** Sets the system clock from the RTC (hwclock -s). @throws SysOpError (no RTC, ...) */
  rtcToSystem(): Promise<void>;
  /** One NTP exchange with the first server that answers; returns its name. @throws SysOpError */
  ntpOnce(servers: string[], timeoutMs: number): Promise<string>;
  /** Why NTP cannot work here at all (no client), or null. */
  readonly ntpUnavailable: string | null;
  /** Makes `tz` the time zone of dialogosd and of services started from now on. */
  setTimezone(tz: string): Promise<void>;
  /** Whether `tz` names a zone this system can resolve (a zoneinfo file or a POSIX TZ string). */
  knownTimezone(tz: string): Promise<boolean>;
}

export interface EntropyOps {
  /** The seed file's bytes, or null when there is none. @throws SysOpError when it cannot be read */
  readSeed(path: string): Promise<Buffer | null>;
  /** Writes the seed atomically (tmp, fsync, rename, fsync dir), mode 0600. @throws SysOpError */
  writeSeed(path: string, data: Buffer): Promise<void>;
  /** Mixes bytes into the kernel pool (a write to /dev/urandom: mixed, not credited). @throws SysOpError */
  mix(data: Buffer): Promise<void>;
  /** Bytes from the kernel RNG. */
  random(n: number): Buffer;
  /** The kernel's entropy_avail (256 once the RNG is initialised, on Linux 5.18+), or null when unknown. */
  entropyAvail(): Promise<number | null>;
}

/** The OS interfaces of the controllers; `privileged` is null when root, else why changes cannot be made. */
export interface SysOps {
  net: NetOps;
  mount: MountOps;
  time: TimeOps;
  entropy: EntropyOps;
}
