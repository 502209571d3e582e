# Build helpers in the spirit of absl_cc_library / userver_module.
#
#   made0_library(NAME core SRCS src/a.cpp DEPS Boost::headers)   -> target made0_core, alias made0::core
#   made0_test(NAME core_test SRCS src/a_test.cpp DEPS made0::core LABELS unit)
#   made0_executable(NAME users SRCS main.cpp DEPS made0::users)
#
# A library's public headers live in include/made0/<name>/; its sources in src/ are private.

set(MADE0_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
    # C++20 designated initializers leave omitted members at their defaults by design.
    -Wno-missing-field-initializers)
if(MADE0_WERROR)
  list(APPEND MADE0_WARNINGS -Werror)
endif()

function(made0_apply_common target)
  target_compile_options(${target} PRIVATE ${MADE0_WARNINGS})
  # Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility> (g++ 12).
  target_compile_options(${target} PRIVATE -include utility)
  if(MADE0_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${MADE0_SANITIZE} -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${MADE0_SANITIZE})
  endif()
endfunction()

function(made0_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  set(target made0_${ARG_NAME})
  if(ARG_SRCS)
    add_library(${target} STATIC ${ARG_SRCS})
    target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                         PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
    target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
    made0_apply_common(${target})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_link_libraries(${target} INTERFACE ${ARG_DEPS})
  endif()
  add_library(made0::${ARG_NAME} ALIAS ${target})
endfunction()

function(made0_executable)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS})
  made0_apply_common(${ARG_NAME})
endfunction()

# LABELS: unit (no servers), integration (real servers), e2e (whole stack, browser).
# Tests labelled integration or e2e get the stack's environment through MADE0_STACK_ENV, written by
# scripts/stack.sh, and are serialised on the stack through a resource lock.
function(made0_test)
  cmake_parse_arguments(ARG "" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  made0_apply_common(${ARG_NAME})
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${ARG_NAME} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT})
  made0_test_needs_stack(${ARG_NAME} "${ARG_LABELS}")
endfunction()

# Tests labelled integration or e2e require the "stack" fixture: ctest runs stack_up before the
# first of them and stack_down after the last, so `ctest -L unit` starts no server.
set(MADE0_TEST_STACK_DIR ${CMAKE_BINARY_DIR}/test-stack)
function(made0_test_needs_stack name labels)
  if("integration" IN_LIST labels OR "e2e" IN_LIST labels)
    set_property(TEST ${name} APPEND PROPERTY FIXTURES_REQUIRED stack)
    set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT
                 MADE0_STACK_ENV=${MADE0_TEST_STACK_DIR}/stack.env
                 MADE0_SOURCE_DIR=${PROJECT_SOURCE_DIR} MADE0_BINARY_DIR=${CMAKE_BINARY_DIR})
  endif()
endfunction()

function(made0_stack_fixture)
  add_test(NAME stack_up COMMAND ${PROJECT_SOURCE_DIR}/scripts/stack.sh start
           --dir ${MADE0_TEST_STACK_DIR})
  add_test(NAME stack_down COMMAND ${PROJECT_SOURCE_DIR}/scripts/stack.sh stop
           --dir ${MADE0_TEST_STACK_DIR})
  set_tests_properties(stack_up PROPERTIES FIXTURES_SETUP stack LABELS "integration;e2e"
                       TIMEOUT 180)
  set_tests_properties(stack_down PROPERTIES FIXTURES_CLEANUP stack LABELS "integration;e2e"
                       TIMEOUT 120)
endfunction()
