#include "made0/ctl/saga_view.hpp"

#include <gtest/gtest.h>

#include "testdata.hpp"

namespace made0::ctl {
namespace {

using nlohmann::json;
using testdata::kNow;

TEST(SagaStatus, TerminalAndExitCodes) {
  const std::tuple<const char*, bool, int> cases[] = {
      {"running", false, 1},    {"compensating", false, 1},       {"completed", true, 0},
      {"compensated", true, 1}, {"compensation_failed", true, 1}, {"", false, 1},
  };
  for (const auto& [status, terminal, code] : cases) {
    EXPECT_EQ(IsTerminalStatus(status), terminal) << status;
    EXPECT_EQ(ExitCodeForStatus(status), code) << status;
  }
}

TEST(FormatDurationMs, Table) {
  const std::pair<std::optional<double>, const char*> cases[] = {
      {std::nullopt, ""}, {-1.0, ""},     {0.0, "<1ms"},    {0.4, "<1ms"},       {1.0, "1ms"},
      {12.4, "12ms"},     {12.6, "13ms"}, {1200.0, "1.2s"}, {125'000.0, "2m5s"},
  };
  for (const auto& [ms, want] : cases) EXPECT_EQ(FormatDurationMs(ms), want);
}

TEST(SagaStart, CreatedAtElseFirstEvent) {
  EXPECT_EQ(SagaStart(testdata::Saga()), ParseRfc3339("2026-12-03T18:18:00Z"));
  json saga = testdata::Saga();
  saga.erase("created_at");
  saga["events"][0]["at"] = "2026-12-03T18:17:59Z";
  EXPECT_EQ(SagaStart(saga), ParseRfc3339("2026-12-03T18:17:59Z"));
  EXPECT_EQ(SagaStart(json::object()), std::nullopt);
}

TEST(EventsAfter, OnlyNewerSeqs) {
  const json saga = testdata::Saga();
  EXPECT_EQ(EventsAfter(saga, -1).size(), 13u);
  EXPECT_EQ(EventsAfter(saga, 0).size(), 13u);
  ASSERT_EQ(EventsAfter(saga, 11).size(), 2u);
  EXPECT_EQ((*EventsAfter(saga, 11)[0])["seq"], 12);
  EXPECT_TRUE(EventsAfter(saga, 13).empty());
  EXPECT_TRUE(EventsAfter(json::object(), -1).empty());
  EXPECT_EQ(LastSeq(saga, -1), 13);
  EXPECT_EQ(LastSeq(saga, 20), 20);
  EXPECT_EQ(LastSeq(json::object(), 3), 3);
}

TEST(FormatEventLine, FixedColumns) {
  const json saga = testdata::Saga();
  const auto start = SagaStart(saga);
  std::string lines;
  for (const json* e : EventsAfter(saga, -1)) lines += FormatEventLine(*e, start);
  EXPECT_EQ(lines,
            "+0s       saga_started\n"
            "+3ms      step_started                  cluster         attempt 1\n"
            "+15ms     step_succeeded                cluster         attempt 1   12ms\n"
            "+30ms     step_succeeded                securityGroups  attempt 1   8ms\n"
            "+34ms     step_succeeded                category        attempt 1   <1ms\n"
            "+52ms     step_succeeded                subnet          attempt 1   15ms\n"
            "+1s       step_failed                   runInstance     attempt 1   940ms    "
            "hostd: AZ us-east-1a is down\n"
            "+1s       retry_scheduled               runInstance     attempt 1\n"
            "+1.5s     step_succeeded                runInstance     attempt 2   95ms\n"
            "+3.9s     step_succeeded                awaitInstance   attempt 1   2.4s\n"
            "+3.9s     step_succeeded                saveInstance    attempt 1   6ms\n"
            "+4.1s     step_succeeded                onComplete      attempt 1   2ms\n"
            "+4.2s     finished\n");
}

TEST(StepStates, TheLatestEventOfEachStepDecides) {
  EXPECT_EQ(StepStates(testdata::Saga()), std::vector<std::string>(8, "succeeded"));
  json saga = testdata::Saga();
  saga["events"] = json::parse(R"([
    {"seq":1,"kind":"step_succeeded","step":0},
    {"seq":2,"kind":"step_succeeded","step":1},
    {"seq":3,"kind":"step_failed","step":2},
    {"seq":4,"kind":"retry_scheduled","step":2},
    {"seq":5,"kind":"step_failed","step":2},
    {"seq":6,"kind":"compensation_started","step":1},
    {"seq":7,"kind":"compensation_succeeded","step":1},
    {"seq":8,"kind":"compensation_started","step":0},
    {"seq":9,"kind":"compensation_failed","step":0},
    {"seq":10,"kind":"compensation_retry_requested","step":3},
    {"seq":11,"kind":"step_started","step":42},
    {"seq":12,"kind":"finished","step":-1}])");
  EXPECT_EQ(StepStates(saga),
            (std::vector<std::string>{"compensation failed", "compensated", "failed",
                                      "compensating", "pending", "pending", "pending", "pending"}));
}

TEST(FinishLine, ByStatus) {
  json saga = testdata::Saga();
  EXPECT_EQ(FinishLine(saga),
            "saga-00000000000000aa completed in 4.2s (instance i-0a1b2c3d4e5f60718)\n");
  saga["status"] = "compensated";
  saga["error"] = "runInstance: capacity\nexhausted";
  EXPECT_EQ(FinishLine(saga),
            "saga-00000000000000aa compensated after 4.2s: runInstance: capacity exhausted\n");
  saga["status"] = "compensation_failed";
  saga.erase("updated_at");
  EXPECT_EQ(FinishLine(saga),
            "saga-00000000000000aa compensation_failed: runInstance: capacity exhausted\n"
            "retry it with: made0ctl retry saga saga-00000000000000aa\n");
}

}  // namespace
}  // namespace made0::ctl
