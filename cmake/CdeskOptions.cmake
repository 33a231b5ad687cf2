# One INTERFACE target that every project target links: the language standard,
# the warnings and the Qt defines that keep string and URL conversions explicit.
add_library(cdesk_options INTERFACE)
add_library(Cdesk::options ALIAS cdesk_options)

target_compile_features(cdesk_options INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

target_compile_options(cdesk_options INTERFACE
  -Wall -Wextra -Wpedantic
  -Wshadow=local -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
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
