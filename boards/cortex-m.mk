# What every Cortex-M board builds the same way: wasm3 in its small configuration (or the agent
# translated ahead of time, RUNTIME=aot), the host core, the Cortex-M run-time and text formatter (snprintf/vsnprintf without newlib's stdio),
# the NOR rules of a memory-mapped flash part, the bootloader's decision, and
# build/agent.wasm as const data.
# A board's Makefile sets the variables below and includes this file:
#
#   BOARD          folder name; output goes to build/boards/$(BOARD)/
#   ARCH           -mcpu/-mthumb/-mfloat-abi flags
#   LINKER_SCRIPT  the board's .ld file
#   SPECS          newlib specs: nano (plus nosys where a board still links newlib's stdio)
#   BOARD_SOURCES  the board's .c files
#   HEAP_SIZE, STACK_SIZE   bytes, passed to the linker script
#
# `make NATIVE_SHA256=1` answers the agent's sha256_native import with the bootloader's C
# SHA-256 (docs/abi.md "Accelerators"), into build/boards/$(BOARD)-native/, and its
# ed25519_native import with the bootloader's verifier (NATIVE_ED25519, which follows
# NATIVE_SHA256 unless set: build/boot_verifier.wasm translated by wasm2c, the objects
# BOOT_VERIFIER_OBJECTS that a board's bootloader links too).
# `make RUNTIME=aot` runs the agent translated ahead of time instead of under wasm3:
# $(AGENT_WASM) goes through wasm2c at build time (scripts/wasm2c-agent.sh) and is compiled in
# with host/core/agent_runtime_aot.c and its runtime wasm_rt_mcu.c, into
# build/boards/$(BOARD)-aot[-native]/. AOT_CALL_DEPTH bounds the agent's call depth (its calls
# run on the main stack).

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
NATIVE_SHA256 ?= 0
NATIVE_ED25519 ?= $(NATIVE_SHA256)
RUNTIME ?= wasm3
AOT_CALL_DEPTH ?= 32
# Entries of the translated agent's function table (wasm_rt_mcu.c; the agent has 22; a module
# with more fails to start).
AOT_TABLE_ELEMENTS ?= 24
ifeq ($(RUNTIME),aot)
  RUNTIME_SUFFIX := -aot
else ifeq ($(RUNTIME),wasm3)
  RUNTIME_SUFFIX :=
else
  $(error RUNTIME must be wasm3 or aot, not $(RUNTIME))
endif
ifeq ($(NATIVE_SHA256),1)
  OUT := $(ROOT)/build/boards/$(BOARD)$(RUNTIME_SUFFIX)-native
  SHA256_SOURCE := $(ROOT)/host/core/agent_sha256_native.c
else
  OUT := $(ROOT)/build/boards/$(BOARD)$(RUNTIME_SUFFIX)
  SHA256_SOURCE := $(ROOT)/host/core/agent_sha256_absent.c
endif
ifeq ($(NATIVE_ED25519),1)
  ED25519_SOURCE := $(ROOT)/host/core/agent_ed25519_native.c
else
  ED25519_SOURCE := $(ROOT)/host/core/agent_ed25519_absent.c
endif
AGENT_WASM := $(ROOT)/build/agent.wasm
WASM3_DIR := $(ROOT)/third_party/wasm3
WASM3_SOURCES := $(wildcard $(WASM3_DIR)/m3_*.c)
AOT_DIR := $(OUT)/aot

CC := arm-none-eabi-gcc
SIZE := arm-none-eabi-size
# wasm3's small configuration (docs/toolchain.md "wasm3 v0.5.0"): no float ops (the agent has none),
# terse errors, a short compile stack, small code pages.
WASM3_CONFIG := -Dd_m3HasFloat=0 -Dd_m3VerboseErrorMessages=0 -Dd_m3MaxFunctionStackHeight=128 \
  -Dd_m3CodePageAlignSize=1024 -Dd_m3MaxConstantTableSize=32
# -MMD -MP: each object's .d file lists the headers it included, so that a change to any of
# them (the board's, host/'s or wasm3's) rebuilds it.
CFLAGS := $(ARCH) -Os -g -std=gnu11 -ffunction-sections -fdata-sections $(WASM3_CONFIG) \
  -I. -I$(ROOT)/host/include -I$(ROOT)/host/core -I$(ROOT)/host/cortexm -I$(ROOT)/host/boot \
  -isystem $(WASM3_DIR) -MMD -MP
