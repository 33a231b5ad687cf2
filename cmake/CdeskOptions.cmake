# One INTERFACE target that every project target links: the language standard,
# the warnings and the Qt defines that keep string and URL conversions explicit.
add_library(cdesk_options INTERFACE)
add_library(Cdesk::options ALIAS cdesk_options)

target_compile_features(cdesk_options INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

# gcc's -Wshadow=local (a local hiding another local) has no clang spelling,
# and clang's -Wshadow also reports every local named like a member or a
# global, which the gcc build accepts. clang gets the part of -Wshadow=local it
# can name (a lambda's local hiding one of the enclosing function); the gcc CI
# build, with -Werror, keeps checking the rest.
target_compile_options(cdesk_options INTERFACE
  -Wall -Wextra -Wpedantic
  -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
  $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>
  $<$<CXX_COMPILER_ID:Clang>:-Wshadow-uncaptured-local>
  $<$<BOOL:${CDESK_WERROR}>:-Werror>)

target_compile_definitions(cdesk_options INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CAST_FROM_BYTEARRAY
  QT_NO_URL_CAST_FROM_STRING
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_NO_FOREACH
  QT_USE_QSTRINGBUILDER
  QT_STRICT_ITERATORS
  QT_DISABLE_DEPRECATED_BEFORE=0x060400)

# Sanitizers (the asan preset): AddressSanitizer with LeakSanitizer, and
# UndefinedBehaviorSanitizer made fatal, on every target of the project, with
# Qt's asserts on. Qt itself is not built with sanitizers, so many of its
# out-of-bounds reads only show through the Q_ASSERTs inlined from its headers.
# -O1 keeps the suite fast enough; the frame pointers keep the stacks whole;
# line tables are all a report needs, and build a quarter faster than -g.
option(CDESK_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

# gold links the sixty-odd test executables in half the time of the default
# bfd linker (binutils ships it with every gcc). Not for the sanitizer build:
# gold warns on every ASan helper symbol there, and bfd is what clang's
# sanitizer runtime is tested with.
if(NOT CDESK_SANITIZE)
  include(CheckLinkerFlag)
  check_linker_flag(CXX "-fuse-ld=gold" CDESK_HAS_GOLD)
  if(CDESK_HAS_GOLD)
    add_link_options(-fuse-ld=gold)
  endif()
endif()

# libFuzzer targets in tests/fuzz (clang only); their replays are built always.
option(CDESK_FUZZ "Build the libFuzzer targets in tests/fuzz (clang)" OFF)

set(CDESK_SANITIZER_TEST_ENVIRONMENT "")
if(CDESK_SANITIZE)
  set(sanitizers -fsanitize=address,undefined -fno-sanitize-recover=undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    add_compile_options(-O1 -gline-tables-only -fno-omit-frame-pointer ${sanitizers})
  else()
    add_compile_options(-O1 -g -fno-omit-frame-pointer ${sanitizers})
  endif()
  add_link_options(${sanitizers})
  add_compile_definitions(QT_FORCE_ASSERTS)

  # Debian's llvm-14 installs it as llvm-symbolizer-14 only: name it, or the
  # reports come without function names and lines.
  find_program(CDESK_LLVM_SYMBOLIZER NAMES llvm-symbolizer llvm-symbolizer-14
    HINTS /usr/lib/llvm-14/bin)

  # Every test (and every executable a test starts, which inherits them) runs
  # with these. LeakSanitizer reads the reviewed suppressions of leaks inside
  # Qt and system libraries; ours are fixed, never suppressed.
  set(supp "${PROJECT_SOURCE_DIR}/tests/sanitizers")
  # intercept_tls_get_addr=0: clang-14's runtime takes a malloc'd dynamic TLS
  # block at a page offset of 16 for a glibc-2.19 TLS header and reads past
  # it, and LeakSanitizer's tracer then dies at exit ("Tracer caught signal
  # 11") after every test passed. tst_resumereader hit it on every run; with
  # the interceptor off it passed 15 runs in a row. Fixed in LLVM 17.
  set(CDESK_SANITIZER_TEST_ENVIRONMENT
    "ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1:abort_on_error=0:intercept_tls_get_addr=0"
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
    "LSAN_OPTIONS=suppressions=${supp}/lsan.supp:print_suppressions=0")
  if(CDESK_LLVM_SYMBOLIZER)
    list(APPEND CDESK_SANITIZER_TEST_ENVIRONMENT
      "ASAN_SYMBOLIZER_PATH=${CDESK_LLVM_SYMBOLIZER}")
  endif()
endif()
