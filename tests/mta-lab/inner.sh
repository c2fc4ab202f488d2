#!/bin/bash
# One MTA's run of the lab, inside the network and mount namespace that run.sh made for it:
#   unshare --net --mount --uts --propagation private bash inner.sh MTA WORKDIR FIXTURES
# The namespace has only a loopback interface, so nothing this script starts can reach any address
# but 127.0.0.0/8 (and ::1); /etc/resolv.conf and /etc/hosts are bind-mounted over, in this
# namespace only, with the lab's own (nameserver 127.0.0.53, the lab DNS in labserver.py).
set -euo pipefail
mta=$1 work=$2 fixtures=$3
here=$(cd "$(dirname "$0")" && pwd)
log() { printf '[inner %s] %s\n' "$mta" "$*"; }

# --- the network: loopback only, or stop here --------------------------------------------------
ip link set lo up
# A second loopback address: resolvers that honour AI_ADDRCONFIG (OpenSMTPD's libasr) look up IPv4
# names only when the host has an IPv4 address other than 127.0.0.1. It is still on lo.
ip addr add 127.0.0.25/32 dev lo
if ip -o link show | grep -v ': lo:' | grep -q .; then
  log "refusing to run: this namespace has a network interface besides lo"; ip -o link show; exit 3
fi
if ip -o addr show | grep -v ' lo ' | grep -q .; then
  log "refusing to run: an address outside lo"; exit 3
fi
# a host name of its own (this namespace's UTS only): the name the MTAs put in their reports
hostname mta.sender.lab.example
printf 'nameserver 127.0.0.53\noptions timeout:2 attempts:1\n' >"$work/resolv.conf"
printf '127.0.0.1 localhost mta.sender.lab.example\n::1 localhost\n' >"$work/hosts"
mount --bind "$work/resolv.conf" /etc/resolv.conf
mount --bind "$work/hosts" /etc/hosts

# --- the receiving side ----------------------------------------------------------------------------
server_pid=
mta_started=
made_spool=
kill_ours() {  # kill those of the given processes that run in this network namespace
  local p
  for p in "$@"; do
    [[ $(readlink /proc/$p/ns/net) == $(readlink /proc/self/ns/net) ]] && kill "$p"
  done
}
cleanup() {
  set +e
  if [[ -n $mta_started ]]; then
    case $mta in
      postfix|postfix-delay|dovecot|cyrus)
        # the messages still being retried (postfix-delay), Postfix, and the delivering side's
        # master process (Dovecot's, Cyrus's) by the pid file it wrote in the run's directory
        [[ $mta == postfix-delay ]] && postsuper -d ALL >/dev/null 2>&1
        timeout 30 postfix stop >/dev/null 2>&1
        for pidfile in "$work/dovecot/run/master.pid" "$work/cyrus/master.pid"; do
          [[ -s $pidfile ]] && kill "$(cat "$pidfile")"
        done ;;
      opensmtpd)
        if [[ -s $work/smtpd.pid ]]; then
          pid=$(cat "$work/smtpd.pid"); kill "$pid"
          for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        fi ;;
      courier|courier-delay)
        timeout 30 courier stop >/dev/null 2>&1
        timeout 30 authdaemond stop >/dev/null 2>&1 ;;
      # no daemon was started: end any queue run or delivery process that is still around
      sendmail|sendmail-delay) kill_ours $(pgrep -x sendmail 2>/dev/null; pgrep -f '^sendmail: ' 2>/dev/null) ;;
      exim|exim-delay)
        # the messages still being retried (exim-delay)
        exim4 -bpru 2>/dev/null | awk 'NF >= 3 && $1 ~ /^[0-9]+[smhdw]$/ { print $3 }' | xargs -r exim4 -Mrm >/dev/null 2>&1
        kill_ours $(pgrep -x exim4 2>/dev/null) ;;
    esac
  fi
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ -n $made_spool ]] && umount /var/spool/smtpd 2>/dev/null && rmdir /var/spool/smtpd
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

# Postfix as the sending MTA, bounces for sender@sender.lab.example to a Maildir; no chroot (the
# bind-mounted resolv.conf applies), and no SMTP listener: mail enters by sendmail. "$@": more
# main.cf settings.
postfix_setup() {
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
    "biff = no" "$@"
  postconf -F '*/*/chroot = n'
  postconf -MX smtp/inet
}

case $mta in
postfix)
  postfix_setup
  postfix check
  mta_started=1
  postfix start
  python3 "$here/lab.py" submit --mta postfix
  python3 "$here/lab.py" collect --mta postfix --maildir "$mail/sender" --out "$fixtures" \
    --timeout 150 --kick "postqueue -f" || rc=$?
  log "queue at the end:"; postqueue -p || true
  ;;
