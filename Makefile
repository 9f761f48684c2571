# memaudit: audits C/C++ code for memory-safety, concurrency and performance defects.
#
#   make deps     install the Debian packages (and npm tools) that are missing
#   make          build build/memaudit
#   make check    build and run every test (runs deps first): test-unit, then test-sarif
#   make test-unit     the Criterion tests (module, command-line and reporter tests)
#   make test-cli      only the command-line tests (tests/unit/test_cli*.c)
#   make test-sarif    validate out/demo/report.sarif and the tests' SARIF (tests/sarif/validate.sh)
#   make test-browser  the HTML report in chromium (tests/browser/), screenshots in tests/out/browser/
#   make demo     audit fixtures/demo, run its test under memcheck, massif, DHAT, callgrind and ASan+UBSan, write out/demo/report.{txt,json,sarif,html} (runs deps first)
#   make install  install into $(PREFIX) (default /usr/local)
#   make DEVELOPER=1   stricter warnings;   make SANITIZE=address,undefined   sanitizer build in build-san/

PREFIX ?= /usr/local
CC ?= cc
LLVM_CONFIG ?= llvm-config

ifneq ($(SANITIZE),)
BUILD ?= build-san
SAN_FLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
else
BUILD ?= build
endif

# Evaluated lazily (=), so `make deps` can install llvm-config before it is needed.
LLVM_PREFIX = $(shell $(LLVM_CONFIG) --prefix 2>/dev/null)
LLVM_LIBDIR = $(shell $(LLVM_CONFIG) --libdir 2>/dev/null)
LLVM_VERSION = $(shell $(LLVM_CONFIG) --version 2>/dev/null)
CLANG_RESOURCE_DIR = $(LLVM_LIBDIR)/clang/$(LLVM_VERSION)

WARN = -Wall -Wextra -Werror
ifneq ($(DEVELOPER),)
WARN += -Wvla -Wstrict-prototypes -Wwrite-strings -Wshadow -Wformat=2
endif

CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=gnu11 $(CFLAGS) $(WARN) $(SAN_FLAGS) -pthread -MMD -MP \
	-I$(LLVM_PREFIX)/include -I$(BUILD)/gen \
	-DMA_CLANG_RESOURCE_DIR='"$(CLANG_RESOURCE_DIR)"'
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS) -pthread -L$(LLVM_LIBDIR) -Wl,-rpath,$(LLVM_LIBDIR)
LIBS = -lclang -lcjson -lexpat -lyaml -ldw -lelf -lz -lm

