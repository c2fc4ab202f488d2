#!/bin/bash
# The MTA lab: real bounces from Debian's Postfix, Exim, Sendmail, Courier, OpenSMTPD and dma, from
# Dovecot's and Cyrus's delivery behind Postfix, and four MTAs' delay notices, kept as test fixtures.
#
#   sudo bash tests/mta-lab/run.sh [postfix] [exim] [sendmail] [courier] [opensmtpd] [dma] [dovecot] [cyrus]
#          [postfix-delay] [exim-delay] [sendmail-delay] [courier-delay]   (default: all twelve runs, in turn)
#
# For each MTA: installs its Debian package (they conflict, so one at a time), runs it inside a
# network namespace of its own that has only a loopback interface (so no traffic can go anywhere
# but 127.0.0.0/8), sends one message per kind of failure of the guide through it to a scripted
# SMTP server on 127.0.0.2:25 and a lab DNS on 127.0.0.53 (labserver.py), collects the bounces that
# come back to a local Maildir, writes them to tests/fixtures/mta-lab/<mta>-<kind>.eml, stops the
# MTA and purges exactly the packages it installed (and the users, groups, /etc/aliases and
# /etc/mailname that those packages left behind and that were not there before).
# Finally writes tests/fixtures/mta-lab/expected.jsonl from the answers in lab.py, and runs
# check.py if a ricochet binary is found under build/.
#
# Not for CI: it is slow, needs root, and installs and removes packages. ctest only runs check.py on
# the committed fixtures. Bounded: each apt step and each MTA's run has a time limit (the whole
# script takes about 1-3 minutes, at most ~10).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
fixtures="$repo/tests/fixtures/mta-lab"
say() { printf '[mta-lab] %s\n' "$*"; }
die() { printf '[mta-lab] error: %s\n' "$*" >&2; exit 1; }

[[ -z ${CI:-} ]] || die "not run in CI (it installs and purges packages); ctest checks the committed fixtures"
[[ $EUID -eq 0 ]] || die "run as root: it installs Debian packages and uses a network namespace"
for t in apt-get dpkg-query debconf-set-selections unshare ip python3 timeout mount; do
  command -v "$t" >/dev/null || die "missing $t"
done

