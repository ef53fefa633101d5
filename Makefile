# brig — build, test, demo, install.
#
#   make            build build/brig (gcc by default; CC=clang works too)
#   make check      install missing Debian packages, build an ASan+UBSan
#                   variant and run every test (unit, golden, integration,
#                   a short fuzz run); ends with "N passed, N failed"
#   make demo       the seed's setup, end to end, in a throwaway sandbox
#   make fuzz       the config, state-file and image fuzzers for FUZZ_SECONDS
#                   (default 600) each
#   make bench      the benchmarks under bench/
#   make docs       the parameter lists of the man pages and doc/ from the
#                   parameter table (make check fails when they differ)
#   make install    PREFIX=/usr/local DESTDIR=  (brig, jail/jls/jexec/rctl/brig-oci, man
#                   pages, systemd units, completions, /etc/brig examples)
#   make uninstall  the same PREFIX and DESTDIR: removes exactly those
#   make deb        the Debian package, in $(BUILD)/deb/

CC      ?= gcc
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build

PKGS    := libmnl libnftables libarchive libseccomp libcap libbpf jansson libfyaml
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Every brig command is a short-lived process, and on a VM each shared
# library costs page faults and TLB flushes at start-up (a dozen of them
# made `brig --help` 3.5x slower than /bin/true). So: libnftables, with
# libnftnl, libxtables, libjansson and libgmp behind it, is dlopen()ed by
# sys/nft.c when a command first needs it; libseccomp runs at build time
# only (src/gen/seccomp.c); everything that ships a static archive in
# Debian is linked in (libarchive with only the filters brig uses: no
# libxml2, ICU or libstdc++); libmnl and libc stay shared (Debian has no
# libmnl.a); so is libjansson, which reads the jail state files
# (core/state_json.c). --gc-sections drops the table of every writer format (xar
# needs libxml2) that libarchive's pax writer object carries. libbpf (for
# the cgroup v2 device program, sys/devices.c) is linked in too, with the
# libelf its object needs.
# LINK_SHARED: libraries of that static group to take from the system
# instead (the Debian package: -lz -lbz2, which lintian will not see
# embedded).
STATIC_LIBS := libcap libarchive libbpf jansson libfyaml libseccomp
LINK_SHARED ?=
PKG_LIBS   := $(shell pkg-config --libs libmnl 2>/dev/null) \
	-Wl,--gc-sections -Wl,-Bstatic \
	$(filter-out -lxml2 $(LINK_SHARED),$(shell pkg-config --libs --static $(STATIC_LIBS) 2>/dev/null)) \
	-Wl,-Bdynamic $(LINK_SHARED)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wformat-nonliteral -Wswitch-default -Wimplicit-fallthrough \
	-Wimplicit-function-declaration -Wpointer-arith -Wvla -Wundef \
	-Wno-unused-parameter
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c17 -D_GNU_SOURCE -Isrc $(WARN) $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS) \
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

.PHONY: all check demo fuzz bench install uninstall manifest deb clean deps asan docs
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
SECCOMP_BLOB := $(BUILD)/gen/seccomp.bin
$(SECCOMP_GEN): src/gen/seccomp.c src/sys/seccomp.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(shell pkg-config --libs libseccomp 2>/dev/null)
$(SECCOMP_BLOB): $(SECCOMP_GEN)
	@echo "  GEN     $@"
	$(Q)$(SECCOMP_GEN) $@
$(BUILD)/obj/sys/seccomp.o $(BUILD)/asan/obj/sys/seccomp.o: $(SECCOMP_BLOB)
$(BUILD)/obj/sys/seccomp.o $(BUILD)/asan/obj/sys/seccomp.o: ALL_CFLAGS += \
	-DBRIG_SECCOMP_BLOB='"$(SECCOMP_BLOB)"'