# AGENT_MEMORY_LIMIT (bytes), when set, replaces the board's default linear memory for the agent.
ifneq ($(AGENT_MEMORY_LIMIT),)
  CFLAGS += -DAGENT_MEMORY_LIMIT=$(AGENT_MEMORY_LIMIT)u
endif
# The translated agent: explicit bounds checks, a bounded call depth, wasm2c's wasm-rt.h (copied
# beside its output), no assert() (newlib's would pull in stdio).
ifeq ($(RUNTIME),aot)
  CFLAGS += -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0 -DWASM_RT_MAX_CALL_STACK_DEPTH=$(AOT_CALL_DEPTH) \
    -DWASM_RT_MCU_TABLE_ELEMENTS=$(AOT_TABLE_ELEMENTS)u \
    -DNDEBUG -isystem $(AOT_DIR)
endif
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes
LDFLAGS := $(ARCH) -nostartfiles $(SPECS) -Wl,--gc-sections -T $(LINKER_SCRIPT) \
  -Wl,--defsym=HEAP_SIZE=$(HEAP_SIZE) -Wl,--defsym=STACK_SIZE=$(STACK_SIZE) \
  -Wl,-Map=$(OUT)/firmware.map

HOST_SOURCES := $(addprefix $(ROOT)/host/core/,agent_core.c agent_imports.c agent_exports.c agent_export_calls.c) \
  $(SHA256_SOURCE) $(ED25519_SOURCE) \
  $(addprefix $(ROOT)/host/cortexm/,cortexm_runtime.c cortexm_format.c mapped_nor.c) \
  $(addprefix $(ROOT)/host/boot/,boot_decision.c boot_record.c boot_sha256.c boot_crc32.c \
    boot_status.c boot_flash_hal.c boot_image_text.c)
ifeq ($(RUNTIME),aot)
  HOST_SOURCES += $(addprefix $(ROOT)/host/core/,agent_runtime_aot.c agent_imports_aot.c wasm_rt_mcu.c)
  RUNTIME_OBJECTS := $(AOT_DIR)/agent_translated.o $(AOT_DIR)/agent_translated_exports.o
else
  HOST_SOURCES += $(addprefix $(ROOT)/host/core/,agent_runtime_wasm3.c agent_imports_wasm3.c)
  RUNTIME_OBJECTS := $(patsubst $(WASM3_DIR)/%.c,$(OUT)/wasm3/%.o,$(WASM3_SOURCES))
endif

# The bootloader's image check and Ed25519 verifier (host/boot/boot_image_check.c):
# build/boot_verifier.wasm translated by wasm2c at build time (scripts/wasm2c-boot-verifier.sh; a
# build output), on wasm2c's runtime for microcontrollers (wasm_rt_mcu.c, already among the aot
# build's objects). A board's bootloader links BOOT_VERIFIER_OBJECTS, and so does its firmware
# with NATIVE_ED25519=1.
BOOT_VERIFIER_WASM := $(ROOT)/build/boot_verifier.wasm
BOOT_VERIFIER_DIR := $(OUT)/boot-verifier
BOOT_VERIFIER_OBJECTS := $(OUT)/host/boot/boot_image_check.o $(BOOT_VERIFIER_DIR)/boot_verifier_translated.o \
  $(if $(filter aot,$(RUNTIME)),,$(OUT)/host/core/wasm_rt_mcu.o)
OBJECTS := $(BOARD_SOURCES:%.c=$(OUT)/board/%.o) \
  $(patsubst $(ROOT)/host/%.c,$(OUT)/host/%.o,$(HOST_SOURCES)) \
  $(RUNTIME_OBJECTS) $(OUT)/agent_wasm.o $(if $(filter 1,$(NATIVE_ED25519)),$(BOOT_VERIFIER_OBJECTS))

all: $(OUT)/firmware.elf

$(OUT)/firmware.elf: $(OBJECTS) $(LINKER_SCRIPT) Makefile $(ROOT)/boards/cortex-m.mk
	$(CC) $(LDFLAGS) -o $@ $(OBJECTS)
	$(SIZE) $@

