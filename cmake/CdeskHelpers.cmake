# cdesk_add_test(NAME <name> SOURCES <files...> [LIBS <targets...>] [GUI] [LABELS <labels...>]
#                [TIMEOUT <seconds>])
#
# Builds one QtTest executable that links the project's libraries (never the
# executables) and registers it with CTest. Every test gets its own fixtures
# path, a timeout, and QStandardPaths' test mode through the environment; GUI
# tests run on the offscreen platform. In a sanitizer build (CDESK_SANITIZE)
# every test also gets the sanitizers' options and suppressions.
#
# The test's own code is built without optimisation (-O0 after the preset's
# flags): what is under test is the libraries, built with the preset's
# flags (and sanitizers); a test's code gains nothing from the optimiser,
# and builds 40 % faster without it (tst_historypane: 10.8 s at -O2, 6.4 s at
# -O0; under ASan 12.9 s at -O1, 7.1 s at -O0).
function(cdesk_add_test)
  cmake_parse_arguments(ARG "GUI" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT ARG_NAME OR NOT ARG_SOURCES)
    message(FATAL_ERROR "cdesk_add_test needs NAME and SOURCES")
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  if(CDESK_SANITIZE)
    math(EXPR ARG_TIMEOUT "${ARG_TIMEOUT} * 2") # everything runs slower under the sanitizers
  endif()

  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE Qt6::Test cdesk_options ${ARG_LIBS})
  target_compile_options(${ARG_NAME} PRIVATE -O0)
  target_compile_definitions(${ARG_NAME} PRIVATE
    CDESK_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/tests/fixtures")

  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
  # Tests live away from the app's folder: they name the PDF text helper.
  set(env "QT_LOGGING_RULES=qt.httpserver.debug=false"
    "CANDIDATE_DESK_EXTRACT_HELPER=$<TARGET_FILE:candidate-desk-extract>"
    ${CDESK_SANITIZER_TEST_ENVIRONMENT})
  if(ARG_GUI)
    list(APPEND env "QT_QPA_PLATFORM=offscreen")
    list(APPEND ARG_LABELS gui)
  endif()
  set_tests_properties(${ARG_NAME} PROPERTIES
    TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "${env}"
    LABELS "${ARG_LABELS}")
endfunction()
