#!/bin/bash
# One MTA's run of the lab, inside the network and mount namespace that run.sh made for it:
#   unshare --net --mount --propagation private bash inner.sh MTA WORKDIR FIXTURES
# The namespace has only a loopback interface, so nothing this script starts can reach any address
# but 127.0.0.0/8 (and ::1); /etc/resolv.conf and /etc/hosts are bind-mounted over, in this
# namespace only, with the lab's own (nameserver 127.0.0.53, the lab DNS in labserver.py).
set -euo pipefail
mta=$1 work=$2 fixtures=$3
here=$(cd "$(dirname "$0")" && pwd)
log() { printf '[inner %s] %s\n' "$mta" "$*"; }

# --- the network: loopback only, or stop here --------------------------------------------------
ip link set lo up
if ip -o link show | grep -v ': lo:' | grep -q .; then
  log "refusing to run: this namespace has a network interface besides lo"; ip -o link show; exit 3
fi
if ip -o addr show | grep -v ' lo ' | grep -q .; then
  log "refusing to run: an address outside lo"; exit 3
fi
printf 'nameserver 127.0.0.53\noptions timeout:2 attempts:1\n' >"$work/resolv.conf"
printf '127.0.0.1 localhost mta.sender.lab.example\n::1 localhost\n' >"$work/hosts"
mount --bind "$work/resolv.conf" /etc/resolv.conf
mount --bind "$work/hosts" /etc/hosts

# --- the receiving side ----------------------------------------------------------------------------
server_pid=
mta_started=
cleanup() {
  set +e
  if [[ -n $mta_started ]]; then
    case $mta in
      postfix) timeout 30 postfix stop >/dev/null 2>&1 ;;
      exim)
        # no daemon was started; end any delivery process that is still around (ours: this namespace)
        for p in $(pgrep -x exim4 2>/dev/null); do
          [[ $(readlink /proc/$p/ns/net) == $(readlink /proc/self/ns/net) ]] && kill "$p"
        done ;;
    esac
  fi
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 143' TERM INT

python3 "$here/labserver.py" --log "$work/server.log" --lifetime 300 >"$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 50); do grep -q ready "$work/server.out" 2>/dev/null && break; sleep 0.2; done
grep -q ready "$work/server.out" || { log "lab server did not start:"; cat "$work/server.out"; exit 1; }
log "lab server up (smtp 127.0.0.2:25, dns 127.0.0.53:53)"

mail="$work/mail"
mkdir -p "$mail"
chmod 755 "$work"

case $mta in
postfix)
  chown 65534:65534 "$mail"
  : >/etc/postfix/main.cf
  postconf -e \
    "compatibility_level = 3.6" \
    "myhostname = mta.sender.lab.example" \
    "mydomain = sender.lab.example" \
    "myorigin = \$mydomain" \
    "mydestination = localhost, local.lab.example" \
    "inet_interfaces = loopback-only" \
    "inet_protocols = ipv4" \
    "mynetworks = 127.0.0.0/8" \
    "relayhost =" \
    "alias_maps =" "alias_database =" \
    "local_recipient_maps =" \
    "virtual_mailbox_domains = sender.lab.example" \
    "virtual_mailbox_base = $mail" \
    "virtual_mailbox_maps = inline:{ sender@sender.lab.example=sender/ }" \
    "virtual_uid_maps = static:65534" "virtual_gid_maps = static:65534" \
    "maximal_queue_lifetime = 0" "bounce_queue_lifetime = 0" \
    "queue_run_delay = 5s" "minimal_backoff_time = 5s" "maximal_backoff_time = 10s" \
    "smtp_host_lookup = dns" "smtp_dns_support_level = enabled" \
    "smtp_connect_timeout = 5s" \
    "smtp_tls_security_level = none" \
    "maillog_file_prefixes = $work" "maillog_file = $work/postfix.log" \
    "biff = no"
  # no chroot (the bind-mounted resolv.conf applies), and no SMTP listener: mail enters by sendmail
  postconf -F '*/*/chroot = n'
  postconf -MX smtp/inet
  postfix check
  mta_started=1
  postfix start
  python3 "$here/lab.py" submit --mta postfix
  python3 "$here/lab.py" collect --mta postfix --maildir "$mail/sender" --out "$fixtures" \
    --timeout 150 --kick "postqueue -f" || rc=$?
  log "queue at the end:"; postqueue -p || true
  ;;
exim)
  chown Debian-exim:Debian-exim "$mail"
  mkdir -p "$work/exim-log" && chown Debian-exim:Debian-exim "$work/exim-log"
  sed -e "s|@MAILDIR@|$mail/sender|g" -e "s|@LOG@|$work/exim-log/%slog|g" \
    "$here/exim4.conf" >/etc/exim4/exim4.conf
  exim4 -bV >/dev/null
  mta_started=1
  python3 "$here/lab.py" submit --mta exim
  python3 "$here/lab.py" collect --mta exim --maildir "$mail/sender" --out "$fixtures" \
    --timeout 150 --kick "exim4 -qff" || rc=$?
  log "queue at the end:"; exim4 -bp || true
  ;;
esac
exit "${rc:-0}"
