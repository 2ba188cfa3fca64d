/* Dialogos sandbox jail: the last step before a candidate's command runs. Called as root inside the
 * sandbox's namespaces (src/evolve/sandbox), it limits file size and core dumps, drops to an unprivileged
 * uid/gid with no supplementary groups, sets no_new_privs, loads a seccomp deny list, and execs the command.
 *
 * Usage: jail [-s FD] FILE_BYTES UID GID COMMAND [ARG...]
 *   -s FD       run the command as a child and wait: reap every orphan meanwhile (jail is PID 1 of the
 *               sandbox's PID namespace, and PID 1 ignores SIGXFSZ, SIGTERM, ... it has no handler for),
 *               then write how the command ended to FD ("exit N" or "signal N") and end the same way
 *               (exit N, or 128+N). The command does not inherit FD, so it cannot forge that line.
 *   FILE_BYTES  RLIMIT_FSIZE in bytes (a larger write gets SIGXFSZ / EFBIG); 0 means no limit
 *   UID, GID    the unprivileged identity to run as (not 0)
 * COMMAND is found on the PATH of jail's own environment (the caller scrubs it).
 * Denied system calls fail with EPERM; a call from another architecture's ABI kills the process.
 * Exit status: the command's, or 126 when a step fails (message on stderr), 127 when exec fails. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
#define JAIL_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define JAIL_ARCH AUDIT_ARCH_AARCH64
#else
#error "jail.c: unsupported architecture (add its AUDIT_ARCH_*)"
#endif

/* What a candidate never needs: debugging other processes, changing mounts or namespaces, the kernel's
 * keyring, loading code into the kernel, and the calls behind known privilege escalations. */
static const int denied[] = {
  SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev, SYS_mount, SYS_umount2, SYS_pivot_root,
  SYS_chroot, SYS_kexec_load, SYS_reboot, SYS_init_module, SYS_finit_module, SYS_delete_module,
  SYS_bpf, SYS_perf_event_open, SYS_keyctl, SYS_add_key, SYS_request_key, SYS_setns, SYS_unshare,
  SYS_swapon, SYS_swapoff, SYS_acct, SYS_userfaultfd, SYS_open_by_handle_at,
#ifdef SYS_kexec_file_load
  SYS_kexec_file_load,
#endif
#ifdef SYS_iopl
  SYS_iopl,
#endif
#ifdef SYS_ioperm
  SYS_ioperm,
#endif
#ifdef SYS_io_uring_setup
  SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register, /* its ring bypasses this filter; libuv falls back */
#endif
#ifdef SYS_fsopen
  SYS_fsopen, SYS_fsmount, SYS_move_mount, SYS_open_tree, SYS_mount_setattr,
#endif
};
#define NDENIED (sizeof denied / sizeof denied[0])

static void fail(const char *what, const char *value) {
  fprintf(stderr, "jail: cannot %s \"%s\": %s\n", what, value, strerror(errno));
  exit(126);
}

static unsigned long number(const char *s, const char *what) {
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 10);
  if (errno || *s == '\0' || *end != '\0') {
    fprintf(stderr, "jail: %s \"%s\" is not a number\n", what, s);
    exit(126);
  }
  return v;
}

#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | 0x80)

/* arch check, then one JEQ per denied call (return EPERM), else allow. x32 calls on x86_64 are denied too;
 * clone with a namespace flag is unshare by another name (EPERM), and clone3 hides its flags in memory the
 * filter cannot read, so it answers ENOSYS and the C library falls back to clone. */
static void load_seccomp(void) {
  struct sock_filter f[16 + 2 * NDENIED];
  size_t n = 0;
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, JAIL_ARCH, 1, 0);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
#if defined(__x86_64__)
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
#endif
  for (size_t i = 0; i < NDENIED; i++) {
    f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)denied[i], 0, 1);
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  }
#ifdef SYS_clone3
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
#endif
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, NS_FLAGS, 0, 1);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog prog = { .len = (unsigned short)n, .filter = f };
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) fail("load the seccomp filter of", "deny list");
}

/* The parent side of -s: wait for the command, reaping whatever else ends meanwhile. */
static int supervise(pid_t child, int fd) {
  int st;
  for (;;) {
    pid_t w = wait(&st);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      fprintf(stderr, "jail: cannot wait for the command: %s\n", strerror(errno));
      return 126;
    }
    if (w == child) break;
  }
  if (WIFSIGNALED(st)) dprintf(fd, "signal %d\n", WTERMSIG(st));
  else dprintf(fd, "exit %d\n", WEXITSTATUS(st));
  close(fd);
  return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

int main(int argc, char **argv) {
  int status_fd = -1;
  if (argc > 2 && strcmp(argv[1], "-s") == 0) {
    status_fd = (int)number(argv[2], "FD");
    argv += 2;
    argc -= 2;
  }
  if (argc < 5) {
    fprintf(stderr, "usage: jail [-s FD] FILE_BYTES UID GID COMMAND [ARG...]\n");
    return 126;
  }
  if (status_fd >= 0) {
    pid_t child = fork();
    if (child < 0) fail("fork for", argv[4]);
    if (child > 0) return supervise(child, status_fd);
    close(status_fd);
  }
  unsigned long fsize = number(argv[1], "FILE_BYTES");
  uid_t uid = (uid_t)number(argv[2], "UID");
  gid_t gid = (gid_t)number(argv[3], "GID");
  if (uid == 0 || gid == 0) {
    fprintf(stderr, "jail: refusing to run as uid %u gid %u: both must be unprivileged\n", uid, gid);
    return 126;
  }
  struct rlimit fs = { fsize ? fsize : RLIM_INFINITY, fsize ? fsize : RLIM_INFINITY };
  struct rlimit core = { 0, 0 };
  if (setrlimit(RLIMIT_FSIZE, &fs) != 0) fail("set RLIMIT_FSIZE to", argv[1]);
  if (setrlimit(RLIMIT_CORE, &core) != 0) fail("set RLIMIT_CORE to", "0");
  if (setgroups(0, NULL) != 0) fail("clear the supplementary groups of", "jail");
  if (setgid(gid) != 0) fail("set the gid to", argv[3]);
  if (setuid(uid) != 0) fail("set the uid to", argv[2]);
  if (setuid(0) == 0) {
    fprintf(stderr, "jail: the uid drop to %u can be undone: refusing to run\n", uid);
    return 126;
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("set", "no_new_privs");
  load_seccomp();
  execvp(argv[4], argv + 4);
  fprintf(stderr, "jail: cannot execute \"%s\": %s\n", argv[4], strerror(errno));
  return 127;
}
