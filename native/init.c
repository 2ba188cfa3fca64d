/* Dialogos PID 1: mounts the early file systems, runs the TypeScript boot stage, switches root into the
 * generation it prepared, supervises the generation's main process, reaps every orphan, and powers off.
 * PID 1 must never exit (the kernel panics), so every failure ends in a retry, an emergency shell or reboot(2).
 *
 * Environment (the kernel passes unknown key=value words of its command line to init as environment):
 *   DIALOGOS_INIT_TEST=1   host test mode: no mounts, no switch_root, no remount of /data; for unshare --pid
 *   DIALOGOS_STAGE=PATH    run PATH (no arguments) as the boot stage instead of node + stage.mjs
 *   DIALOGOS_RUN_DIR=DIR   where the stage leaves the handover files (default /run/dialogos)
 *   DIALOGOS_SHELL=PATH    emergency shell (default /bin/sh)
 * Handover (written by the stage, read here; see docs/ARCHITECTURE.md):
 *   RUN_DIR/handover.env   lines NEWROOT=/newroot, TRIAL=0|1, GENERATION=<id>
 *   RUN_DIR/handover.argv  main's argv, each argument terminated by a NUL byte
 *   RUN_DIR/blessed        created by dialogosd once the generation is blessed: ends the trial counting */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TRIAL_MAX_FAILS 3
#define TRIAL_WINDOW_MS 60000
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 10000
#define HEALTHY_RUN_MS 10000 /* a main that ran this long restarts with the minimum backoff again */
#define MAX_ARGS 64

static int test_mode;
static const char *run_dir = "/run/dialogos";
static sigset_t handled;
static pid_t main_pid = -1;
static char gen_id[128] = "?";

static void say(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (n > (int)sizeof buf - 2) n = sizeof buf - 2;
  buf[n++] = '\n';
  (void)!write(2, buf, n);
}

/* Names the step that failed with the errno text, the one diagnostic a console user gets this early. */
static int fail(const char *step) {
  say("dialogos-init: %s failed: %s", step, strerror(errno));
  return -1;
}

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void early_mount(const char *src, const char *dir, const char *type, unsigned long flags,
                        const char *data, int optional) {
  mkdir(dir, 0755);
  if (mount(src, dir, type, flags, data) == 0 || errno == EBUSY) return;
  if (optional && (errno == ENODEV || errno == ENOENT)) return;
  char step[96];
  snprintf(step, sizeof step, "mount %s on %s", type, dir);
  fail(step);
}

static void open_console(void) {
  int fd = open("/dev/console", O_RDWR | O_NOCTTY);
  if (fd < 0) { fail("open /dev/console"); return; }
  for (int i = 0; i < 3; i++) dup2(fd, i);
  if (fd > 2) close(fd);
}

static void setup_system(void) {
  early_mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755", 0);
  open_console(); /* after devtmpfs: it holds the real console node; the cpio's node got us this far */
  early_mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0);
  early_mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0);
  early_mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755", 0);
  early_mount("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 1);
  mkdir("/dev/pts", 0755);
  early_mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "gid=5,mode=0620,ptmxmode=0666", 1);
  mkdir(run_dir, 0755);
  /* Ctrl-Alt-Del sends SIGINT to PID 1 (an orderly reboot) instead of an immediate reset. */
  if (reboot(RB_DISABLE_CAD) != 0) fail("disable ctrl-alt-del");
}

/* Spawns argv with the default signal mask; the child gets the console as its terminal when asked. */
static pid_t spawn(char *const argv[], char *const extra_env[], int session) {
  pid_t pid = fork();
  if (pid < 0) { fail("fork"); return -1; }
  if (pid > 0) return pid;
  sigprocmask(SIG_UNBLOCK, &handled, NULL);
  setsid();
  if (session && !test_mode) {
    /* /dev/console cannot be a controlling terminal; the device behind it (ttyS0, tty1) can. */
    char dev[64] = "/dev/console", name[32] = "";
    int a = open("/sys/class/tty/console/active", O_RDONLY);
    if (a >= 0) {
      ssize_t n = read(a, name, sizeof name - 1);
      close(a);
      if (n > 0) {
        name[n] = 0;
        char *last = strrchr(name, ' ');
        last = last ? last + 1 : name;
        last[strcspn(last, "\n")] = 0;
        snprintf(dev, sizeof dev, "/dev/%s", last);
      }
    }
    int fd = open(dev, O_RDWR);
    if (fd >= 0) {
      ioctl(fd, TIOCSCTTY, 1);
      for (int i = 0; i < 3; i++) dup2(fd, i);
      if (fd > 2) close(fd);
    }
  }
  for (int i = 0; extra_env && extra_env[i]; i++) putenv(extra_env[i]);
  execv(argv[0], argv);
  say("dialogos-init: exec %s failed: %s", argv[0], strerror(errno));
  _exit(127);
}

