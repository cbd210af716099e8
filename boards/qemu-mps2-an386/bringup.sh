#!/bin/sh
# Bring-up of the QEMU mps2-an386 board, for each runtime of the agent (wasm3, and aot: the
# same agent.wasm translated ahead of time by wasm2c): builds the firmware twice (the agent
# hashing in AssemblyScript, the portable default; and with the native SHA-256 and Ed25519 imports), runs
# the smoke test and a full update under QEMU with each, checks that an agent that traps is
# restarted (a third build, with tests/node/fixtures/trapping-agent.wat), then prints the
# report: sizes, RAM high-water, instructions per byte, both runtimes side by side. The flash
# driver's self-test runs once. Last it builds the device's images (`make images`: the
# bootloader and the applications that run from a slot) and boots them twice on a flash file,
# for their sizes and the instructions from reset to the application's first line. Exit status
# 0 only when all pass.
#
#   boards/qemu-mps2-an386/bringup.sh          (needs build/agent.wasm: npm run build:agent)
#
# The update's files stay in build/boards/qemu-mps2-an386/run/ (config_otau.json, the image,
# factory-1.0.0.bin, the console logs: update.log, update-native.log, and aot-update.log,
# aot-update-native.log for the translated agent): tests/node/qemu-parity.test.ts replays them
# in Node.
#
# Instruction counts come from SysTick under `-icount shift=0`, where one tick of the 25 MHz
# clock is exactly 40 instructions: deterministic, identical run to run.
set -eu

BOARD_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT_DIR=$(cd "$BOARD_DIR/../.." && pwd)
OUT="$ROOT_DIR/build/boards/qemu-mps2-an386"
TRAPPING_AGENT="$ROOT_DIR/build/boards/trapping-agent.wasm"
RUNTIMES="wasm3 aot"
RUN="$OUT/run"
IMAGE_BYTES=65536
NEW_VERSION=1.1.0
QEMU_TIMEOUT=120

fail() {
  echo "bringup: $*" >&2
  exit 1
}

[ -f "$ROOT_DIR/build/agent.wasm" ] || fail "build/agent.wasm is missing: run npm run build:agent first"
for tool in arm-none-eabi-gcc qemu-system-arm python3 wat2wasm; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm wabt)"
done

build() { # build <output dir> <make arguments...>
  out=$1
  shift
  mkdir -p "$out"
  if ! make -C "$BOARD_DIR" -j2 "$@" >"$out/build.log" 2>&1; then
    tail -n 30 "$out/build.log" >&2
    fail "firmware build failed (full log: $out/build.log)"
  fi
}
# out_of <runtime>: the firmware's build folder (boards/cortex-m.mk's names); log_of <runtime>:
# the prefix of its console logs.
out_of() { [ "$1" = wasm3 ] && echo "$OUT" || echo "$OUT-$1"; }
log_of() { [ "$1" = wasm3 ] && echo "" || echo "$1-"; }
build "$OUT/images" images
wat2wasm "$ROOT_DIR/tests/node/fixtures/trapping-agent.wat" -o "$TRAPPING_AGENT"
for runtime in $RUNTIMES; do
  fw=$(out_of "$runtime")
  build "$fw" RUNTIME="$runtime"
  build "$fw-native" RUNTIME="$runtime" NATIVE_SHA256=1
  build "$fw-trapping" RUNTIME="$runtime" OUT="$fw-trapping" AGENT_WASM="$TRAPPING_AGENT"
done

# run_firmware <firmware.elf> <log> <mode> [args]: semihosting paths are relative to $RUN.
run_firmware() {
  elf=$1
  log=$2
  shift 2
  args=""
  for word in "$@"; do args="$args,arg=$word"; done
  set +e
  (cd "$RUN" && timeout "$QEMU_TIMEOUT" qemu-system-arm -M mps2-an386 -nographic -monitor none \
    -serial none -icount shift=0 -semihosting-config "enable=on,target=native,arg=firmware.elf$args" \
    -kernel "$elf") >"$RUN/$log" 2>&1
  status=$?
  set -e
  return $status
}

