/* kexec KERNEL INITRD|- CMDLINE: loads a generation's own kernel with kexec_file_load(2) and jumps to it.
 * kexec_file_load is the only kexec call that a Secure Boot lockdown allows (the kernel checks the image's
 * signature itself), so there is deliberately no kexec_load fallback. Exits 1 with the errno text on failure. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

/* From <linux/kexec.h> and <linux/reboot.h>, which musl-gcc does not see. */
#define KEXEC_FILE_NO_INITRAMFS 0x4
#ifndef RB_KEXEC
#define RB_KEXEC 0x45584543
#endif
#ifndef SYS_kexec_file_load
#define SYS_kexec_file_load 320 /* x86-64 */
#endif

static int die(const char *step, const char *what) {
  fprintf(stderr, "dialogos-kexec: %s %s failed: %s\n", step, what, strerror(errno));
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: kexec KERNEL INITRD|- CMDLINE\n");
    return 2;
  }
  int kfd = open(argv[1], O_RDONLY | O_CLOEXEC);
  if (kfd < 0) return die("open kernel", argv[1]);
  int ifd = -1;
  unsigned long flags = 0;
  if (strcmp(argv[2], "-") == 0) flags |= KEXEC_FILE_NO_INITRAMFS;
  else if ((ifd = open(argv[2], O_RDONLY | O_CLOEXEC)) < 0) return die("open initrd", argv[2]);
  /* The length passed includes the terminating NUL, as kexec_file_load(2) requires. */
  if (syscall(SYS_kexec_file_load, kfd, ifd, strlen(argv[3]) + 1, argv[3], flags) != 0)
    return die("kexec_file_load of", argv[1]);
  sync();
  reboot(RB_KEXEC);
  return die("reboot(LINUX_REBOOT_CMD_KEXEC) after loading", argv[1]);
}
