// In-memory OS interfaces for controller tests: a machine's hostname, links, mounts, clock and entropy
// pool as plain data the test sets up and inspects.
import { createHash } from 'node:crypto';
import { SysOpError, type EntropyOps, type Lease, type MountInfo, type MountOps, type NetOps, type SysOps, type TimeOps } from '../../../core/services/sysops.js';

export class MemoryNet implements NetOps {
  host = 'localhost';
  readonly up = new Set<string>();
  readonly addrs = new Map<string, string[]>();
  route: { gateway: string; ifname: string } | null = null;
  dns: string[] = [];
  /** What a DHCP request on an interface gets; absent = no answer. */
  readonly servers = new Map<string, Lease>();
  constructor(public linkNames: string[] = ['lo', 'eth0']) {}
  async hostname() { return this.host; }
  async setHostname(name: string) { this.host = name; }
  async links() { return [...this.linkNames]; }
  private need(ifname: string): void {
    if (!this.linkNames.includes(ifname)) throw new SysOpError(`Cannot configure "${ifname}": no such interface`);
  }
  async linkUp(ifname: string) { this.need(ifname); this.up.add(ifname); }
  async addresses(ifname: string) { return [...(this.addrs.get(ifname) ?? [])]; }
  async setAddress(ifname: string, cidr: string) { this.need(ifname); this.addrs.set(ifname, [cidr]); }
  async setDefaultRoute(gateway: string, ifname: string) { this.need(ifname); this.route = { gateway, ifname }; }
  async setDns(servers: string[]) { this.dns = [...servers]; return '/etc/resolv.conf'; }
  async dhcp(ifname: string, timeoutMs: number): Promise<Lease> {
    this.need(ifname);
    if (!this.up.has(ifname)) throw new SysOpError(`Cannot get a DHCP lease on "${ifname}": the link is down`);
    const l = this.servers.get(ifname);
    if (!l) throw new SysOpError(`Cannot get a DHCP lease on "${ifname}": no server answered within ${timeoutMs} ms`);
    return l;
  }
}

export class MemoryMounts implements MountOps {
  readonly table = new Map<string, MountInfo & { options: string[] }>();
  readonly paths = new Set<string>(['/', '/dev']);
  /** Targets whose umount fails as busy. */
  readonly busy = new Set<string>();
  async mounted(target: string) { const m = this.table.get(target); return m ? { source: m.source, type: m.type } : null; }
  async exists(path: string) { return this.paths.has(path); }
  async mkdirp(path: string) { this.paths.add(path); }
  async mount(source: string, type: string, target: string, options: string[]) {
    if (!this.paths.has(target)) throw new SysOpError(`Cannot mount ${source} on ${target}: mount point does not exist`);
    if (source.startsWith('/') && !this.paths.has(source)) throw new SysOpError(`Cannot mount ${source} on ${target}: special device ${source} does not exist`);
    this.table.set(target, { source, type, options });
  }
  async umount(target: string) {
    if (this.busy.has(target)) throw new SysOpError(`Cannot unmount ${target}: target is busy`);
    if (!this.table.delete(target)) throw new SysOpError(`Cannot unmount ${target}: not mounted`);
  }
}

export class MemoryTime implements TimeOps {
  rtc = true;
  synced = 0;
  tz = 'UTC';
  /** NTP servers that answer. */
  readonly answering = new Set<string>();
  constructor(public ntpUnavailable: string | null = null) {}
  async rtcToSystem() {
    if (!this.rtc) throw new SysOpError('Cannot set the clock from the RTC: no /dev/rtc0');
    this.synced++;
  }
  async ntpOnce(servers: string[], timeoutMs: number) {
    const s = servers.find((x) => this.answering.has(x));
    if (!s) throw new SysOpError(`Cannot reach any NTP server (${servers.join(', ')}) within ${timeoutMs} ms`);
    return s;
  }
  async setTimezone(tz: string) { this.tz = tz; }
  async knownTimezone(tz: string) { return tz === 'UTC' || tz === 'Europe/Berlin' || /^[A-Z]{3,}[-+]?\d/.test(tz); }
}

export class MemoryEntropy implements EntropyOps {
  readonly files = new Map<string, Buffer>();
  /** A digest of everything mixed in, in order. */
  pool = createHash('sha256').update('boot').digest();
  mixed: Buffer[] = [];
  avail: number | null = 256;
  private n = 0;
  async readSeed(path: string) { return this.files.get(path) ?? null; }
  async writeSeed(path: string, data: Buffer) { this.files.set(path, Buffer.from(data)); }
  async mix(data: Buffer) {
    this.mixed.push(Buffer.from(data));
    this.pool = createHash('sha256').update(this.pool).update(data).digest();
  }
  random(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i += 32) createHash('sha256').update(this.pool).update(String(this.n++)).digest().copy(out, i);
    return out;
  }
  async entropyAvail() { return this.avail; }
}

/** A whole in-memory machine. */
export function memorySysOps(): { net: MemoryNet; mount: MemoryMounts; time: MemoryTime; entropy: MemoryEntropy } & SysOps {
  return { net: new MemoryNet(), mount: new MemoryMounts(), time: new MemoryTime(), entropy: new MemoryEntropy() };
}
