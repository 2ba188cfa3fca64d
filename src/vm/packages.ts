// The Debian packages a build host needs, in one list shared by `dialogos up` and `dialogos test`.

/** Needed to build the image and boot it. */
export const HOST_PACKAGES: readonly string[] = [
  'qemu-system-x86', // QEMU (TCG fallback included)
  'qemu-utils', // qemu-img: qcow2 overlays for VM tests
  'ovmf', // UEFI firmware
  'linux-image-amd64', // the kernel and its modules for the base layer
  'systemd-boot-efi', // systemd-boot and the UKI stub
  'busybox-static', // emergency shell in the initramfs, test initramfs images
  'binutils', // objcopy for unified kernel images
  'mtools', 'dosfstools', 'gdisk', 'e2fsprogs', // ESP and data partition without loop mounts
  'erofs-utils', 'squashfs-tools', 'lz4', 'zstd', 'cpio', // base layer images and initramfs codecs
  'kexec-tools', 'musl-tools', // native init and kexec helper
  'tmux', // VM tests drive the dialog console through a terminal multiplexer
];

/** Needed only by the boot benchmark's Debian reference. */
export const BENCH_PACKAGES: readonly string[] = ['debootstrap'];
