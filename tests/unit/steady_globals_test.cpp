// Which globals hold one value whenever a pause can happen (analysis/steady_globals.h): written
// by nothing, or only by a start function that runs only as such and cannot pause.
#include "asyncify/analysis/steady_globals.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "asyncify/binary/reader.h"
#include "fixture_builder.h"

namespace asyncify {
namespace {

// The steadiness of every global of the module in `wat` (every import may pause).
std::vector<bool> steadyIn(const std::string& name, const std::string& wat) {
  const auto src = test::scratchDir() / (name + ".wat");
  const auto out = test::scratchDir() / (name + ".wasm");
  std::ofstream(src) << wat;
  const std::string cmd = "wat2wasm " + test::shellQuote(src.string()) + " -o " +
                          test::shellQuote(out.string()) + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const Module m = readModule(readFile(out.string()));
  const CallGraph graph = buildCallGraph(m);
  std::ostringstream log;
  const Pausability pausability = analyzePausability(m, graph, AsyncifyOptions{}, log);
  return steadyGlobals(m, graph, pausability);
}

TEST(SteadyGlobals, WrittenByNothingOrOnlyByTheStartFunction) {
  const auto steady = steadyIn("kinds", R"((module
    (import "env" "imm" (global i32))
    (import "env" "mut" (global (mut i32)))
    (global $never (mut i32) (i32.const 1))
    (global $start_only (mut i32) (i32.const 0))
    (global $also_elsewhere (mut i32) (i32.const 0))
    (global (export "exported_mut") (mut i32) (i32.const 0))
    (global i32 (i32.const 3))
    (global (export "exported_imm") i32 (i32.const 3))
    (func $init
      (global.set $start_only (i32.const 4))
      (global.set $also_elsewhere (i32.const 1)))
    (start $init)
    (func (export "f") (global.set $also_elsewhere (i32.const 2)))))");
  EXPECT_EQ(steady, (std::vector<bool>{true, false, true, true, false, false, true, true}));
}

// A start function that may run again later, or pause, writes whenever it runs.
TEST(SteadyGlobals, NotWhenTheStartFunctionRunsAgainOrPauses) {
  const std::string globalAndStart = R"(
    (global $g (mut i32) (i32.const 0))
    (func $init (global.set $g (i32.const 4)))
    (start $init))";
  EXPECT_EQ(steadyIn("started", "(module" + globalAndStart + ")"), std::vector<bool>{true});
  EXPECT_EQ(steadyIn("exported", "(module" + globalAndStart + "(export \"init\" (func $init)))"),
            std::vector<bool>{false});
  EXPECT_EQ(steadyIn("called", "(module" + globalAndStart + "(func (export \"f\") (call $init)))"),
            std::vector<bool>{false});
  EXPECT_EQ(steadyIn("in_table",
                     "(module" + globalAndStart + "(table 1 funcref) (elem (i32.const 0) $init))"),
            std::vector<bool>{false});
  EXPECT_EQ(steadyIn("pausing", R"((module
    (import "env" "sleep" (func $sleep))
    (global $g (mut i32) (i32.const 0))
    (func $init (global.set $g (i32.const 4)) (call $sleep))
    (start $init)))"),
            std::vector<bool>{false});
}

}  // namespace
}  // namespace asyncify
