// The real OS interfaces of the non-service controllers: /proc and /sys where they suffice, busybox
// applets (ip, udhcpc, mount, umount, hwclock, ntpd) for the rest, as the booted image ships them
// (/bin/busybox; the host's busybox-static in host mode). Every command has a time limit.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, open, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../std/index.js';
import { SysOpError, type EntropyOps, type Lease, type MountOps, type NetOps, type SysOps, type TimeOps } from './sysops.js';

export interface NodeSysOpsOptions {
  /** Default /bin/busybox. */
  busybox?: string;
  /** Writable directory for the DHCP script and, when /etc is read-only, resolv.conf (/run/dialogos). */
  runDir: string;
  /** Services started later get the time zone through their base environment. */
  baseEnv?: Record<string, string>;
  /** Load NIC drivers before configuring interfaces (a booted machine: nothing else does). */
  loadDrivers?: boolean;
}

const NIC_DRIVERS = ['virtio_net', 'e1000', 'e1000e', 'r8169'];

/** Modaliases of virtio devices and of PCI network controllers (class 0x02xxxx). */
async function netModaliases(): Promise<string[]> {
  const out: string[] = [];
  for (const bus of ['virtio', 'pci']) {
    const dir = `/sys/bus/${bus}/devices`;
    for (const d of await readdir(dir).catch(() => [] as string[])) {
      if (bus === 'pci' && !(await readFile(`${dir}/${d}/class`, 'utf8').catch(() => '')).startsWith('0x02')) continue;
      const alias = (await readFile(`${dir}/${d}/modalias`, 'utf8').catch(() => '')).trim();
      if (alias) out.push(alias);
    }
  }
  return out;
}

// udhcpc calls this with deconfig/bound/renew/...; it only reports the lease: the controller applies it.
const DHCP_SCRIPT = '#!/bin/sh\ncase "$1" in bound|renew) echo "dialogos-lease ip=$ip mask=$mask router=$router dns=$dns lease=$lease";; esac\nexit 0\n';

function run(file: string, args: string[], timeoutMs: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const e = err as NodeJS.ErrnoException & { killed?: boolean };
      const why = e.killed ? `no answer within ${timeoutMs} ms` : e.code === 'ENOENT' ? `${file} is missing` : (String(stderr).trim().split('\n').pop() || e.message);
      reject(new SysOpError(`${what}: ${why}`, { cause: err }));
    });
  });
}

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);
/** /proc/mounts escapes spaces and friends as octal. */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export async function createNodeSysOps(o: NodeSysOpsOptions): Promise<SysOps> {
  const bb = o.busybox ?? '/bin/busybox';
  const applets = new Set((await run(bb, ['--list'], 5000, 'list busybox applets').catch(() => '')).split('\n').filter(Boolean));
  return { net: nodeNetOps(o, bb, applets), mount: nodeMountOps(bb), time: nodeTimeOps(o, bb, applets), entropy: nodeEntropyOps() };
}

type Applets = ReadonlySet<string>;

function nodeNetOps(o: NodeSysOpsOptions, bb: string, applets: Applets): NetOps {
  const ip = (args: string[], what: string) => run(bb, ['ip', ...args], 10_000, what);
  return {
    hostname: async () => (await readFile('/proc/sys/kernel/hostname', 'utf8')).trim(),
    async setHostname(name) {
      try {
        await writeFile('/proc/sys/kernel/hostname', name);
      } catch (err) {
        throw new SysOpError(`Cannot set the host name to "${name}": ${(err as Error).message}`, { cause: err });
      }
    },
    // Netlink through ip, not /sys/class/net: /sys shows the namespace it was mounted in, not ours.
    async links() {
      const out = await ip(['-o', 'link', 'show'], 'Cannot list network interfaces').catch(() => null);
      if (out === null) return (await readdir('/sys/class/net').catch(() => [] as string[])).sort();
      return [...out.matchAll(/^\d+: ([^:@\s]+)/gm)].map((m) => m[1]!).sort();
    },
    async linkUp(ifname) { await ip(['link', 'set', 'dev', ifname, 'up'], `Cannot bring up "${ifname}"`); },
    async addresses(ifname) {
      const out = await ip(['-4', '-o', 'addr', 'show', 'dev', ifname], `Cannot list the addresses of "${ifname}"`);
      return [...out.matchAll(/\binet (\d+\.\d+\.\d+\.\d+\/\d+)/g)].map((m) => m[1]!);
    },
    async setAddress(ifname, cidr) {
      await ip(['-4', 'addr', 'flush', 'dev', ifname], `Cannot clear the addresses of "${ifname}"`);
      await ip(['addr', 'add', cidr, 'dev', ifname], `Cannot add address ${cidr} to "${ifname}"`);
    },
    async setDefaultRoute(gateway, ifname) { await ip(['route', 'replace', 'default', 'via', gateway, 'dev', ifname], `Cannot route through ${gateway} on "${ifname}"`); },
    async setDns(servers) {
      const text = servers.map((s) => `nameserver ${s}\n`).join('');
      try {
        await writeFileAtomic('/etc/resolv.conf', text);
        return '/etc/resolv.conf';
      } catch {
        // A read-only root (a booted generation): the run directory is the place left.
        const p = join(o.runDir, 'resolv.conf');
        await mkdir(o.runDir, { recursive: true });
        await writeFileAtomic(p, text);
        return p;
      }
    },
    ...(o.loadDrivers ? {
      async loadDrivers() {
        // -q: aliases without a module and drivers this kernel lacks are fine; -a: one process for all.
        await run(bb, ['modprobe', '-a', '-q', ...(await netModaliases()), ...NIC_DRIVERS], 30_000, 'Cannot load network drivers').catch(() => undefined);
      },
    } : {}),
    async dhcp(ifname, timeoutMs) {
      if (!applets.has('udhcpc')) throw new SysOpError(`Cannot ask for a DHCP lease on "${ifname}": ${bb} has no udhcpc`);
      const script = join(o.runDir, 'udhcpc.script');
      await mkdir(o.runDir, { recursive: true });
      await writeFile(script, DHCP_SCRIPT);
      await chmod(script, 0o755);
      // -f foreground, -q quit once bound, -n fail when no lease: one exchange, 2 s per try.
      const tries = String(Math.max(1, Math.floor(timeoutMs / 2000)));
      const out = await run(bb, ['udhcpc', '-f', '-q', '-n', '-i', ifname, '-s', script, '-t', tries, '-T', '2'], timeoutMs + 2000, `Cannot get a DHCP lease on "${ifname}"`);
      const line = out.split('\n').find((l) => l.startsWith('dialogos-lease '));
      const f = Object.fromEntries((line ?? '').slice(15).split(' ').map((kv) => kv.split('=') as [string, string]));
      if (!f.ip || !/^\d+$/.test(f.mask ?? '')) throw new SysOpError(`Cannot get a DHCP lease on "${ifname}": udhcpc ended without one`);
      const dns = (line ?? '').match(/ dns=([\d. ]*?)(?: lease=|$)/)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
      const lease: Lease = { address: `${f.ip}/${f.mask}`, dns };
      if (f.router) lease.router = f.router.split(' ')[0]!;
      if (f.lease && /^\d+$/.test(f.lease)) lease.leaseSeconds = Number(f.lease);
      return lease;
    },
  };
}

