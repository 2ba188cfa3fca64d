// The script that builds a run's view of the machine. It runs as root, as PID 1 of fresh mount, PID, net,
// IPC and UTS namespaces (unshare), before the jail drops privileges; nothing it mounts is seen outside.
// Order matters: the run dir is bound writable before every other mount turns read-only, the overlay and
// the jail are in place before /tmp and the hidden paths are covered, and the check that every mount but
// the run's own writable ones is read-only comes last (the top mount at each point: what the run can reach).

/** Where the run sees the candidate's tree. */
export const TREE = '/run/sandbox/tree';
const JAIL = '/run/sandbox/jail';

/** The fixed mounts of the view; the variable parts come as SBX_* environment variables. */
export const SETUP_SCRIPT = String.raw`set -u
fail() { echo "sandbox: $*" >&2; exit 125; }
mount --make-rprivate / || fail "cannot make the mounts private"
ip link set lo up 2>/dev/null || true
mount --bind "$SBX_RUN" "$SBX_RUN" || fail "cannot bind the run dir $SBX_RUN"
awk '{ print $5 }' /proc/self/mountinfo | sort -u | while read -r m; do
  case "$m" in *\\*) fail "cannot make the mount \"$m\" read-only: odd characters";; esac
  [ "$m" = "$SBX_RUN" ] && continue
  # A concurrent run's dir may vanish meanwhile (removed in the host's namespace): only a mount still there counts.
  mount -o remount,bind,ro "$m" 2>/dev/null || ! awk -v m="$m" '$5 == m { f = 1 } END { exit !f }' /proc/self/mountinfo ||
    fail "cannot make the mount \"$m\" read-only"
done || exit 125
mount -t tmpfs -o mode=0755,size=8m,nosuid,nodev sandbox /run || fail "cannot mount a tmpfs over /run"
mkdir -p ${TREE} /run/sandbox/out && cp "$SBX_JAIL" ${JAIL} || fail "cannot copy the jail $SBX_JAIL"
mount -t overlay overlay -o "lowerdir=$SBX_LOWER,upperdir=$SBX_UPPER,workdir=$SBX_WORK,metacopy=on" ${TREE} ||
  mount -t overlay overlay -o "lowerdir=$SBX_LOWER,upperdir=$SBX_UPPER,workdir=$SBX_WORK" ${TREE} || fail "cannot mount the overlay over $SBX_LOWER"
(cd ${TREE} && xargs -0 -r rm -rf -- < "$SBX_RUN/deletions") || fail "cannot delete the candidate's removed files"
chown -R -P "$SBX_UID:$SBX_GID" ${TREE} || fail "cannot give the tree to uid $SBX_UID"
if [ -n "$SBX_OUT" ]; then mount --bind "$SBX_OUT" /run/sandbox/out || fail "cannot bind the out dir $SBX_OUT"; fi
mount -t tmpfs -o "mode=1777,size=$SBX_TMP_BYTES,nosuid,nodev" tmp /tmp || fail "cannot mount the tmpfs /tmp"
echo "$SBX_HIDE" | while read -r h; do
  [ -z "$h" ] && continue
  if [ -d "$h" ]; then mount -t tmpfs -o ro,mode=0755,size=4k hidden "$h" || fail "cannot hide $h"
  elif [ -e "$h" ]; then mount --bind -o ro /dev/null "$h" || fail "cannot hide $h"; fi
done || exit 125
if [ -d "$SBX_STATE" ]; then mount -t tmpfs -o ro,mode=0755,size=4k hidden "$SBX_STATE" || fail "cannot hide the sandbox state $SBX_STATE"; fi
if [ -n "$SBX_OUT" ]; then
  mkdir -p "$SBX_OUT" 2>/dev/null; mount --move /run/sandbox/out "$SBX_OUT" || fail "cannot show the out dir at $SBX_OUT"
  mount -o remount,bind,rw "$SBX_OUT" || fail "cannot make the out dir $SBX_OUT writable"
fi
mount -o remount,bind,ro /run || fail "cannot make /run read-only"
rw=$(awk -v out="$SBX_OUT" -v run="$SBX_RUN" '{ top[$5] = $6 } END { for (m in top) { split(top[m], o, ",");
  if (o[1] != "ro" && m != "/tmp" && m != "${TREE}" && m != out && m != run) print m } }' /proc/self/mountinfo)
[ -z "$rw" ] || fail "mounts left writable: $rw"
cd "${TREE}/$SBX_CWD" || fail "cannot enter the working directory $SBX_CWD"
echo ready >&3
read -r go || fail "the runner went away before the start"
exec env -i "$@" </dev/null`;

/** The argv that follows the script: the run's environment for env -i, then the jail and the command. */
export function setupArgs(envWords: string[], fileBytes: number, uid: number, gid: number, argv: string[]): string[] {
  return [...envWords, JAIL, '-s', '3', String(fileBytes), String(uid), String(gid), ...argv];
}
