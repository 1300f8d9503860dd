#!/usr/bin/perl
# reap.pl CMD ARGS...: runs CMD as a child subreaper and waits for every
# process it leaves behind (peapod's monitor and its exit command, Podman's
# conmon and its cleanup), so hyperfine's CPU time is the whole work of the
# command, not only of the processes that happened to be waited for.
# Exits with CMD's status. x86_64 and arm64 (prctl's syscall number).
use strict;
use Config;
my $nr = $Config{archname} =~ /aarch64|arm64/ ? 167 : 157;
syscall($nr, 36, 1, 0, 0, 0) == 0 or die "prctl(PR_SET_CHILD_SUBREAPER): $!\n";
my $pid = fork() // die "fork: $!\n";
if ($pid == 0) { exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!\n" }
my $status = 0;
while ((my $p = wait()) > 0) { $status = $? if $p == $pid }
exit($status & 127 ? 128 + ($status & 127) : $status >> 8);