rm -rf "$RUN"
mkdir -p "$RUN"
# Slot A at power-on holds the factory firmware: this firmware's own flash image (text, data).
arm-none-eabi-objcopy -O binary -j .text -j .ARM.exidx -j .data "$OUT/firmware.elf" "$RUN/factory-1.0.0.bin"
python3 - "$RUN" "$IMAGE_BYTES" "$NEW_VERSION" <<'PY'
import hashlib, json, random, sys
run, size, version = sys.argv[1], int(sys.argv[2]), sys.argv[3]
image = random.Random(20240607).randbytes(size)  # fixed seed: the same bytes every run
name = f"image-{version}.bin"
open(f"{run}/{name}", "wb").write(image)
config = {"version": version, "name": "qemu-mps2-an386 firmware", "type": "FILE",
          "payload": f"http://semihost/{name}", "sha256": hashlib.sha256(image).hexdigest(), "size": size}
open(f"{run}/config_otau.json", "w").write(json.dumps(config))
PY

result=0
check() { # check <description> <firmware.elf> <log> <mode> [args]
  name=$1
  shift
  if run_firmware "$@"; then
    echo "bringup: $name: ok"
  else
    echo "bringup: $name: FAILED (exit $?); console:" >&2
    sed 's/^/  | /' "$RUN/$2" >&2
    result=1
  fi
}
# The update must also end by reporting the new version as installed.
check_installed() { # check_installed <log>
  last_report=$(grep '^report 0: ' "$RUN/$1" | tail -n 1 || true)
  case "$last_report" in
    *'"version":"'"$NEW_VERSION"'","status":"INSTALLED_VERSION"'*) ;;
    *)
      echo "bringup: $1: the last otau_in status is not INSTALLED_VERSION $NEW_VERSION: $last_report" >&2
      result=1
      ;;
  esac
}

update_args="update config_otau.json image-$NEW_VERSION.bin factory-1.0.0.bin"
check "flash driver self-test" "$OUT/firmware.elf" selftest.log selftest
for runtime in $RUNTIMES; do
  fw=$(out_of "$runtime")
  prefix=$(log_of "$runtime")
  check "$runtime: smoke test (agent SHA-256 of known vectors)" "$fw/firmware.elf" "${prefix}smoke.log" smoke
  check "$runtime: update 1.0.0 -> $NEW_VERSION ($IMAGE_BYTES-byte image)" "$fw/firmware.elf" "${prefix}update.log" $update_args
  check_installed "${prefix}update.log"
  check "$runtime: smoke test with the native SHA-256 and Ed25519 imports" "$fw-native/firmware.elf" "${prefix}smoke-native.log" smoke
  check "$runtime: update with the native SHA-256 and Ed25519 imports" "$fw-native/firmware.elf" "${prefix}update-native.log" $update_args
  check_installed "${prefix}update-native.log"
  # An agent that traps on every config: started again each time, until the board gives up.
  trapping_log="${prefix}trapping.log"
  if run_firmware "$fw-trapping/firmware.elf" "$trapping_log" $update_args; then
    echo "bringup: $runtime: the trapping agent's update ended with exit 0" >&2
    result=1
  elif [ "$(grep -c '^board: restarting the agent after a trap$' "$RUN/$trapping_log")" -eq 3 ] &&
    [ "$(grep -c '"message":"trapping agent booted"' "$RUN/$trapping_log")" -eq 4 ]; then
    echo "bringup: $runtime: an agent trapping on the config is restarted and booted again: ok"
  else
    echo "bringup: $runtime: the trapping agent was not restarted 3 times and booted 4 times; console:" >&2
    sed 's/^/  | /' "$RUN/$trapping_log" >&2
    result=1
  fi
done

