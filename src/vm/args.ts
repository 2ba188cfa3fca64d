// QEMU's command line for a Dialogos VM, as a pure function so its choices can be unit tested:
// q35, virtio-blk raw disks, OVMF from pflash, virtio-rng, the serial console on stdio.

export type Accel = 'kvm' | 'tcg';

export interface DiskSpec {
  path: string;
  /** Default raw: host tools (debugfs, mtools) read raw images directly. */
  format?: 'raw' | 'qcow2';
  /** Writes go to a temporary overlay QEMU drops at exit. */
  snapshot?: boolean;
  readOnly?: boolean;
}

export interface DirectKernel {
  path: string;
  initrd?: string;
  append?: string;
}

export interface LaunchSpec {
  accel: Accel;
  disks: DiskSpec[];
  memoryMiB: number;
  cpus: number;
  /** Default: `max` under TCG (all features TCG emulates), `host` under KVM. */
  cpu?: string;
  /** OVMF code + this VM's own vars file, or SeaBIOS (faster, for direct-kernel tests). */
  firmware: { code: string; vars: string } | 'bios';
  kernel?: DirectKernel;
  /** `capture`: serial on a pipe; `terminal`: serial + monitor muxed on the user's terminal (Ctrl-A X quits). */
  console: 'capture' | 'terminal';
  noReboot: boolean;
  /** `none` (default) or QEMU user networking. */
  net: 'none' | 'user';
  qmpSocket?: string;
  extraArgs: string[];
}

/** QEMU option values escape commas by doubling them. */
function esc(value: string): string {
  return value.replace(/,/g, ',,');
}

export function qemuArgs(s: LaunchSpec): string[] {
  const a: string[] = ['-machine', `q35,accel=${s.accel}`, '-m', `${s.memoryMiB}M`, '-smp', String(s.cpus)];
  a.push('-cpu', s.cpu ?? (s.accel === 'kvm' ? 'host' : 'max'));
  if (s.firmware !== 'bios') {
    a.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${esc(s.firmware.code)}`);
    a.push('-drive', `if=pflash,format=raw,unit=1,file=${esc(s.firmware.vars)}`);
  }
  s.disks.forEach((d, i) => {
    const opts = [`file=${esc(d.path)}`, `format=${d.format ?? 'raw'}`, 'if=none', `id=disk${i}`];
    if (d.snapshot) opts.push('snapshot=on');
    if (d.readOnly) opts.push('readonly=on');
    a.push('-drive', opts.join(','), '-device', `virtio-blk-pci,drive=disk${i},bootindex=${i + 1}`);
  });
  if (s.kernel) {
    a.push('-kernel', s.kernel.path);
    if (s.kernel.initrd) a.push('-initrd', s.kernel.initrd);
    if (s.kernel.append) a.push('-append', s.kernel.append);
  }
  a.push('-device', 'virtio-rng-pci');
  a.push(...(s.net === 'user' ? ['-nic', 'user,model=virtio-net-pci'] : ['-nic', 'none']));
  a.push('-display', 'none');
  if (s.console === 'terminal') {
    // signal=off: Ctrl-C goes to the guest's shell, not to QEMU. Ctrl-A X quits, Ctrl-A C the monitor.
    a.push('-chardev', 'stdio,id=con,mux=on,signal=off', '-serial', 'chardev:con', '-mon', 'chardev=con,mode=readline');
  } else {
    a.push('-serial', 'stdio', '-monitor', 'none');
  }
  if (s.qmpSocket) a.push('-qmp', `unix:${esc(s.qmpSocket)},server=on,wait=off`);
  if (s.noReboot) a.push('-no-reboot');
  a.push(...s.extraArgs);
  return a;
}