function nodeMountOps(bb: string): MountOps {
  return {
    async mounted(target) {
      const lines = (await readFile('/proc/self/mounts', 'utf8')).split('\n');
      let found = null;
      for (const l of lines) {
        const [source, at, type] = l.split(' ');
        if (at !== undefined && unescape(at) === target) found = { source: unescape(source!), type: type! };
      }
      return found;
    },
    exists,
    async mkdirp(path) { await mkdir(path, { recursive: true }).catch((err: Error) => { throw new SysOpError(`Cannot create mount point ${path}: ${err.message}`, { cause: err }); }); },
    async mount(source, type, target, options) {
      await run(bb, ['mount', '-t', type, ...(options.length ? ['-o', options.join(',')] : []), source, target], 30_000, `Cannot mount ${source} on ${target}`);
    },
    async umount(target) { await run(bb, ['umount', target], 30_000, `Cannot unmount ${target}`); },
  };
}

function nodeTimeOps(o: NodeSysOpsOptions, bb: string, applets: Applets): TimeOps {
  return {
    ntpUnavailable: applets.has('ntpd') ? null : `${bb} has no ntpd applet, so this system has no NTP client`,
    async rtcToSystem() {
      if (!(await exists('/dev/rtc0')) && !(await exists('/dev/rtc'))) throw new SysOpError('no RTC device (/dev/rtc0)');
      await run(bb, ['hwclock', '-s', '-u'], 10_000, 'Cannot set the clock from the RTC');
    },
    async ntpOnce(servers, timeoutMs) {
      await run(bb, ['ntpd', '-n', '-q', ...servers.flatMap((s) => ['-p', s])], timeoutMs, `Cannot sync with ${servers.join(', ')}`);
      return servers.join(', ');
    },
    async setTimezone(tz) {
      process.env.TZ = tz;
      if (o.baseEnv) o.baseEnv.TZ = tz;
    },
    async knownTimezone(tz) {
      return /^[A-Za-z]{3,}[+-]?\d/.test(tz) || tz === 'UTC' || (!tz.includes('..') && (await exists(join('/usr/share/zoneinfo', tz))));
    },
  };
}

function nodeEntropyOps(): EntropyOps {
  return {
    async readSeed(path) {
      try {
        return await readFile(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new SysOpError(`Cannot read the seed file ${path}: ${(err as Error).message}`, { cause: err });
      }
    },
    async writeSeed(path, data) {
      try {
        await mkdir(join(path, '..'), { recursive: true });
        await writeFileAtomic(path, data, 0o600);
      } catch (err) {
        throw new SysOpError(`Cannot write the seed file ${path}: ${(err as Error).message}`, { cause: err });
      }
    },
    async mix(data) {
      const fh = await open('/dev/urandom', 'w').catch((err: Error) => { throw new SysOpError(`Cannot open /dev/urandom: ${err.message}`, { cause: err }); });
      try {
        await fh.write(data);
      } finally {
        await fh.close();
      }
    },
    random: (n) => randomBytes(n),
    async entropyAvail() {
      const t = await readFile('/proc/sys/kernel/random/entropy_avail', 'utf8').catch(() => null);
      return t === null || !/^\d+/.test(t.trim()) ? null : Number(t.trim());
    },
  };
}