# The device's images: the bootloader at 0x0 hands over to app-1.0.0-A in the PSRAM slot of a
# flash file. The first boot has no record (the application's agent writes one); the second
# verifies slot A's digest first, as every later boot does. No bridge: each run ends once the
# agent has reported, the application's first line long printed.
IMAGES="$OUT/images"
python3 - "$RUN/device.nor" "$IMAGES/app-1.0.0-A.bin" <<'PY'
import sys
part = bytearray(b"\xff" * (16 << 20))  # erased, then the factory image in slot A (flash_layout.h)
image = open(sys.argv[2], "rb").read()
part[0x40000:0x40000 + len(image)] = image
open(sys.argv[1], "wb").write(part)
PY
boot_device() { # boot_device <log> [flash file]: one QEMU run until the agent's first report
  qemu-system-arm -M mps2-an386,memory-backend=nor \
    -object memory-backend-file,id=nor,size=16M,mem-path="$RUN/${2:-device.nor}",share=on \
    -nographic -monitor none -serial none -icount shift=0 -semihosting-config enable=on,target=native \
    -kernel "$IMAGES/bootloader.elf" >"$RUN/$1" 2>&1 &
  qemu=$!
  waited=0
  until grep -q '^report 0: ' "$RUN/$1" || [ $waited -ge $((QEMU_TIMEOUT * 10)) ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  kill $qemu 2>/dev/null || true
  wait $qemu 2>/dev/null || true
  if grep -q '^app 1.0.0 running from slot A$' "$RUN/$1"; then
    echo "bringup: bootloader image hands over to app-1.0.0-A ($1): ok"
  else
    echo "bringup: the bootloader did not start app 1.0.0 from slot A; console:" >&2
    sed 's/^/  | /' "$RUN/$1" >&2
    result=1
  fi
}
boot_device first-boot.log
boot_device second-boot.log

# Secure boot: the same application signed by a key imgtool makes, that key provisioned in the
# trust store (area 3: one committed copy, docs/boot-record.md "Trust store"); the bootloader
# verifies the signature before it starts slot A, at every boot.
IMGTOOL="$ROOT_DIR/.venv/bin/imgtool"
"$IMGTOOL" keygen -k "$RUN/vendor.pem" -t ed25519
"$IMGTOOL" getpub -k "$RUN/vendor.pem" -e pem >"$RUN/vendor.pub.pem"
"$IMGTOOL" sign --header-size 0x200 --pad-header --align 4 --version 1.0.0 --slot-size 0x40000 \
  --rom-fixed 0x21040000 -k "$RUN/vendor.pem" "$IMAGES/app-1.0.0-A.body.bin" "$RUN/app-1.0.0-A.signed.bin" >/dev/null
python3 - "$RUN/device-signed.nor" "$RUN/app-1.0.0-A.signed.bin" "$RUN/vendor.pub.pem" <<'PY'
import base64, struct, sys, zlib
part = bytearray(b"\xff" * (16 << 20))
image = open(sys.argv[2], "rb").read()
part[0x40000:0x40000 + len(image)] = image
der = base64.b64decode("".join(l for l in open(sys.argv[3]) if not l.startswith("-----")))
key = der[-32:]  # SubjectPublicKeyInfo of an Ed25519 key: the raw key is its last 32 bytes
store = struct.pack("<IBBHIII", 0x4B41544F, 1, 1, 0, 1, 0, 0) + key + bytes(96)
crc = zlib.crc32(store)
store += struct.pack("<I", crc) + struct.pack("<II", 0x434B544F, crc)
part[0xC0000:0xC0000 + len(store)] = store
open(sys.argv[1], "wb").write(part)
PY
boot_device signed-first-boot.log device-signed.nor
boot_device signed-second-boot.log device-signed.nor
grep -q '^image check: slot A signature verified$' "$RUN/signed-second-boot.log" ||
  { echo "bringup: the bootloader did not verify the signed image's signature" >&2; result=1; }

# ---- Report.
measure() { # measure <log> <name>: the value of the last "measure <name> <value>" line, or ?
  awk -v key="$2" '$1 == "measure" && $2 == key { value = $3 } END { print (value == "" ? "?" : value) }' "$RUN/$1"
}
section() { # section <elf> <name>: the section's size (0 when the image has none)
  arm-none-eabi-size -A "$1" | awk -v name="$2" '$1 == name { size = $2 } END { print size + 0 }'
}
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
per_byte() { awk -v n="$1" -v d="$2" 'BEGIN { if (n == "?" || d == "?" || d == 0) print "?"; else printf "%.0f", n / d }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "?" || b == "?" || b == 0) print "?"; else printf "%.1fx", a / b }'; }
verdict() { case "$1" in '' | *[!0-9]*) echo "not measured" ;; *) [ "$1" -le "$2" ] && echo "within" || echo "OVER" ;; esac; }

