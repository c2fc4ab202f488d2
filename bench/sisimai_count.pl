#!/usr/bin/perl
# Sisimai peer for bench/compare.sh: parses every message of PATH (a Maildir-like directory or an
# mbox) with Sisimai->make (Debian's libsisimai-perl 4.25; Sisimai->rise in 5.x) and prints
# "messages=N records=R": N messages Sisimai read (counted by the per-message hook), R bounce records.
use strict;
use warnings;
use Sisimai;

my $path = shift // die "usage: $0 PATH\n";
my $messages = 0;
my $hook = sub { $messages++; return undef };
my $method = Sisimai->can('rise') ? 'rise' : 'make';
my $records = Sisimai->$method($path, 'hook' => $hook) || [];
printf "messages=%d records=%d\n", $messages, scalar @$records;