/* Reaps every exited child (orphans included); returns main's or `watch`'s wait status via *st. */
static int reap(pid_t watch, int *st) {
  int found = 0, s;
  pid_t p;
  while ((p = waitpid(-1, &s, WNOHANG)) > 0)
    if (p == watch) { *st = s; found = 1; }
  return found;
}

static void power(int cmd, const char *why);

/* Waits for one signal or the timeout (ms, <0 = forever). Termination signals never return. */
static void wait_event(long timeout_ms) {
  siginfo_t si;
  struct timespec ts = {timeout_ms / 1000, (timeout_ms % 1000) * 1000000L};
  int sig = sigtimedwait(&handled, &si, timeout_ms < 0 ? NULL : &ts);
  if (sig == SIGTERM || sig == SIGINT) power(RB_AUTOBOOT, "reboot");
  if (sig == SIGUSR2) power(RB_POWER_OFF, "power off");
  if (sig == SIGUSR1) power(RB_HALT_SYSTEM, "halt");
}

/* Runs argv to completion, reaping orphans meanwhile; returns its wait status. */
static int run_wait(char *const argv[], char *const env[], int session) {
  int st = 0;
  pid_t pid = spawn(argv, env, session);
  if (pid < 0) return 127 << 8;
  while (!reap(pid, &st)) wait_event(-1);
  return st;
}

static void describe_exit(const char *what, int st) {
  if (WIFSIGNALED(st)) say("dialogos: %s was killed by signal %d (%s)", what, WTERMSIG(st), strsignal(WTERMSIG(st)));
  else say("dialogos: %s exited with status %d", what, WEXITSTATUS(st));
}

static void power(int cmd, const char *why) {
  static int busy;
  if (busy) return; /* a second signal while shutting down changes nothing */
  busy = 1;
  say("dialogos: %s: stopping all processes", why);
  if (main_pid > 0) kill(main_pid, SIGTERM); /* forward first: main hears it before the rest */
  kill(-1, SIGTERM);
  int st;
  long deadline = now_ms() + 5000;
  for (;;) {
    reap(-1, &st);
    if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD) break;
    long left = deadline - now_ms();
    if (left <= 0) break;
    siginfo_t si;
    struct timespec ts = {0, (left > 100 ? 100 : left) * 1000000L};
    sigtimedwait(&handled, &si, &ts);
  }
  kill(-1, SIGKILL);
  while (waitpid(-1, NULL, 0) > 0) {}
  sync();
  if (!test_mode && mount(NULL, "/data", NULL, MS_REMOUNT | MS_RDONLY, NULL) != 0 && errno != EINVAL)
    if (umount2("/data", MNT_DETACH) != 0) fail("remount /data read-only");
  sync();
  reboot(cmd);
  fail("reboot(2)");
  for (;;) pause(); /* never exit: that would panic the kernel */
}

static void emergency(void) {
  const char *sh = getenv("DIALOGOS_SHELL");
  char *argv[] = {(char *)(sh ? sh : "/bin/sh"), NULL};
  for (;;) {
    say("dialogos: emergency shell on the console (exit it to start another)");
    describe_exit("emergency shell", run_wait(argv, NULL, 1));
    wait_event(1000); /* a shell that cannot start must not spin the CPU */
  }
}

static ssize_t read_file(const char *dir, const char *name, char *buf, size_t cap) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) { fail(path); return -1; }
  ssize_t n = read(fd, buf, cap - 1);
  close(fd);
  if (n < 0) { fail(path); return -1; }
  buf[n] = 0;
  return n;
}

static const char *env_value(char *env, const char *key) {
  size_t k = strlen(key);
  for (char *line = strtok(env, "\n"); line; line = strtok(NULL, "\n"))
    if (strncmp(line, key, k) == 0 && line[k] == '=') return line + k + 1;
  return NULL;
}

static int move_into(const char *root, const char *dir) {
  char to[256];
  snprintf(to, sizeof to, "%s%s", root, dir);
  mkdir(to, 0755);
  if (mount(dir, to, NULL, MS_MOVE, NULL) == 0) return 0;
  char step[300];
  snprintf(step, sizeof step, "move %s to %s", dir, to);
  return fail(step);
}

/* switch_root without deleting the initramfs: the new root bind-mounts its /usr, /lib, /lib64 and /bin
 * (Node and its libraries live there and are shared by every generation), so its files stay in use. */
static int switch_root(const char *root) {
  static const char *moves[] = {"/dev", "/proc", "/sys", "/run"};
  for (unsigned i = 0; i < sizeof moves / sizeof *moves; i++)
    if (move_into(root, moves[i]) != 0) return -1;
  if (chdir(root) != 0) return fail("chdir to the new root");
  if (mount(root, "/", NULL, MS_MOVE, NULL) != 0) return fail("move the new root onto /");
  if (chroot(".") != 0) return fail("chroot into the new root");
  if (chdir("/") != 0) return fail("chdir /");
  run_dir = "/run/dialogos";
  return 0;
}

static int trial_over(void) {
  char path[256];
  snprintf(path, sizeof path, "%s/blessed", run_dir);
  return access(path, F_OK) == 0;
}