flash_parts() { # flash_parts <firmware.map>: flash by component, from the input sections of .text
  awk '
    /^\.text/ { inside = 1; next }
    /^\.ARM\.exidx/ { inside = 0 }
    !inside { next }
    /^ \.[^ ]+$/ { pending = 1; next }
    pending && NF == 3 { add($2, $3); pending = 0; next }
    /^ \./ && NF == 4 { add($3, $4); pending = 0; next }
    { pending = 0 }
    function hex(text,   i, value) {
      value = 0
      for (i = 3; i <= length(text); i++) value = value * 16 + index("0123456789abcdef", tolower(substr(text, i, 1))) - 1
      return value
    }
    function add(size, file,   part) {
      part = file ~ /agent_wasm\.o$/ ? "agent.wasm (const data)" : \
             file ~ /\/aot\/agent_translated/ ? "agent translated by wasm2c (code + data segments)" : \
             file ~ /\/wasm3\// ? "wasm3" : \
             file ~ /\/host\/core\// ? "host core (runtime, imports)" : \
             file ~ /\/host\/cortexm\// ? "Cortex-M run-time (heap, stack, text, NOR rules)" : \
             file ~ /\/host\/boot\// ? "bootloader decision + SHA-256" : \
             file ~ /\/board\// ? "board (startup, flash, transport, main)" : "C library (newlib-nano)"
      bytes[part] += hex(size)
    }
    END { for (part in bytes) if (bytes[part] > 0) printf "    %-50s %7d\n", part, bytes[part] }
  ' "$1" | sort -k1,1
}

echo
echo "== qemu-mps2-an386 bring-up report (agent.wasm $(wc -c <"$ROOT_DIR/build/agent.wasm") bytes) =="
# One line per runtime in a fixed form (scripts read it), the breakdown beneath.
for runtime in $RUNTIMES; do
  fw=$(out_of "$runtime")
  prefix=$(log_of "$runtime")
  text=$(( $(section "$fw/firmware.elf" .text) + $(section "$fw/firmware.elf" .ARM.exidx) ))
  data=$(section "$fw/firmware.elf" .data)
  bss=$(section "$fw/firmware.elf" .bss)
  native_text=$(( $(section "$fw-native/firmware.elf" .text) + $(section "$fw-native/firmware.elf" .ARM.exidx) ))
  heap_high=$(measure "${prefix}update.log" update_heap_high_water)
  stack_high=$(measure "${prefix}update.log" update_stack_high_water)
  flash_total=$((text + data))
  ram_total=$((data + bss + heap_high + stack_high))
  memory_limit=$(measure "${prefix}update.log" agent_memory_limit)
  echo "firmware ($runtime): flash $flash_total bytes, RAM high-water $ram_total bytes"
  if [ "$runtime" = wasm3 ]; then flash_target=98304; ram_target=131072; else flash_target=81920; ram_target=32768; fi
  echo "  flash $(kib "$flash_total") (target $(kib "$flash_target"): $(verdict "$flash_total" "$flash_target")): text $text, data $data"
  flash_parts "$fw/firmware.map"
  echo "    with the native SHA-256 and Ed25519 imports (the bootloader's verifier): text $native_text ($((native_text - text)) bytes more)"
  echo "  RAM $(kib "$ram_total") (target $(kib "$ram_target"): $(verdict "$ram_total" "$ram_target")): data $data + bss $bss + heap $heap_high + stack $stack_high"
  if [ "$runtime" = wasm3 ]; then
    runtime_heap=$(measure "${prefix}smoke.log" agent_runtime_heap) # the first start, on an empty heap
    value_stack=$(measure "${prefix}update.log" agent_stack_size)
    echo "    heap (of $(measure "${prefix}update.log" heap_size) granted): wasm3 runtime $runtime_heap = agent linear memory $memory_limit (its memory limit) + value stack $value_stack + parsed module and compiled code $((runtime_heap - memory_limit - value_stack))"
  else
    echo "    heap (of $(measure "${prefix}update.log" heap_size) granted): agent linear memory $memory_limit (its memory limit) + module instance (globals, table) and the core's state $((heap_high - memory_limit))"
  fi
  echo "    stack (of $(measure "${prefix}update.log" stack_size) granted), painted at reset"
done

