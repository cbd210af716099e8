#!/bin/sh
# otau-host's command line: digests match sha256sum, boot prints the agent's log, and bad
# arguments or missing files give one line on stderr and exit status 2.
# usage: otau_host_cli.sh <otau-host> <agent.wasm>
set -u
HOST=$1
AGENT=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FAILURES=0

fail() {
  echo "not ok - $1" >&2
  FAILURES=$((FAILURES + 1))
}

# expect_usage_error <name> <args...>: exit status 2, exactly one line on stderr, nothing on stdout.
expect_usage_error() {
  name=$1
  shift
  "$HOST" "$@" >"$WORK/out" 2>"$WORK/err"
  status=$?
  if [ "$status" -ne 2 ] || [ "$(wc -l <"$WORK/err")" -ne 1 ] || [ -s "$WORK/out" ]; then
    fail "$name (exit $status, stderr: $(cat "$WORK/err"))"
  else
    echo "ok - $name"
  fi
}

printf 'abc' >"$WORK/abc"
: >"$WORK/empty"
head -c 10000 /dev/urandom >"$WORK/random"
for file in abc empty random; do
  expected=$(sha256sum "$WORK/$file" | cut -d ' ' -f 1)
  actual=$("$HOST" sha256 --agent "$AGENT" "$WORK/$file")
  if [ "$actual" = "$expected" ]; then echo "ok - sha256 of $file matches sha256sum"; else fail "sha256 of $file: $actual, expected $expected"; fi
done

output=$("$HOST" boot --agent "$AGENT" --flash "$WORK/flash.img" --boot-record-size 16384 --slot-size 65536)
if echo "$output" | grep -q "^\[info\] otau agent .* booted$" && [ "$(wc -c <"$WORK/flash.img")" -eq $((16384 + 2 * 65536)) ]; then
  echo "ok - boot prints the agent's log and creates the flash image"
else
  fail "boot printed '$output'"
fi

expect_usage_error "no command is a usage error" 
expect_usage_error "an unknown command is a usage error" frobnicate
expect_usage_error "an unknown option is a usage error" sha256 --agent "$AGENT" --fast "$WORK/abc"
expect_usage_error "sha256 without --agent is a usage error" sha256 "$WORK/abc"
expect_usage_error "sha256 of a missing file is a usage error" sha256 --agent "$AGENT" "$WORK/missing"
expect_usage_error "a missing agent is a usage error" sha256 --agent "$WORK/missing.wasm" "$WORK/abc"
expect_usage_error "a non-numeric size is a usage error" boot --agent "$AGENT" --sector-size big
expect_usage_error "a flash image of the wrong size is a usage error" boot --agent "$AGENT" --flash "$WORK/abc"
expect_usage_error "boot takes no file argument" boot --agent "$AGENT" "$WORK/abc"
MURANO="--murano http://127.0.0.1:9 --identity gw"
expect_usage_error "run without --flash is a usage error" run --agent "$AGENT" $MURANO
expect_usage_error "run with an unknown cloud is a usage error" run --agent "$AGENT" --flash "$WORK/run.img" --cloud aws
expect_usage_error "run for Murano without --identity is a usage error" run --agent "$AGENT" --flash "$WORK/run.img" --murano http://127.0.0.1:9
expect_usage_error "run for Kaa without --kaa-token is a usage error" run --agent "$AGENT" --flash "$WORK/run.img" --cloud kaa --kaa-mqtt mqtt://127.0.0.1:9 --kaa-app app
expect_usage_error "run with a Murano URL that is not http(s) is a usage error" run --agent "$AGENT" --flash "$WORK/run.img" --murano 127.0.0.1:9 --identity gw
expect_usage_error "run with a broker URL that is not mqtt:// is a usage error" run --agent "$AGENT" --flash "$WORK/run.img" --cloud kaa --kaa-mqtt http://127.0.0.1:9 --kaa-app app --kaa-token t
expect_usage_error "an unknown log level is a usage error" run --agent "$AGENT" --flash "$WORK/run.img" $MURANO --log loud
expect_usage_error "an unknown agent setting is a usage error" run --agent "$AGENT" --flash "$WORK/run.img" $MURANO --setting turbo=1
expect_usage_error "a setting without a number is a usage error" run --agent "$AGENT" --flash "$WORK/run.img" $MURANO --setting max-attempts=many
expect_usage_error "allow-unverified-images is a known setting that needs a number" run --agent "$AGENT" --flash "$WORK/run.img" $MURANO --setting allow-unverified-images=yes
grep -q "allow-unverified-images needs a whole number" "$WORK/err" || fail "allow-unverified-images is not a known setting: $(cat "$WORK/err")"
expect_usage_error "a slot address with a bad hexadecimal digit is a usage error" run --agent "$AGENT" --flash "$WORK/run.img" $MURANO --setting slot-address-b=0x2108000g
grep -q "slot-address-b needs a whole number (decimal, or hexadecimal after 0x), not '0x2108000g'" "$WORK/err" || fail "a bad slot address is not named: $(cat "$WORK/err")"
expect_usage_error "a slot address past 32 bits is a usage error" run --agent "$AGENT" --flash "$WORK/run.img" $MURANO --setting slot-address-a=0x100000000
expect_usage_error "a 1024-byte stack (the agent traps on every config) is a usage error" boot --agent "$AGENT" --stack-size 1024
expect_usage_error "a stack one byte below the floor is a usage error" boot --agent "$AGENT" --stack-size 3071
if "$HOST" boot --agent "$AGENT" --stack-size 1024 2>&1 | grep -q "at least 3072 bytes"; then
  echo "ok - a refused stack size names the floor"
else
  fail "a refused stack size does not name the floor"
fi
if "$HOST" boot --agent "$AGENT" --stack-size 3072 | grep -q "booted$"; then
  echo "ok - the agent boots with a stack at the floor"
else
  fail "the agent does not boot with --stack-size 3072"
fi
expect_usage_error "a poll timeout over Murano's limit is a usage error" run --agent "$AGENT" --flash "$WORK/run.img" $MURANO --poll-timeout-ms 300001

if "$HOST" run --help | grep -q -- "--exit-when-installed"; then
  echo "ok - run --help lists the run options"
else
  fail "run --help does not list --exit-when-installed"
fi

"$HOST" sha256 --agent "$WORK/abc" "$WORK/abc" >/dev/null 2>"$WORK/err"
status=$?
if [ "$status" -eq 1 ] && grep -q "the agent module is not valid" "$WORK/err"; then
  echo "ok - a file that is not a module fails with exit status 1"
else
  fail "a file that is not a module (exit $status, stderr: $(cat "$WORK/err"))"
fi

[ "$FAILURES" -eq 0 ] || { echo "$FAILURES CLI check(s) failed" >&2; exit 1; }
