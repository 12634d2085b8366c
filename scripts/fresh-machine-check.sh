#!/usr/bin/env bash
# Proves the README on a fresh machine: a bare Debian 12 root (debootstrap minbase) with only what a new machine
# of this kind has (python3, g++, make, git, and this host's Node and npm), a fresh clone, then `npm start`
# until it prints the notebook URL, then `npm test`, with nothing typed in between. Reports both, with timings.
#
#   sudo scripts/fresh-machine-check.sh [REPO [COMMIT]]    (default: this repository, its HEAD; commit your work first)
#
# Needs root (debootstrap, chroot, mounts) and about 3 GB in /var/tmp; takes 10 minutes or more, mostly downloads.
# KEEP_ROOT=1 keeps the root afterwards; DEBIAN_MIRROR picks the mirror.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "${1:-$here}" && pwd)
commit=$(git -C "$repo" rev-parse "${2:-HEAD}")
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
START_TIMEOUT_S=${START_TIMEOUT_S:-3600}

die() { echo "fresh-machine-check: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and bind mounts)."
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
node_bin=$(readlink -f "$(command -v node)") || die "node is not on PATH"
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")   # .../node_modules/npm (npm is bin/npm-cli.js)
[ -f "$npm_dir/package.json" ] || die "cannot find npm's folder (got $npm_dir)"
ca_bundle=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}

root=$(readlink -f "$(mktemp -d /var/tmp/fresh-machine-XXXXXX)")
chmod 755 "$root"   # it becomes /, which every user (apt's _apt too) must be able to enter
log_dir=$root.logs
mkdir -p "$log_dir"
mounts=(proc dev dev/pts dev/shm sys)   # unmounted in reverse order

in_root() {   # runs a shell command inside the root, as root, with a clean environment like a login's
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca-bundle.crt \
    ${OPENBLAS_CORETYPE:+OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE} ${OPENBLAS_L2_SIZE:+OPENBLAS_L2_SIZE=$OPENBLAS_L2_SIZE} \
    bash -c "$1"
}

processes_in_root() {   # pids of processes whose root directory is ours
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && echo "${p#/proc/}"
  done
  return 0
}

cleanup() {
  local pids
  pids=$(processes_in_root)
  [ -n "$pids" ] && { kill -TERM $pids 2>/dev/null || true; sleep 3; kill -KILL $(processes_in_root) 2>/dev/null || true; }
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    mountpoint -q "$root/${mounts[i]}" && umount -l "$root/${mounts[i]}"
  done
  # Never delete through a mount that is still there (it would be the host's /dev or /sys).
  if grep -q " $root/" /proc/mounts; then
    echo "fresh-machine-check: something is still mounted under $root; left it there" >&2
  elif [ "${KEEP_ROOT:-0}" = 1 ]; then
    echo "fresh-machine-check: kept $root (logs in $log_dir)"
  else
    rm -rf --one-file-system "$root"
    echo "fresh-machine-check: removed $root (logs kept in $log_dir)"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s; }
step() { echo; echo "== $* ($(date -u +%H:%M:%S) UTC)"; }

echo "fresh-machine-check: $repo at ${commit:0:12} in $root; node $("$node_bin" --version), npm $(npm --version)"

step "debootstrap --variant=minbase bookworm"
t=$(now)
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$log_dir/debootstrap.log" 2>&1 ||
  { tail -20 "$log_dir/debootstrap.log"; die "debootstrap failed (log: $log_dir/debootstrap.log)"; }
time_debootstrap=$(($(now) - t))
echo "done in ${time_debootstrap} s"