# Objects also depend on this file and the board's Makefile: the flags are set there.
$(OUT)/board/%.o: %.c Makefile $(ROOT)/boards/cortex-m.mk
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARNINGS) -c $< -o $@

$(OUT)/host/%.o: $(ROOT)/host/%.c Makefile $(ROOT)/boards/cortex-m.mk
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARNINGS) -c $< -o $@

# The translation, made again when the agent changes. The runtime's objects include wasm-rt.h
# from it, so they wait for it too.
# One run makes both files (`&:`, a grouped target): with two rules, make -j2 could run the
# script a second time, rewriting agent_translated.c while it was being compiled.
$(AOT_DIR)/agent_translated.c $(AOT_DIR)/agent_translated_exports.c &: $(AGENT_WASM) $(ROOT)/scripts/wasm2c-agent.sh
	sh $(ROOT)/scripts/wasm2c-agent.sh $(AGENT_WASM) $(AOT_DIR)
$(addprefix $(OUT)/host/core/,agent_runtime_aot.o agent_imports_aot.o wasm_rt_mcu.o): $(AOT_DIR)/agent_translated.c

# Generated code, built as is: its warnings cannot fail the build.
$(AOT_DIR)/%.o: $(AOT_DIR)/%.c Makefile $(ROOT)/boards/cortex-m.mk
	$(CC) $(CFLAGS) -I$(ROOT)/host/core -w -c $< -o $@

# Third-party code, built as is: its warnings cannot fail the build. -fwrapv: wasm3 v0.5.0's
# wrapping integer arithmetic uses C's signed operators (docs/toolchain.md "wasm3 v0.5.0").
$(OUT)/wasm3/%.o: $(WASM3_DIR)/%.c Makefile $(ROOT)/boards/cortex-m.mk
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -w -fwrapv -c $< -o $@

# The agent as const data in flash: wasm3 parses it in place. The translated agent needs no
# module bytes: agent_wasm_start = agent_wasm_end, which the AOT runtime takes as none given.
ifeq ($(RUNTIME),aot)
AGENT_INCBIN :=
else
AGENT_INCBIN := \t.incbin "$(AGENT_WASM)"\n
endif
$(OUT)/agent_wasm.S: $(AGENT_WASM) Makefile
	@mkdir -p $(dir $@)
	printf '\t.section .rodata.agent_wasm,"a"\n\t.balign 4\n\t.global agent_wasm_start\n\t.global agent_wasm_end\nagent_wasm_start:\n$(AGENT_INCBIN)agent_wasm_end:\n' > $@

$(OUT)/agent_wasm.o: $(OUT)/agent_wasm.S
	$(CC) $(ARCH) -c $< -o $@

$(BOOT_VERIFIER_DIR)/boot_verifier_translated.c: $(BOOT_VERIFIER_WASM) $(ROOT)/scripts/wasm2c-boot-verifier.sh
	sh $(ROOT)/scripts/wasm2c-boot-verifier.sh $(BOOT_VERIFIER_WASM) $(BOOT_VERIFIER_DIR)
$(BOOT_VERIFIER_OBJECTS) $(OUT)/host/core/agent_ed25519_native.o: $(BOOT_VERIFIER_DIR)/boot_verifier_translated.c
# Bounds checked on every access, a bounded call depth (the verifier's deepest chain is ~10
# calls), no assert() (newlib's would pull in stdio); wasm-rt.h beside the translation.
$(BOOT_VERIFIER_OBJECTS): CFLAGS += -isystem $(BOOT_VERIFIER_DIR) $(if $(filter aot,$(RUNTIME)),,\
  -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0 -DWASM_RT_MAX_CALL_STACK_DEPTH=32 -DNDEBUG)
# Generated code, built as is: its warnings cannot fail the build.
$(BOOT_VERIFIER_DIR)/boot_verifier_translated.o: $(BOOT_VERIFIER_DIR)/boot_verifier_translated.c Makefile $(ROOT)/boards/cortex-m.mk
	$(CC) $(CFLAGS) -w -c $< -o $@

-include $(OBJECTS:.o=.d)

clean:
	rm -rf $(OUT)

.PHONY: all clean
