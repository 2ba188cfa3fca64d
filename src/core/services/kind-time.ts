// The time controller: the time zone (TZ of dialogosd and of services started afterwards), the system
// clock from the RTC once per dialogosd start (hwclock -s), then one NTP exchange when servers are
// given. Runs in the background; an unreachable or missing NTP client is reported, never retried in a
// loop. Status: `running` when every part worked, else `failed` naming each part that did not.
import type { KindController } from './kinds.js';
import { singletonController } from './kind-singleton.js';
import type { TimeOps } from './sysops.js';

export interface TimeOptions {
  /** Default 10000. */
  ntpTimeoutMs?: number;
  /** Set when this instance must not touch the clock (host mode): state `unsupported`. */
  unsupported?: string;
}

export function timeController(ops: TimeOps, o: TimeOptions = {}): KindController<'time'> & { idle(): Promise<void> } {
  let rtcDone: string | null = null;
  return singletonController({
    kind: 'time', disabledReason: 'disabled', applyingReason: 'setting the clock', nothingDone: 'nothing to set',
    ...(o.unsupported ? { unsupported: o.unsupported } : {}),
    async apply(spec, { done, failed }) {
      if (await ops.knownTimezone(spec.timezone)) {
        await ops.setTimezone(spec.timezone);
        done.push(`time zone ${spec.timezone}`);
      } else failed.push(`time zone "${spec.timezone}": unknown (no zoneinfo file and not a POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3")`);
      if (rtcDone === null) {
        try {
          await ops.rtcToSystem();
          rtcDone = 'clock set from the RTC';
        } catch (err) {
          rtcDone = `clock not set from the RTC: ${(err as Error).message}`;
        }
      }
      (rtcDone.startsWith('clock set') ? done : failed).push(rtcDone);
      if (spec.ntpServers.length) {
        if (ops.ntpUnavailable) failed.push(`NTP: ${ops.ntpUnavailable}`);
        else {
          try {
            done.push(`NTP: synced from ${await ops.ntpOnce(spec.ntpServers, o.ntpTimeoutMs ?? 10_000)}`);
          } catch (err) {
            failed.push(`NTP: ${(err as Error).message}`);
          }
        }
      }
    },
  });
}