$(BUILD)/libbrig.a: $(OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/asan/libbrig.a: $(ASAN_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/brig: $(BUILD)/obj/cli/main.o $(BUILD)/libbrig.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/asan/brig: $(BUILD)/asan/obj/cli/main.o $(BUILD)/asan/libbrig.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/asan/tests/%: tests/unit/%.c $(BUILD)/asan/libbrig.a
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Itests/unit -o $@ $(filter %.c %.a,$^) $(LDLIBS) -lcmocka

# The fuzzer: clang's libFuzzer over the whole configuration engine.
$(BUILD)/fuzz/fuzz_conf: fuzz/fuzz_conf.c $(CONF_SRCS)
	@mkdir -p $(@D)
	clang -std=c17 -D_GNU_SOURCE -Isrc -g -O1 $(SAN_FLAGS) -fsanitize=fuzzer -o $@ $^ \
		$(shell pkg-config --cflags --libs jansson 2>/dev/null)

# The parameter lists of the documentation, generated from the parameter
# table between marker lines (src/gen/params_doc.c): `make docs` rewrites
# them, tests/run.sh checks that they are what the table generates.
PARAMS_DOC := $(BUILD)/asan/gen/params-doc
$(PARAMS_DOC): src/gen/params_doc.c $(BUILD)/asan/libbrig.a
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $< $(BUILD)/asan/libbrig.a $(LDLIBS)

docs: $(PARAMS_DOC)
	$(PARAMS_DOC)

# The state file's reader (core/state*.c), with the util/ it uses.
STATE_SRCS := $(filter src/core/state%,$(LIB_SRCS)) $(CONF_SRCS)
$(BUILD)/fuzz/fuzz_state: fuzz/fuzz_state.c $(STATE_SRCS)
	@mkdir -p $(@D)
	clang -std=c17 -D_GNU_SOURCE -Isrc -g -O1 $(SAN_FLAGS) -fsanitize=fuzzer -o $@ $^ \
		$(shell pkg-config --cflags --libs jansson 2>/dev/null)

# devfs.rules(5) as conf/devfs_rules.c reads it.
$(BUILD)/fuzz/fuzz_devfs: fuzz/fuzz_devfs.c $(CONF_SRCS)
	@mkdir -p $(@D)
	clang -std=c17 -D_GNU_SOURCE -Isrc -g -O1 $(SAN_FLAGS) -fsanitize=fuzzer -o $@ $^ \
		$(shell pkg-config --cflags --libs jansson 2>/dev/null)

# What brig reads of a container image, and the jail.conf lines it writes
# from an image's config (loaded back by the configuration engine).
OCI_SRCS := src/store/oci_json.c src/store/image_conf.c $(CONF_SRCS)
$(BUILD)/fuzz/fuzz_oci: fuzz/fuzz_oci.c $(OCI_SRCS)
	@mkdir -p $(@D)
	clang -std=c17 -D_GNU_SOURCE -Isrc -g -O1 $(SAN_FLAGS) -fsanitize=fuzzer -o $@ $^ \
		$(shell pkg-config --cflags --libs jansson 2>/dev/null)

# An OCI bundle's config.json as brig's jail model (brig-oci create).
OCISPEC_SRCS := src/oci/spec.c src/oci/seccomp.c $(CONF_SRCS)
$(BUILD)/fuzz/fuzz_ocispec: fuzz/fuzz_ocispec.c $(OCISPEC_SRCS)
	@mkdir -p $(@D)
	clang -std=c17 -D_GNU_SOURCE -Isrc -g -O1 $(SAN_FLAGS) -fsanitize=fuzzer -o $@ $^ \
		$(shell pkg-config --cflags --libs jansson libcap libseccomp 2>/dev/null)

# brig compose import's reading of a compose file (libfyaml), and the
# files it writes (loaded back by the configuration engine).
COMPOSE_SRCS := $(filter src/compose/%,$(LIB_SRCS)) $(CONF_SRCS)
$(BUILD)/fuzz/fuzz_compose: fuzz/fuzz_compose.c $(COMPOSE_SRCS)
	@mkdir -p $(@D)
	clang -std=c17 -D_GNU_SOURCE -Isrc -g -O1 $(SAN_FLAGS) -fsanitize=fuzzer -o $@ $^ \
		$(shell pkg-config --cflags --libs jansson libfyaml 2>/dev/null)

asan: $(BUILD)/asan/brig $(UNIT_BINS) $(PARAMS_DOC)

# check also proves the tree builds cleanly with clang (warnings as errors).
check: deps
	@$(MAKE) --no-print-directory asan $(BUILD)/fuzz/fuzz_conf $(BUILD)/fuzz/fuzz_state \
		$(BUILD)/fuzz/fuzz_oci $(BUILD)/fuzz/fuzz_devfs $(BUILD)/fuzz/fuzz_compose $(BUILD)/brig \
		$(BUILD)/fuzz/fuzz_ocispec
	@$(MAKE) --no-print-directory CC=clang BUILD=$(BUILD)/clang $(BUILD)/clang/brig
	@BUILD=$(BUILD) sh tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory $(BUILD)/brig
	@BUILD=$(BUILD) sh examples/demo.sh

FUZZ_SECONDS ?= 600
fuzz: $(BUILD)/fuzz/fuzz_conf $(BUILD)/fuzz/fuzz_state $(BUILD)/fuzz/fuzz_oci $(BUILD)/fuzz/fuzz_devfs \
		$(BUILD)/fuzz/fuzz_compose $(BUILD)/fuzz/fuzz_ocispec
	@mkdir -p $(BUILD)/fuzz/corpus $(BUILD)/fuzz/corpus-state $(BUILD)/fuzz/corpus-oci $(BUILD)/fuzz/corpus-devfs \
		$(BUILD)/fuzz/corpus-compose
	$(BUILD)/fuzz/fuzz_conf -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		-dict=fuzz/jailconf.dict $(BUILD)/fuzz/corpus fuzz/corpus
	$(BUILD)/fuzz/fuzz_state -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		$(BUILD)/fuzz/corpus-state fuzz/corpus-state
	$(BUILD)/fuzz/fuzz_oci -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		$(BUILD)/fuzz/corpus-oci fuzz/corpus-oci
	$(BUILD)/fuzz/fuzz_devfs -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		$(BUILD)/fuzz/corpus-devfs fuzz/corpus-devfs
	$(BUILD)/fuzz/fuzz_compose -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		$(BUILD)/fuzz/corpus-compose fuzz/corpus-compose
	$(BUILD)/fuzz/fuzz_ocispec -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		$(BUILD)/fuzz/corpus-ocispec fuzz/corpus-ocispec

bench: deps
	@$(MAKE) --no-print-directory $(BUILD)/brig
	@rc=0; for b in bench/*.sh; do BUILD=$(BUILD) sh $$b || rc=1; done; exit $$rc

# Where `make install` puts things (DESTDIR is prepended to each).
SBINDIR     ?= $(PREFIX)/sbin
MANDIR      ?= $(PREFIX)/share/man
UNITDIR     ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
SYSCONFDIR  ?= /etc
FRONTENDS   := jail jls jexec rctl brig-oci
# Every file and link `make install` puts down; `make uninstall` removes
# exactly these (`make manifest` prints them). The commented examples in
# $(SYSCONFDIR)/brig are installed only where no such file is, and removed
# only while unchanged: they are the admin's once edited.
MANIFEST = $(SBINDIR)/brig $(addprefix $(SBINDIR)/,$(FRONTENDS)) \
	$(MANDIR)/man8/brig.8 $(MANDIR)/man5/brig.conf.5 \
	$(patsubst %,$(MANDIR)/man8/%.8,$(FRONTENDS)) \
	$(UNITDIR)/brig.service $(UNITDIR)/brig@.service \
	$(BASHCOMPDIR)/brig $(BASHCOMPDIR)/jexec $(ZSHCOMPDIR)/_brig \
	$(FISHCOMPDIR)/brig.fish $(FISHCOMPDIR)/jexec.fish
CONF_EXAMPLES := jail.conf networks.conf

install: $(BUILD)/brig
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(FISHCOMPDIR) $(DESTDIR)$(SYSCONFDIR)/brig/jail.conf.d
	install -m 0755 $(BUILD)/brig $(DESTDIR)$(SBINDIR)/brig
	for fe in $(FRONTENDS); do ln -sf brig $(DESTDIR)$(SBINDIR)/$$fe; \
		ln -sf brig.8 $(DESTDIR)$(MANDIR)/man8/$$fe.8; done
	install -m 0644 man/brig.8 $(DESTDIR)$(MANDIR)/man8/brig.8
	install -m 0644 man/brig.conf.5 $(DESTDIR)$(MANDIR)/man5/brig.conf.5
	for u in brig.service brig@.service; do \
		sed 's|@SBINDIR@|$(SBINDIR)|g' dist/systemd/$$u.in >$(DESTDIR)$(UNITDIR)/$$u.tmp && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u.tmp && \
		mv $(DESTDIR)$(UNITDIR)/$$u.tmp $(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	install -m 0644 dist/completions/brig.bash $(DESTDIR)$(BASHCOMPDIR)/brig
	ln -sf brig $(DESTDIR)$(BASHCOMPDIR)/jexec
	install -m 0644 dist/completions/_brig $(DESTDIR)$(ZSHCOMPDIR)/_brig
	install -m 0644 dist/completions/brig.fish $(DESTDIR)$(FISHCOMPDIR)/brig.fish
	ln -sf brig.fish $(DESTDIR)$(FISHCOMPDIR)/jexec.fish
	for f in $(CONF_EXAMPLES); do \
		[ -e $(DESTDIR)$(SYSCONFDIR)/brig/$$f ] || \
		install -m 0644 dist/etc/$$f $(DESTDIR)$(SYSCONFDIR)/brig/$$f || exit 1; done

uninstall:
	rm -f $(addprefix $(DESTDIR),$(MANIFEST))
	for f in $(CONF_EXAMPLES); do \
		! cmp -s dist/etc/$$f $(DESTDIR)$(SYSCONFDIR)/brig/$$f || \
		rm -f $(DESTDIR)$(SYSCONFDIR)/brig/$$f; done
	-rmdir $(DESTDIR)$(SYSCONFDIR)/brig/jail.conf.d $(DESTDIR)$(SYSCONFDIR)/brig 2>/dev/null

manifest:
	@for f in $(MANIFEST) $(addprefix $(SYSCONFDIR)/brig/,$(CONF_EXAMPLES)); do echo $$f; done

# The Debian package (debian/), built by dpkg-buildpackage in a copy of
# the tree under $(BUILD)/deb/, so that nothing is written beside the
# checkout; the .deb and lintian's words end up in $(BUILD)/deb/.
DEB_VERSION = $(shell dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null)
DEB_TREE    = $(BUILD)/deb/brig-$(DEB_VERSION)
deb: deps
	rm -rf $(BUILD)/deb
	mkdir -p $(DEB_TREE)
	cp -R Makefile README.md debian dist doc man scripts src $(DEB_TREE)/
	cd $(DEB_TREE) && dpkg-buildpackage -us -uc -b
	lintian --fail-on error $(BUILD)/deb/brig_$(DEB_VERSION)_*.changes >$(BUILD)/deb/lintian.txt 2>&1; \
		rc=$$?; cat $(BUILD)/deb/lintian.txt; exit $$rc
	@ls $(BUILD)/deb/*.deb

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -path '$(BUILD)/deb' -prune -o -name '*.d' -type f -print 2>/dev/null)