dovecot)
  # Postfix hands the mail for three local domains to Dovecot's delivery agent (dovecot-lda), which
  # runs the user's Sieve script and checks the quota. For mdn.lab.example, Dovecot sends its own
  # refusals; for lda.lab.example it is called with -e and Postfix sends the bounce, quoting what
  # Dovecot wrote. For lmtp.lab.example Postfix delivers over LMTP and Dovecot answers in the
  # protocol.
  d="$work/dovecot"
  mkdir -p "$d/run" "$d/state" "$d/home/sieve" "$d/home/full" "$d/home/away"
  sed -e "s|@WORK@|$work|g" "$here/dovecot.conf" >"$d/dovecot.conf"
  {
    printf 'sieve::65534:65534::%s::\n' "$d/home/sieve"
    printf 'full::65534:65534::%s::userdb_quota_rule=*:storage=10B\n' "$d/home/full"
    printf 'away::65534:65534::%s::\n' "$d/home/away"
  } >"$d/users"
  printf 'require "reject";\nreject "I no longer accept mail from this address. Please stop writing to me.";\n' \
    >"$d/home/sieve/.dovecot.sieve"
  printf 'require "vacation";\nvacation :days 1 "I am out of the office until 4 March, with no access to mail.\nFor urgent matters please write to the front desk.";\n' \
    >"$d/home/away/.dovecot.sieve"
  : >"$d/dovecot.log"
  chown -R 65534:65534 "$d"
  postfix_setup \
    "mydestination = localhost, local.lab.example, mdn.lab.example, lda.lab.example, lmtp.lab.example" \
    "transport_maps = inline:{ mdn.lab.example=dovecot:, lda.lab.example=dovecotx:, lmtp.lab.example=lmtp:unix:$d/run/lmtp }" \
    "dovecot_destination_recipient_limit = 1" "dovecotx_destination_recipient_limit = 1"
  lda="/usr/lib/dovecot/dovecot-lda -c $d/dovecot.conf -f \${sender} -a \${recipient} -d \${user}"
  postconf -M "dovecot/unix=dovecot unix - n n - - pipe flags=DRhu user=nobody argv=$lda"
  postconf -M "dovecotx/unix=dovecotx unix - n n - - pipe flags=DRhu user=nobody argv=$lda -e"
  postfix check
  mta_started=1
  dovecot -c "$d/dovecot.conf"
  for _ in $(seq 50); do [[ -S $d/run/auth-userdb && -S $d/run/lmtp ]] && break; sleep 0.2; done
  postfix start
  python3 "$here/lab.py" submit --mta dovecot
  python3 "$here/lab.py" collect --mta dovecot --maildir "$mail/sender" --out "$fixtures" \
    --timeout 90 --kick "postqueue -f" || rc=$?
  log "queue at the end:"; postqueue -p || true
  log "dovecot's log:"; cat "$d/dovecot.log" || true
  ;;
cyrus)
  # Postfix delivers lmtp.lab.example over LMTP to Cyrus's lmtpd (a Unix socket in the run's
  # directory). Its users get a mailbox and a Sieve script (cyrus-lab.sieve) at their first
  # delivery: "full" (a quota of 1 KB, filled by one message before the scenarios), "sieve" (the
  # script refuses) and "away" (the script answers with a vacation notice); any other user has no
  # mailbox.
  c="$work/cyrus"
  mkdir -p "$c/lib/db" "$c/lib/socket" "$c/spool" "$c/sieve" "$c/run/proc" "$c/run/lock" "$c/run/socket"
  sed -e "s|@CYRUS@|$c|g" "$here/imapd.conf" >"$c/imapd.conf"
  sed -e "s|@CYRUS@|$c|g" "$here/cyrus.conf" >"$c/cyrus.conf"
  cp "$here/cyrus-lab.sieve" "$c/lab.sieve"
  chown -R cyrus:mail "$c"
  postfix_setup \
    "mydestination = localhost, local.lab.example, lmtp.lab.example" \
    "transport_maps = inline:{ lmtp.lab.example=lmtp:unix:$c/run/socket/lmtp }"
  postfix check
  mta_started=1
  /usr/lib/cyrus/bin/master -C "$c/imapd.conf" -M "$c/cyrus.conf" -p "$c/master.pid" -d
  for _ in $(seq 50); do [[ -S $c/run/socket/lmtp ]] && break; sleep 0.2; done
  # one message fills the "full" user's quota (Cyrus takes a message while the mailbox is under it)
  python3 -c 'import smtplib, sys; l = smtplib.LMTP(sys.argv[1]); l.sendmail("sender@sender.lab.example", ["full@lmtp.lab.example"], "Subject: fill\n\n" + "x" * 2048 + "\n"); l.quit()' \
    "$c/run/socket/lmtp"
  postfix start
  python3 "$here/lab.py" submit --mta cyrus
  python3 "$here/lab.py" collect --mta cyrus --maildir "$mail/sender" --out "$fixtures" \
    --timeout 90 --kick "postqueue -f" || rc=$?
  log "queue at the end:"; postqueue -p || true
  ;;