mtas=("$@")
[[ ${#mtas[@]} -gt 0 ]] || mtas=(postfix exim sendmail courier opensmtpd dma dovecot cyrus postfix-delay exim-delay sendmail-delay courier-delay)
for m in "${mtas[@]}"; do
  case $m in postfix|exim|sendmail|courier|opensmtpd|dma|dovecot|cyrus|postfix-delay|exim-delay|sendmail-delay|courier-delay) ;;
    *) die "unknown run '$m' (postfix, exim, sendmail, courier, opensmtpd, dma, dovecot, cyrus, and postfix, exim, sendmail or courier with -delay)" ;; esac
done

# Never touch an MTA that is already there: installing ours would replace it, purging would remove it.
installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'; }
for p in postfix exim4-base exim4-config exim4-daemon-light exim4-daemon-heavy sendmail-bin nullmailer \
         opensmtpd msmtp-mta dma courier-mta dovecot-core cyrus-common; do
  installed "$p" && die "package $p is installed: this script installs and purges its own MTA; run it on a machine without one"
done
# ... and refuse to run without the isolation that keeps all traffic on loopback.
unshare --net --mount --uts --propagation private true 2>/dev/null ||
  die "cannot create a network namespace (unshare --net): refusing to run the MTAs on the host's network"

work=$(mktemp -d /tmp/mta-lab.XXXXXX)
chmod 755 "$work"
say "work directory: $work"

# What exists before, so that only what this script brought is taken away.
had_file() { [[ -e $1 ]] && echo yes || echo no; }
had_aliases=$(had_file /etc/aliases) had_mailname=$(had_file /etc/mailname)
# directories that a purge leaves behind (Courier's queue and run directories, Dovecot's and Cyrus's)
left_dirs=(/var/lib/courier /run/courier /var/lib/dovecot /run/dovecot /var/lib/cyrus /run/cyrus /var/spool/cyrus /var/spool/sieve)
had_dirs=()
for d in "${left_dirs[@]}"; do had_dirs+=("$(had_file "$d")"); done
users_before=$(getent passwd | cut -d: -f1 | sort)
groups_before=$(getent group | cut -d: -f1 | sort)

apt_() { DEBIAN_FRONTEND=noninteractive timeout 900 apt-get -o DPkg::Lock::Timeout=300 -q "$@"; }
current_pkgs=
stop_daemon() {  # a package's postinst may start its daemon on the host: stop it at once
  local svc=$1
  if [[ -d /run/systemd/system ]]; then systemctl stop "$svc" >/dev/null 2>&1 || true; fi
  if [[ -x /etc/init.d/$svc ]]; then timeout 60 /etc/init.d/"$svc" stop >/dev/null 2>&1 || true; fi
}
purge_current() {
  [[ -n $current_pkgs ]] || return 0
  say "purging: $current_pkgs"
  # shellcheck disable=SC2086
  apt_ purge -y $current_pkgs >"$work/apt-purge.log" 2>&1 || say "purge failed, see $work/apt-purge.log"
  current_pkgs=
}
restore_files() {
  [[ $had_aliases == no && -e /etc/aliases ]] && rm -f /etc/aliases /etc/aliases.db
  [[ $had_mailname == no && -e /etc/mailname ]] && rm -f /etc/mailname
  local i
  for i in "${!left_dirs[@]}"; do
    [[ ${had_dirs[$i]} == no && -d ${left_dirs[$i]} ]] && rm -rf -- "${left_dirs[$i]}"
  done
  local u g
  for u in postfix Debian-exim smmta smmsp courier opensmtpd opensmtpq dovecot dovenull cyrus; do
    if getent passwd "$u" >/dev/null && ! grep -qx -- "$u" <<<"$users_before"; then userdel "$u" 2>/dev/null || true; fi
  done
  for g in postfix postdrop Debian-exim smmta smmsp courier opensmtpq dovecot dovenull; do
    if getent group "$g" >/dev/null && ! grep -qx -- "$g" <<<"$groups_before"; then groupdel "$g" 2>/dev/null || true; fi
  done
}
finish() {
  local rc=$?
  set +e
  purge_current
  restore_files
  if [[ $rc -eq 0 ]]; then rm -rf "$work"; else say "logs kept in $work"; fi
  exit $rc
}
trap finish EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/fx" "$fixtures"
failed=()
for mta in "${mtas[@]}"; do
  say "=== $mta ==="
  case $mta in
    postfix|postfix-delay)
      pkgs=(postfix)
      echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections ;;
    exim|exim-delay)
      pkgs=(exim4-daemon-light)
      printf '%s\n' "exim4-config exim4/dc_eximconfig_configtype select no configuration at this time" \
        "exim4-config exim4/no_config boolean true" | debconf-set-selections ;;
    sendmail|sendmail-delay)
      pkgs=(sendmail-bin) ;;   # its own configuration is not used: the lab compiles sendmail.mc
    courier|courier-delay)
      pkgs=(courier-mta) ;;    # the lab writes its own configuration over a copy of /etc/courier
    opensmtpd)
      pkgs=(opensmtpd)
      echo "opensmtpd opensmtpd/mailname string sender.lab.example" | debconf-set-selections ;;
    dovecot)
      pkgs=(postfix dovecot-core dovecot-sieve dovecot-lmtpd)
      echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections ;;
    cyrus)
      pkgs=(postfix cyrus-imapd)
      echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections ;;
    dma)
      pkgs=(dma)
      echo "dma dma/mailname string sender.lab.example" | debconf-set-selections ;;
  esac
  # What apt means to install for it: only those packages (and only if new) are purged afterwards,
  # never one that someone else installs on this machine at the same time.
  planned=$(apt_ install -s --no-install-recommends --no-remove "${pkgs[@]}" 2>/dev/null |
            awk '$1 == "Inst" { sub(/:.*/, "", $2); print $2 }' | sort)
  before=$(dpkg-query -W -f='${Package}\n' | sort)
  say "installing ${pkgs[*]}"
  apt_ install -y --no-install-recommends --no-remove "${pkgs[@]}" >"$work/apt-install-$mta.log" 2>&1 ||
    { say "install failed, see $work/apt-install-$mta.log"; failed+=("$mta"); continue; }
  current_pkgs=$(dpkg-query -W -f='${Package}\n' | sort | comm -13 <(echo "$before") - |
                 comm -12 - <(echo "$planned") | tr '\n' ' ')
  say "installed: $current_pkgs"
  case $mta in
    dovecot) stop_daemon dovecot; stop_daemon postfix; pgrep -x dovecot >/dev/null &&
               { say "a Dovecot daemon runs on the host"; failed+=("$mta"); purge_current; continue; } ;;&
    cyrus) stop_daemon cyrus-imapd; pgrep -f /usr/lib/cyrus/bin/master >/dev/null &&
               { say "a Cyrus master runs on the host"; failed+=("$mta"); purge_current; continue; } ;;&
    postfix|dovecot|cyrus|postfix-delay) stop_daemon postfix; pgrep -x master >/dev/null && postfix status >/dev/null 2>&1 &&
               { say "a Postfix master runs on the host"; failed+=("$mta"); purge_current; continue; } ;;
    exim|exim-delay) stop_daemon exim4; pgrep -x exim4 >/dev/null &&
               { say "an Exim daemon runs on the host"; failed+=("$mta"); purge_current; continue; } ;;
    sendmail|sendmail-delay) stop_daemon sendmail; pgrep -x sendmail-mta >/dev/null &&
               { say "a Sendmail daemon runs on the host"; failed+=("$mta"); purge_current; continue; } ;;
    courier|courier-delay) stop_daemon courier; stop_daemon courier-authdaemon; pgrep -x courierd >/dev/null &&
               { say "a Courier daemon runs on the host"; failed+=("$mta"); purge_current; continue; } ;;
    opensmtpd) stop_daemon opensmtpd; pgrep -x smtpd >/dev/null &&
               { say "an OpenSMTPD daemon runs on the host"; failed+=("$mta"); purge_current; continue; } ;;
  esac
  mkdir -p "$work/$mta" "$work/fx-$mta"
  if timeout -k 20 300 unshare --net --mount --uts --propagation private \
       bash "$here/inner.sh" "$mta" "$work/$mta" "$work/fx-$mta"; then
    # this run's fixtures (a "postfix" run leaves the "postfix-delay" run's alone)
    for f in "$fixtures/$mta"-*.eml; do
      [[ $mta != *-delay && $f == "$fixtures/$mta"-delay-* ]] || rm -f -- "$f"
    done
    cp "$work/fx-$mta"/*.eml "$fixtures/"
    say "$mta: $(ls "$work/fx-$mta" | wc -l) fixture(s) written to tests/fixtures/mta-lab/"
  else
    say "$mta: the run did not produce every bounce; fixtures left as they were (new ones in $work/fx-$mta)"
    failed+=("$mta")
  fi
  if [[ $mta == exim* ]]; then rm -f /etc/exim4/exim4.conf; fi
  purge_current
done
restore_files

python3 "$here/lab.py" expected --fixtures "$fixtures"
bin=$(ls -t "$repo"/build/*/ricochet 2>/dev/null | head -n1 || true)  # the newest build
if [[ -n $bin ]]; then
  say "checking with $bin"
  python3 "$here/check.py" "$bin" "$fixtures" || true
else
  say "no ricochet binary under build/: run ctest (test mta_lab_fixtures) after building"
fi
[[ ${#failed[@]} -eq 0 ]] || die "failed: ${failed[*]}"
say "done"
