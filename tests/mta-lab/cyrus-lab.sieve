# The Sieve script every user of the MTA lab's "cyrus" run gets with its mailbox (imapd.conf).
require ["reject", "vacation", "envelope"];
if envelope :localpart :is "to" "sieve" {
  reject "I no longer accept mail from this address. Please stop writing to me.";
  stop;
}
if envelope :localpart :is "to" "away" {
  vacation :days 3 :addresses ["away@lmtp.lab.example"] "I am out of the office until 4 March, with no access to mail.";
}
