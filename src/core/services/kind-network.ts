// The network controller: host name, loopback up, then each interface static or by DHCP. It runs in
// the background (a DHCP exchange must not hold up dialogosd) one job at a time; status is `starting`
// while it works, then `running` with what was obtained, or `failed` with the reason per interface.
// A DHCP lease is taken once (udhcpc -q) and not renewed; QEMU's user network leases for a day.
import type { KindController } from './kinds.js';
import { singletonController } from './kind-singleton.js';
import type { NetworkSpec } from './schema.js';
import type { NetOps } from './sysops.js';

export interface NetworkOptions {
  /** Default 15000: how long one DHCP request may take. */
  dhcpTimeoutMs?: number;
  /** Default 10000: how long to wait for an interface to appear (its driver may still be loading). */
  linkWaitMs?: number;
  /** Waits between looks for a missing interface (injectable for tests). */
  sleep?(ms: number): Promise<void>;
  /** Set when this instance must not touch the network (host mode, not root): state `unsupported`. */
  unsupported?: string;
}

type Iface = NetworkSpec['interfaces'][number];

/** Said only when the resolver file is not the usual one (a read-only /etc). */
const resolvNote = (where: string | null): string => (where && where !== '/etc/resolv.conf' ? ` [nameservers in ${where}]` : '');

/** The network controller; `idle()` resolves once the queued configuration has finished. */
export function networkController(ops: NetOps, o: NetworkOptions = {}): KindController<'network'> & { idle(): Promise<void> } {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let drivers: Promise<void> | null = null;

  const waitLink = async (name: string): Promise<void> => {
    await (drivers ??= ops.loadDrivers?.().catch(() => undefined) ?? Promise.resolve());
    const limit = o.linkWaitMs ?? 10_000;
    for (let waited = 0; ; waited += 200) {
      const links = await ops.links();
      if (links.includes(name)) return;
      if (waited >= limit) throw new Error(`no such interface after ${limit} ms (interfaces: ${links.join(', ') || 'none'})`);
      await sleep(200);
    }
  };

  const configure = async (i: Iface): Promise<string> => {
    await waitLink(i.name);
    await ops.linkUp(i.name);
    if (i.mode === 'static') {
      await ops.setAddress(i.name, i.address);
      if (i.gateway) await ops.setDefaultRoute(i.gateway, i.name);
      const where = i.dns.length ? await ops.setDns(i.dns) : null;
      return `${i.name} ${i.address} static${i.gateway ? ` (router ${i.gateway})` : ''}${resolvNote(where)}`;
    }
    const lease = await ops.dhcp(i.name, o.dhcpTimeoutMs ?? 15_000);
    await ops.setAddress(i.name, lease.address);
    if (lease.router) await ops.setDefaultRoute(lease.router, i.name);
    const where = lease.dns.length ? await ops.setDns(lease.dns) : null;
    const more = [lease.router ? `router ${lease.router}` : '', lease.dns.length ? `dns ${lease.dns.join(' ')}` : '', lease.leaseSeconds ? `lease ${lease.leaseSeconds} s` : ''].filter(Boolean);
    return `${i.name} ${lease.address} by DHCP${more.length ? ` (${more.join(', ')})` : ''}${resolvNote(where)}`;
  };

  return singletonController({
    kind: 'network', disabledReason: 'disabled (the configuration already made stays)', applyingReason: 'configuring',
    nothingDone: 'nothing to configure', ...(o.unsupported ? { unsupported: o.unsupported } : {}),
    async apply(spec, { done, failed }) {
      const step = async (what: string, f: () => Promise<string>): Promise<void> => {
        try {
          done.push(await f());
        } catch (err) {
          failed.push(`${what}: ${(err as Error).message}`);
        }
      };
      if (spec.hostname) await step('hostname', async () => { await ops.setHostname(spec.hostname!); return `hostname ${spec.hostname}`; });
      if ((await ops.links()).includes('lo')) await step('lo', async () => { await ops.linkUp('lo'); return 'lo up'; });
      for (const i of spec.interfaces) await step(i.name, () => configure(i));
    },
  });
}