static void supervise(char *argv[], int trial) {
  static char env_gen[160], env_trial[32];
  snprintf(env_gen, sizeof env_gen, "DIALOGOS_GENERATION=%s", gen_id);
  snprintf(env_trial, sizeof env_trial, "DIALOGOS_TRIAL=%d", trial);
  char *env[] = {env_gen, env_trial, NULL};
  long fails[TRIAL_MAX_FAILS] = {0}, backoff = BACKOFF_MIN_MS;
  int nfails = 0;
  for (;;) {
    long started = now_ms();
    int st = 0;
    main_pid = spawn(argv, env, 1);
    if (main_pid > 0) while (!reap(main_pid, &st)) wait_event(-1);
    main_pid = -1;
    long ended = now_ms();
    describe_exit("main process", st);
    if (trial && !trial_over()) {
      fails[nfails++ % TRIAL_MAX_FAILS] = ended;
      long oldest = fails[nfails % TRIAL_MAX_FAILS];
      if (nfails >= TRIAL_MAX_FAILS && ended - oldest <= TRIAL_WINDOW_MS) {
        say("dialogos: generation %s main process failed %d times during its trial; rebooting to count the try",
            gen_id, nfails);
        power(RB_AUTOBOOT, "reboot");
      }
    }
    if (ended - started >= HEALTHY_RUN_MS) backoff = BACKOFF_MIN_MS;
    say("dialogos: restarting main process in %ld ms", backoff);
    long until = now_ms() + backoff;
    for (long left; (left = until - now_ms()) > 0;) { wait_event(left); reap(-1, &st); }
    backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
  }
}

/* Reads the stage's handover, switches root and supervises main; returns only when the handover is unusable. */
static void handover(void) {
  static char env[1024], args[8192];
  static char *argv[MAX_ARGS + 1];
  if (read_file(run_dir, "handover.env", env, sizeof env) < 0) return;
  ssize_t n = read_file(run_dir, "handover.argv", args, sizeof args);
  if (n <= 0) { say("dialogos: handover.argv is empty or unreadable"); return; }
  if (n >= (ssize_t)sizeof args - 1 || args[n - 1] != 0) { say("dialogos: handover.argv is too long or not NUL-terminated"); return; }
  int argc = 0;
  for (char *p = args; p < args + n; p += strlen(p) + 1) {
    if (argc == MAX_ARGS) { say("dialogos: handover.argv has more than %d arguments", MAX_ARGS); return; }
    argv[argc++] = p;
  }
  argv[argc] = NULL;
  char copy[1024];
  const char *v;
  strcpy(copy, env);
  int trial = (v = env_value(copy, "TRIAL")) && strcmp(v, "1") == 0;
  strcpy(copy, env);
  if ((v = env_value(copy, "GENERATION"))) snprintf(gen_id, sizeof gen_id, "%s", v);
  strcpy(copy, env);
  const char *root = env_value(copy, "NEWROOT");
  if (!root || root[0] != '/') { say("dialogos: handover.env has no absolute NEWROOT"); return; }
  char rootbuf[256];
  snprintf(rootbuf, sizeof rootbuf, "%s", root);
  if (!test_mode && switch_root(rootbuf) != 0) return;
  say("dialogos: starting generation %s: %s%s", gen_id, argv[0], trial ? " (trial)" : "");
  supervise(argv, trial);
}

int main(int argc, char **argv) {
  (void)argc; (void)argv;
  if (getpid() != 1) { /* kill(-1) at shutdown would reach the whole host: refuse outright */
    say("dialogos-init: must run as PID 1 (use unshare --pid --fork for tests)");
    return 2;
  }
  test_mode = getenv("DIALOGOS_INIT_TEST") != NULL;
  if (getenv("DIALOGOS_RUN_DIR")) run_dir = getenv("DIALOGOS_RUN_DIR");
  sigemptyset(&handled);
  int sigs[] = {SIGCHLD, SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGHUP, SIGPIPE};
  for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaddset(&handled, sigs[i]);
  sigprocmask(SIG_BLOCK, &handled, NULL);
  if (!test_mode) setup_system();
  setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 0);

  const char *stage = getenv("DIALOGOS_STAGE");
  char *node_argv[] = {"/usr/bin/node", "/usr/lib/dialogos/stage.mjs", NULL};
  char *custom_argv[] = {(char *)stage, NULL};
  char **stage_argv = stage ? custom_argv : node_argv;
  char *recovery_env[] = {"DIALOGOS_STAGE_RECOVERY=1", NULL};
  for (int attempt = 0; attempt < 2; attempt++) {
    int st = run_wait(stage_argv, attempt ? recovery_env : NULL, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
      handover();
      say("dialogos: the boot stage's handover could not be used");
    } else {
      describe_exit("boot stage", st);
    }
    if (attempt == 0) say("dialogos: retrying the boot stage in recovery mode (DIALOGOS_STAGE_RECOVERY=1)");
  }
  say("dialogos: the boot stage failed twice; nothing was booted");
  emergency();
  return 0;
}