postfix-delay)
  # Postfix again, but what fails for now is retried for a day, and the sender is warned after a
  # few seconds: the delay notices ("Delayed Mail (still being retried)").
  postfix_setup "maximal_queue_lifetime = 1d" "delay_warning_time = 3s"
  postfix check
  mta_started=1
  postfix start
  python3 "$here/lab.py" submit --mta postfix-delay
  python3 "$here/lab.py" collect --mta postfix-delay --maildir "$mail/sender" --out "$fixtures" \
    --timeout 90 --kick "postqueue -f" || rc=$?
  log "queue at the end:"; postqueue -p || true
  ;;
exim|exim-delay)
  chown Debian-exim:Debian-exim "$mail"
  mkdir -p "$work/exim-log" && chown Debian-exim:Debian-exim "$work/exim-log"
  # exim: no retry rules, so what fails for now is returned at once; exim-delay: retried for a
  # day, and the sender is warned after a few seconds (the delay warning)
  if [[ $mta == exim ]]; then retry= warn=24h; else retry='*  *  F,1d,5s' warn=4s; fi
  sed -e "s|@MAILDIR@|$mail/sender|g" -e "s|@LOG@|$work/exim-log/%slog|g" \
      -e "s|@RETRY@|$retry|" -e "s|@DELAY_WARNING@|$warn|" "$here/exim4.conf" >/etc/exim4/exim4.conf
  exim4 -bV >/dev/null
  mta_started=1
  python3 "$here/lab.py" submit --mta "$mta"
  python3 "$here/lab.py" collect --mta "$mta" --maildir "$mail/sender" --out "$fixtures" \
    --timeout 150 --kick "exim4 -qff" || rc=$?
  log "queue at the end:"; exim4 -bp || true
  ;;
opensmtpd)
  chown 65534:65534 "$mail"
  # a queue of this run's own (in this mount namespace), so nothing is left over from or for another;
  # the package creates /var/spool/smtpd only when smtpd first starts: the mount point is made here
  # and taken away again at the end
  if [[ ! -d /var/spool/smtpd ]]; then mkdir -m 711 /var/spool/smtpd; made_spool=1; fi
  mkdir -p "$work/smtpd-spool" && chmod 711 "$work/smtpd-spool"
  mount --bind "$work/smtpd-spool" /var/spool/smtpd
  sed -e "s|@MAILDIR@|$mail/sender|g" "$here/smtpd.conf" >"$work/smtpd.conf"
  smtpd -n -f "$work/smtpd.conf" >/dev/null
  mta_started=1
  smtpd -d -f "$work/smtpd.conf" >"$work/smtpd.log" 2>&1 &
  echo $! >"$work/smtpd.pid"
  for _ in $(seq 50); do smtpctl show status >/dev/null 2>&1 && break; sleep 0.2; done
  python3 "$here/lab.py" submit --mta opensmtpd
  python3 "$here/lab.py" collect --mta opensmtpd --maildir "$mail/sender" --out "$fixtures" \
    --timeout 150 --kick "smtpctl schedule all" || rc=$?
  log "queue at the end:"; smtpctl show queue || true
  ;;
dma)
  # dma has no daemon and no queue lifetime of its own (temporary failures are retried for days),
  # so only the scenarios that fail at once are run (lab.py). Everything it writes is in $work:
  # the spool, the aliases, and /var/mail (bind-mounted over in this namespace) for local delivery.
  mkdir -p "$work/dma-spool" "$work/var-mail"
  chown root:mail "$work/dma-spool" "$work/var-mail" && chmod 2775 "$work/dma-spool" "$work/var-mail"
  printf 'sender: nobody\n' >"$work/aliases"
  sed -e "s|@SPOOL@|$work/dma-spool|g" -e "s|@ALIASES@|$work/aliases|g" "$here/dma.conf" >"$work/dma.conf"
  mount --bind "$work/dma.conf" /etc/dma/dma.conf
  mount --bind "$work/var-mail" /var/mail
  mta_started=1
  python3 "$here/lab.py" submit --mta dma
  python3 "$here/lab.py" collect --mta dma --mbox /var/mail/nobody --out "$fixtures" \
    --timeout 60 --kick "dma -q" || rc=$?
  log "spool at the end:"; ls -l "$work/dma-spool" || true
  ;;
