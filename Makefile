# brig — build, test, demo, install.
#
#   make            build build/brig (gcc by default; CC=clang works too)
#   make check      install missing Debian packages, build an ASan+UBSan
#                   variant and run every test (unit, golden, integration,
#                   a short fuzz run); ends with "N passed, N failed"
#   make demo       the seed's setup, end to end, in a throwaway sandbox
#   make fuzz       the config fuzzer for FUZZ_SECONDS (default 600)
#   make bench      the benchmarks under bench/
#   make install    PREFIX=/usr/local DESTDIR=

CC      ?= gcc
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build

PKGS    := libmnl libnftables libarchive libseccomp libcap
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Every brig command is a short-lived process, and on a VM each shared
# library costs page faults and TLB flushes at start-up (a dozen of them
# made `brig --help` 3.5x slower than /bin/true). So: libnftables, with
# libnftnl, libxtables, libjansson and libgmp behind it, is dlopen()ed by
# sys/nft.c when a command first needs it; libseccomp runs at build time
# only (src/gen/seccomp.c); everything that ships a static archive in
# Debian is linked in (libarchive with only the filters brig uses: no
# libxml2, ICU or libstdc++); libmnl and libc stay shared (Debian has no
# libmnl.a). --gc-sections drops the table of every writer format (xar
# needs libxml2) that libarchive's pax writer object carries.
STATIC_LIBS := libcap libarchive
PKG_LIBS   := $(shell pkg-config --libs libmnl 2>/dev/null) \
	-Wl,--gc-sections -Wl,-Bstatic \
	$(filter-out -lxml2,$(shell pkg-config --libs --static $(STATIC_LIBS) 2>/dev/null)) \
	-Wl,-Bdynamic

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wformat-nonliteral -Wswitch-default -Wimplicit-fallthrough \
	-Wimplicit-function-declaration -Wpointer-arith -Wvla -Wundef \
	-Wno-unused-parameter
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c17 -D_GNU_SOURCE -Isrc $(WARN) $(PKG_CFLAGS) $(CFLAGS) \
	-fno-strict-aliasing -fstack-protector-strong -MMD -MP
LDLIBS  := $(PKG_LIBS)

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

Q := $(if $(V),,@)

# src/init and src/gen are programs of their own, built below.
SRCS     := $(sort $(shell find src -name '*.c' -not -path 'src/init/*' -not -path 'src/gen/*'))
MAIN_SRC := src/cli/main.c
LIB_SRCS := $(filter-out $(MAIN_SRC),$(SRCS))
CONF_SRCS := $(filter src/conf/% src/util/%,$(LIB_SRCS))
TEST_SRCS := $(sort $(wildcard tests/unit/test_*.c))

OBJS      = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
ASAN_OBJS = $(patsubst src/%.c,$(BUILD)/asan/obj/%.o,$(LIB_SRCS))
UNIT_BINS = $(patsubst tests/unit/%.c,$(BUILD)/asan/tests/%,$(TEST_SRCS))

.PHONY: all check demo fuzz bench install clean deps asan
all: $(BUILD)/brig

deps:
	@sh scripts/deps.sh

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/asan/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

# The jail's PID 1: a freestanding static program (src/init/init.c says
# why), embedded into brig by sys/initbin.c with .incbin.
INIT_BIN := $(BUILD)/init/brig-init
$(INIT_BIN): src/init/init.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) -std=c17 -Os -static -nostdlib -ffreestanding -fno-stack-protector \
		-fno-asynchronous-unwind-tables -fno-pie $(WARN) -Wl,--gc-sections \
		-Wl,-z,noexecstack -Wl,--build-id=none -s -o $@ $<
$(BUILD)/obj/sys/initbin.o $(BUILD)/asan/obj/sys/initbin.o: $(INIT_BIN)
$(BUILD)/obj/sys/initbin.o $(BUILD)/asan/obj/sys/initbin.o: ALL_CFLAGS += -DBRIG_INIT_BIN='"$(INIT_BIN)"'