CORE_SRC = $(wildcard core/*.c)
STATIC_SRC = $(wildcard analyzers/static/*.c)
DYNAMIC_SRC = $(wildcard analyzers/dynamic/*.c)
REPORTER_SRC = $(wildcard reporters/*.c)
CMD_SRC = $(filter-out cmd/main.c,$(wildcard cmd/*.c))
LIB_SRC = $(CORE_SRC) $(STATIC_SRC) $(DYNAMIC_SRC) $(REPORTER_SRC) $(CMD_SRC)
HTML_ASSETS = reporters/html/app.css reporters/html/plots.css reporters/html/plots.js reporters/html/app.js
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/reporters/html_assets.o
MAIN_OBJ = $(BUILD)/obj/cmd/main.o
TEST_SRC = $(wildcard tests/unit/*.c)
TEST_OBJ = $(TEST_SRC:%.c=$(BUILD)/obj/%.o)
RULE_FILES = $(sort $(wildcard rules/*.json))

.PHONY: all deps check demo install clean lint test-unit test-san test-cli test-sarif test-browser check-run demo-run
all: $(BUILD)/memaudit

# rules/ itself too: a removed rule changes the directory, not the files left
$(BUILD)/gen/rules.def: $(RULE_FILES) rules $(BUILD)/gen-rules
	@mkdir -p $(dir $@)
	$(BUILD)/gen-rules $(RULE_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen-rules: rules/gen-rules.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 $(WARN) -o $@ $< -lcjson

# Every object may include the generated catalogue.
$(LIB_OBJ) $(MAIN_OBJ) $(TEST_OBJ): | $(BUILD)/gen/rules.def
$(BUILD)/obj/core/rules.o: $(BUILD)/gen/rules.def

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The HTML report's assets, built into the binary (.incbin, paths from here).
$(BUILD)/obj/reporters/html_assets.o: reporters/html_assets.S $(HTML_ASSETS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) -c -o $@ $<

$(BUILD)/libmemaudit.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/memaudit: $(MAIN_OBJ) $(BUILD)/libmemaudit.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/unit-tests: $(TEST_OBJ) $(BUILD)/libmemaudit.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) -lcriterion

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ------------------------------------------------------------------ deps
# Installs only what is missing: a no-op when everything is there.
DEB_PACKAGES = make gcc clang llvm libclang-dev libclang-rt-14-dev libcjson-dev libelf-dev libdw-dev \
	libexpat1-dev libyaml-dev libcriterion-dev zlib1g-dev pkg-config bear valgrind lld nodejs npm chromium
deps:
	@./scripts/deps.sh $(DEB_PACKAGES)

# ------------------------------------------------------------------ tests
# test-unit runs every Criterion test: the module tests, test_cli.c (which
# runs $(BUILD)/memaudit) and test_reporters.c.  Those two leave their SARIF
# reports under tests/out/, which test-sarif then validates together with
# the demo's out/demo/report.sarif.
TEST_ENV = MEMAUDIT=$(CURDIR)/$(BUILD)/memaudit MEMAUDIT_TEST_OUT=$(CURDIR)/tests/out
UNIT_TESTS = $(TEST_ENV) $(BUILD)/unit-tests --jobs 2 --short-filename

check: deps
	@$(MAKE) --no-print-directory check-run

# One step after another, even under make -j: test-sarif reads what test-unit wrote.
check-run: all $(BUILD)/unit-tests
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-sarif
	@$(MAKE) --no-print-directory test-browser

test-unit: $(BUILD)/unit-tests $(BUILD)/memaudit
	@rm -rf tests/out
	$(UNIT_TESTS)

# The unit tests on a sanitizer build (build-san/).  Criterion's runner
# leaks one allocation of its own at exit: tests/lsan.supp names it.
test-san:
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		$(MAKE) --no-print-directory SANITIZE=address,undefined test-unit

# Only the command-line tests.
test-cli: $(BUILD)/unit-tests $(BUILD)/memaudit
	$(UNIT_TESTS) --filter 'cli*/*'

test-sarif: demo-run
	MEMAUDIT=$(CURDIR)/$(BUILD)/memaudit tests/sarif/validate.sh

# The HTML report in Debian's chromium (tests/browser/): the demo's report
# and the hostile page test_html.c leaves in tests/out/html/.  Screenshots
# of the main views go to tests/out/browser/.
test-browser: demo-run
	MEMAUDIT_TEST_OUT=$(CURDIR)/tests/out node --test tests/browser/

# ------------------------------------------------------------------ demo
demo: deps
	@$(MAKE) --no-print-directory demo-run

# In the demo's folder, the project root: --sanitize builds again in a copy
# of it (the tree keeps the plain build memcheck and massif run).
demo-run: all
	@$(MAKE) --no-print-directory -C fixtures/demo clean >/dev/null
	cd fixtures/demo && $(CURDIR)/$(BUILD)/memaudit audit -o $(CURDIR)/out/demo --fail-on none \
		--build '$(MAKE) --no-print-directory' --run '$(MAKE) -s --no-print-directory test' \
		--dynamic memcheck,massif,dhat,callgrind --sanitize address,undefined

# ------------------------------------------------------------------ misc
install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/memaudit $(DESTDIR)$(PREFIX)/bin/memaudit

lint:
	@./scripts/function-sizes.sh

clean:
	rm -rf build build-san out memaudit-out tests/out