sendmail|sendmail-delay)
  # Sendmail delivers the bounces for sender@sender.lab.example to a file through its aliases.
  mkdir -p "$work/mqueue" && chmod 700 "$work/mqueue"
  # the file is written as the configuration's DefaultUser (mail:mail on Debian)
  : >"$work/sender.mbox" && chown mail:mail "$work/sender.mbox" && chmod 600 "$work/sender.mbox"
  printf 'sender: %s\nMAILER-DAEMON: sender\npostmaster: sender\n' "$work/sender.mbox" >"$work/aliases"
  printf 'hosts\tdns files\naliases\tfiles\n' >"$work/service.switch"
  # sendmail: what fails for now is returned at once; sendmail-delay: kept for a day, the sender
  # warned after a second
  if [[ $mta == sendmail ]]; then qreturn=1s qwarn=1h; else qreturn=1d qwarn=1s; fi
  sed -e "s|@WORK@|$work|g" -e "s|@QUEUERETURN@|$qreturn|" -e "s|@QUEUEWARN@|$qwarn|" "$here/sendmail.mc" |
    m4 >"$work/sendmail.cf"
  sendmail -C "$work/sendmail.cf" -bi >/dev/null
  mta_started=1
  python3 "$here/lab.py" submit --mta "$mta" --cf "$work/sendmail.cf"
  python3 "$here/lab.py" collect --mta "$mta" --mbox "$work/sender.mbox" --out "$fixtures" \
    --timeout 150 --kick "sendmail -C $work/sendmail.cf -q" || rc=$?
  log "queue at the end:"; sendmail -C "$work/sendmail.cf" -bp || true
  ;;
courier|courier-delay)
  # Courier reads /etc/courier and queues in /var/lib/courier: this namespace gets copies of both
  # (its own configuration, an empty queue) and a /run/courier of its own, so the host's stay as
  # they were. Bounces for sender@sender.lab.example go to a Maildir through an alias; Courier
  # delivers to it as user courier.
  cp -a /etc/courier "$work/courier-etc"
  cp -a /var/lib/courier "$work/courier-lib"
  find "$work/courier-lib/msgs" "$work/courier-lib/msgq" "$work/courier-lib/tmp" -mindepth 1 -delete
  mkdir -p "$work/courier-run" && cp -a /run/courier/. "$work/courier-run/" 2>/dev/null || true
  chown courier:courier "$work/courier-run"
  mount --bind "$work/courier-etc" /etc/courier
  mount --bind "$work/courier-lib" /var/lib/courier
  mount --bind "$work/courier-run" /run/courier
  chown courier:courier "$mail"
  mkdir -p "$mail/sender"/{new,cur,tmp} && chown -R courier:courier "$mail/sender"
  echo mta.sender.lab.example >/etc/courier/me
  echo sender.lab.example >/etc/courier/defaultdomain
  printf 'localhost\nsender.lab.example\nlocal.lab.example\n' >/etc/courier/locals
  # courier: what fails for now is returned after 15 seconds, so a refused connection is final
  # within the run; courier-delay: kept for a day, the sender warned after 5 seconds
  if [[ $mta == courier ]]; then echo 15s >/etc/courier/queuetime
  else echo 1d >/etc/courier/queuetime; echo 5s >/etc/courier/warntime; fi
  echo 5s >/etc/courier/retryalpha; echo 1 >/etc/courier/retrybeta
  echo 5s >/etc/courier/retrygamma; echo 1 >/etc/courier/retrymaxdelta
  sed -i -e 's/^ESMTP_USE_STARTTLS=.*/ESMTP_USE_STARTTLS=0/' /etc/courier/courierd
  rm -rf /etc/courier/aliases/* /etc/courier/aliasdir/.courier-* 2>/dev/null || true
  printf 'sender: %s/\n' "$mail/sender" >/etc/courier/aliases/system
  makealiases
  mta_started=1
  authdaemond start
  courier start
  for _ in $(seq 50); do [[ -e /run/courier/courierd.pid ]] && break; sleep 0.2; done
  python3 "$here/lab.py" submit --mta "$mta"
  python3 "$here/lab.py" collect --mta "$mta" --maildir "$mail/sender" --out "$fixtures" \
    --timeout 150 --kick "courier flush" || rc=$?
  log "queue at the end:"; mailq || true
  ;;
esac
exit "${rc:-0}"