# Debian's updates and security suites, as a real installation has; and the host's apt Acquire settings,
# so the mirror answers inside as it does outside.
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security} bookworm-security main
EOF
for f in /etc/apt/apt.conf.d/*; do
  grep -q '^Acquire' "$f" 2>/dev/null && cp "$f" "$root/etc/apt/apt.conf.d/"
done
for m in "${mounts[@]}"; do mount --bind "/$m" "$root/$m"; done
cp /etc/resolv.conf "$root/etc/resolv.conf"

step "apt-get install python3 g++ make git ca-certificates (what a new machine of this kind has)"
t=$(now)
in_root 'apt-get -q update && DEBIAN_FRONTEND=noninteractive apt-get -q -y install python3 g++ make git ca-certificates' \
  >"$log_dir/base-packages.log" 2>&1 || { tail -20 "$log_dir/base-packages.log"; die "installing the base packages failed"; }
time_base=$(($(now) - t))
echo "done in ${time_base} s"

# The host's Node and npm, its npm config and CA bundle: the npm registry answers inside as outside.
install -m 755 "$node_bin" "$root/usr/bin/node"
mkdir -p "$root$(dirname "$npm_dir")" "$root/usr/include"
cp -a "$npm_dir" "$root$npm_dir"
ln -sf "$npm_dir/bin/npm-cli.js" "$root/usr/bin/npm"
ln -sf "$npm_dir/bin/npx-cli.js" "$root/usr/bin/npx"
[ -d /usr/include/node ] && cp -a /usr/include/node "$root/usr/include/node"
[ -f "$HOME/.npmrc" ] && cp "$HOME/.npmrc" "$root/root/.npmrc"
cp "$ca_bundle" "$root/etc/ssl/certs/host-ca-bundle.crt"

git clone -q --no-hardlinks "$repo" "$root/root/project"
git -C "$root/root/project" checkout -q "$commit"

step "npm start (fresh clone, nothing installed), until it prints the notebook URL"
t=$(now)
( in_root 'cd /root/project && exec npm start' >"$log_dir/npm-start.log" 2>&1 ) &
start_pid=$!
start_result="no URL within ${START_TIMEOUT_S} s"
# When each phase began, seen from outside: the set-up's npm step, and start.js itself.
mark_npm='' mark_serve=''
while kill -0 "$start_pid" 2>/dev/null; do
  [ -z "$mark_npm" ] && grep -q '^setup: installing npm' "$log_dir/npm-start.log" && mark_npm=$(($(now) - t))
  [ -z "$mark_serve" ] && grep -q '^> node scripts/start.js' "$log_dir/npm-start.log" && mark_serve=$(($(now) - t))
  if url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/tree?token=[0-9a-f]*' "$log_dir/npm-start.log"); then
    start_result="OK: $url"
    break
  fi
  if [ $(($(now) - t)) -gt "$START_TIMEOUT_S" ]; then break; fi
  sleep 2
done
time_start=$(($(now) - t))
kill -0 "$start_pid" 2>/dev/null || [ "${start_result:0:2}" = OK ] || start_result="FAILED: npm start exited before printing a URL"
# Stop it as Ctrl-C would: start.js stops Jupyter and its kernels, then npm ends.
for pid in $(processes_in_root); do
  if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'scripts/start\.js'; then kill -INT "$pid"; fi
done
for _ in $(seq 30); do [ -z "$(processes_in_root)" ] && break; sleep 1; done
wait "$start_pid" 2>/dev/null || true
echo "$start_result after ${time_start} s"
grep '^setup:' "$log_dir/npm-start.log" || true
phases="set-up until npm ci ${mark_npm:-?} s, until start.js ${mark_serve:-?} s, then build and Jupyter"
echo "$phases"

step "npm test"
t=$(now)
if in_root 'cd /root/project && npm test' >"$log_dir/npm-test.log" 2>&1; then test_result=OK; else test_result="FAILED (exit $?)"; fi
time_test=$(($(now) - t))
summary=$(grep -E '^ +[0-9]+ (passing|failing|pending)' "$log_dir/npm-test.log" | sed 's/^ *//' | paste -sd, - || true)
echo "$test_result after ${time_test} s: ${summary:-no mocha summary}"
[ "$test_result" = OK ] || { grep -A15 -E '^ +[0-9]+\) ' "$log_dir/npm-test.log" | head -80; tail -30 "$log_dir/npm-test.log"; }

step "the set-up check, now that everything is there (10 runs)"
check_times=$(in_root 'cd /root/project && for i in 1 2 3 4 5 6 7 8 9 10; do
  s=$(date +%s%N); node scripts/setup.js || exit 1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); done' 2>&1 | paste -sd' ' -) ||
  check_times="FAILED: $check_times"
echo "node scripts/setup.js, ms per run: $check_times"

echo
echo "fresh-machine-check summary: ${commit:0:12} on Debian 12 (debootstrap minbase), logs in $log_dir"
printf '  %-46s %5s s\n' "debootstrap" "$time_debootstrap" "apt-get install python3 g++ make git" "$time_base"
printf '  %-46s %5s s   %s\n' "npm start, until the notebook URL" "$time_start" "$start_result" \
  "npm test" "$time_test" "$test_result${summary:+ ($summary)}"
echo "  (npm start: $phases)"
echo "  set-up check with everything present, ms per run: $check_times"
[ "${start_result:0:2}" = OK ] && [ "$test_result" = OK ]