# The jail's seccomp filters, compiled by libseccomp at build time and
# embedded by sys/seccomp.c (src/gen/seccomp.c says why).
SECCOMP_GEN := $(BUILD)/gen/seccomp-gen
SECCOMP_BPF := $(BUILD)/gen/seccomp-default.bpf $(BUILD)/gen/seccomp-settime.bpf \
	$(BUILD)/gen/seccomp-userns.bpf
$(SECCOMP_GEN): src/gen/seccomp.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(shell pkg-config --libs libseccomp 2>/dev/null)
$(SECCOMP_BPF) &: $(SECCOMP_GEN)
	@echo "  GEN     $(SECCOMP_BPF)"
	$(Q)$(SECCOMP_GEN) $(SECCOMP_BPF)
$(BUILD)/obj/sys/seccomp.o $(BUILD)/asan/obj/sys/seccomp.o: $(SECCOMP_BPF)
$(BUILD)/obj/sys/seccomp.o $(BUILD)/asan/obj/sys/seccomp.o: ALL_CFLAGS += \
	-DBRIG_SECCOMP_DEFAULT='"$(word 1,$(SECCOMP_BPF))"' -DBRIG_SECCOMP_SETTIME='"$(word 2,$(SECCOMP_BPF))"' \
	-DBRIG_SECCOMP_USERNS='"$(word 3,$(SECCOMP_BPF))"'

$(BUILD)/libbrig.a: $(OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/asan/libbrig.a: $(ASAN_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/brig: $(BUILD)/obj/cli/main.o $(BUILD)/libbrig.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/asan/brig: $(BUILD)/asan/obj/cli/main.o $(BUILD)/asan/libbrig.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/asan/tests/%: tests/unit/%.c $(BUILD)/asan/libbrig.a
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Itests/unit -o $@ $^ $(LDLIBS) -lcmocka

# The fuzzer: clang's libFuzzer over the whole configuration engine.
$(BUILD)/fuzz/fuzz_conf: fuzz/fuzz_conf.c $(CONF_SRCS)
	@mkdir -p $(@D)
	clang -std=c17 -D_GNU_SOURCE -Isrc -g -O1 $(SAN_FLAGS) -fsanitize=fuzzer -o $@ $^

asan: $(BUILD)/asan/brig $(UNIT_BINS)

# check also proves the tree builds cleanly with clang (warnings as errors).
check: deps
	@$(MAKE) --no-print-directory asan $(BUILD)/fuzz/fuzz_conf $(BUILD)/brig
	@$(MAKE) --no-print-directory CC=clang BUILD=$(BUILD)/clang $(BUILD)/clang/brig
	@BUILD=$(BUILD) sh tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory $(BUILD)/brig
	@BUILD=$(BUILD) sh examples/demo.sh

FUZZ_SECONDS ?= 600
fuzz: $(BUILD)/fuzz/fuzz_conf
	@mkdir -p $(BUILD)/fuzz/corpus
	$(BUILD)/fuzz/fuzz_conf -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		-dict=fuzz/jailconf.dict $(BUILD)/fuzz/corpus fuzz/corpus

bench: deps
	@$(MAKE) --no-print-directory $(BUILD)/brig
	@for b in bench/*.sh; do BUILD=$(BUILD) sh $$b || exit 1; done

install: $(BUILD)/brig
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)$(PREFIX)/share/man/man5
	install -m 0755 $(BUILD)/brig $(DESTDIR)$(PREFIX)/sbin/brig
	for fe in jail jls jexec; do ln -sf brig $(DESTDIR)$(PREFIX)/sbin/$$fe; done
	install -m 0644 man/brig.8 $(DESTDIR)$(PREFIX)/share/man/man8/brig.8
	install -m 0644 man/brig.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/brig.conf.5

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