echo "instructions per byte (qemu -icount shift=0, SysTick x 40); plain C SHA-256 $(measure smoke.log native_sha256_instructions_per_byte), native C hash-and-copy (boot_sha256.c + memcpy) $(per_byte "$(measure update.log native_hash_copy_instructions)" "$(measure update.log image_bytes)"):"
for runtime in $RUNTIMES; do
  prefix=$(log_of "$runtime")
  image_bytes=$(measure "${prefix}update.log" image_bytes)
  native_copy=$(per_byte "$(measure "${prefix}update.log" native_hash_copy_instructions)" "$image_bytes")
  transfer=$(per_byte "$(measure "${prefix}update.log" transfer_instructions)" "$image_bytes")
  transfer_native=$(per_byte "$(measure "${prefix}update-native.log" transfer_instructions)" "$image_bytes")
  whole=$(per_byte "$(measure "${prefix}update.log" update_instructions)" "$image_bytes")
  whole_native=$(per_byte "$(measure "${prefix}update-native.log" update_instructions)" "$image_bytes")
  echo "  $runtime:"
  echo "    SHA-256 through the agent's sha256_* exports: AssemblyScript $(measure "${prefix}smoke.log" agent_sha256_instructions_per_byte), native import $(measure "${prefix}smoke-native.log" agent_sha256_instructions_per_byte)"
  echo "    one Ed25519 verification (ed25519_verify, RFC 8032 TEST SHA(abc)): AssemblyScript $(measure "${prefix}smoke.log" agent_ed25519_instructions) instructions, native import (the bootloader's verifier) $(measure "${prefix}smoke-native.log" agent_ed25519_instructions)"
  echo "    update transfer ($image_bytes bytes: receive, write, read back, hash, verify): AssemblyScript $transfer ($(ratio "$transfer" "$native_copy") the native reference), native import $transfer_native ($(ratio "$transfer_native" "$native_copy"))"
  echo "    whole update per image byte (two boots with agent start-up, factory record over the $(measure "${prefix}update.log" factory_image_bytes)-byte factory image, bootloader checks): AssemblyScript $whole, native import $whole_native"
  echo "    agent start-up: $(measure "${prefix}update.log" agent_start_instructions) instructions"
done
boot_text=$(( $(section "$IMAGES/bootloader.elf" .text) + $(section "$IMAGES/bootloader.elf" .ARM.exidx) ))
boot_data=$(section "$IMAGES/bootloader.elf" .data)
boot_bss=$(section "$IMAGES/bootloader.elf" .bss)
boot_stack=$(measure second-boot.log bootloader_stack_high_water)
app_data=$(section "$IMAGES/app-1.0.0-A.elf" .data)
app_bss=$(section "$IMAGES/app-1.0.0-A.elf" .bss)
echo "device images (make images):"
echo "  bootloader.elf: flash $((boot_text + boot_data)) bytes ($(kib $((boot_text + boot_data)))); RAM $((boot_data + boot_bss + boot_stack)) bytes: data $boot_data + bss $boot_bss + stack high-water $boot_stack (no heap)"
echo "  app-1.0.0-A.bin: $(wc -c <"$IMAGES/app-1.0.0-A.bin") bytes in its slot; RAM: data $app_data + bss $app_bss + the agent's heap and stack as above (it hashes with the native SHA-256 import)"
first_total=$(( $(measure first-boot.log bootloader_instructions) + $(measure first-boot.log app_first_line_instructions) ))
second_total=$(( $(measure second-boot.log bootloader_instructions) + $(measure second-boot.log app_first_line_instructions) ))
echo "  reset to the application's first line: $first_total instructions on the first boot (no record yet), $second_total once the bootloader verifies the slot's digest ($(awk -v n="$second_total" 'BEGIN { printf "%.0f", n / 25000 }') ms at 25 MHz and one instruction per cycle)"
signed_total=$(( $(measure signed-second-boot.log bootloader_instructions) + $(measure signed-second-boot.log app_first_line_instructions) ))
echo "  with a key in the trust store (the image signed, its hash and signature checked at every boot): $signed_total instructions ($(awk -v n="$signed_total" 'BEGIN { printf "%.0f", n / 25000 }') ms), $((signed_total - second_total)) more than the unsigned image's check"
exit $result
