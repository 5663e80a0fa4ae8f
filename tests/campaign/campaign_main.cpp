// tractus-campaign: the randomized safety fault campaign from the command line.
//
//   tractus-campaign --sessions 5000 --seed 1 [--jobs 2] [--journal-dir DIR] [--keep-journals]
//   tractus-campaign --seed 1 --only 1234 --keep-journals --journal-dir DIR   (replay one)
//   tractus-campaign --table modbus-tcp --sessions 50 --seed 1   (through tractus-sim, real time)
//
// Exit codes: 0 every invariant held; 1 a violation, or a session could not run; 2 bad usage.
// Misses of monitors not implemented yet are printed but do not change the exit code.
#include "campaign.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <unistd.h>

int main(int argc, char **argv) {
  using namespace tractus;
  campaign::CampaignOptions o;
  std::string journal_dir;
  double minutes_per_session = 4;
  std::uint64_t only = 0;
  std::size_t listed = 25;
  std::string table = "in-process";
  double treatment_seconds = 20;
  o.tractus_sim = TRACTUS_SIM_BIN; // the one built with this tool

  CLI::App app{"tractus-campaign: randomized simulated sessions with injected faults, checked "
               "against the safety invariants on the simulator's true force "
               "(docs/safety/campaign.md)"};
  app.add_option("--sessions", o.sessions, "number of sessions")->check(CLI::Range(1, 10'000'000));
  app.add_option("--seed", o.seed, "campaign seed: with a session index it fixes a session");
  app.add_option("--jobs", o.jobs, "sessions run at once, one thread each")
      ->check(CLI::Range(1, 256));
  app.add_option("--journal-dir", journal_dir,
                 "where journals go (default: a temporary directory, removed when empty)");
  app.add_flag("--keep-journals", o.keep_journals,
               "keep every journal (otherwise only those of flagged sessions)");
  app.add_option("--minutes", minutes_per_session,
                 "shorten the stock protocols to this many minutes (0: stock durations)")
      ->check(CLI::Range(0.0, 99.0));
  auto *only_opt = app.add_option("--only", only, "run only this session index (a replay)");
  app.add_option("--kind", o.kinds, "draw faults only from this kind (repeatable)");
  app.add_option("--no-fault-share", o.no_fault_share, "share of sessions with no fault")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--list", listed, "flagged sessions to describe at most");
  app.add_option("--table", table,
                 "in-process: the simulator in this process on a virtual clock; modbus-tcp: a "
                 "tractus-sim process per session through real Modbus TCP, in real time")
      ->check(CLI::IsMember({"in-process", "modbus-tcp"}));
  app.add_option("--seconds", treatment_seconds,
                 "modbus-tcp: cut the protocols' short forms after this much treatment")
      ->check(CLI::Range(5.0, 120.0));
  app.add_option("--tractus-sim", o.tractus_sim, "modbus-tcp: the tractus-sim binary");
  std::string slip_response = controller::to_string(o.slip_response);
  app.add_option("--slip-response", slip_response,
                 "the controller's answer to a sudden loss of force (305): pay-out (the default: "
                 "cable out at the speed limit for at most 300 ms, then disabled), torque-off, "
                 "hold-zero; to compare the recoil after a harness slip")
      ->check(CLI::IsMember({"pay-out", "torque-off", "hold-zero"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!journal_dir.empty()) o.journal_dir = journal_dir;
  if (*only_opt) o.only = only;
  o.session_length = minutes(minutes_per_session);
  o.table = table == "modbus-tcp" ? campaign::TableKind::ModbusTcp : campaign::TableKind::InProcess;
  o.treatment = seconds(treatment_seconds);
  for (auto r : {controller::SlipResponse::PayOut, controller::SlipResponse::TorqueOff,
                 controller::SlipResponse::HoldZero})
    if (slip_response == controller::to_string(r)) o.slip_response = r;

  if (isatty(STDERR_FILENO) != 0)
    o.progress = [](std::uint64_t done, std::uint64_t total) {
      if (done % 50 == 0 || done == total || total <= 500)
        std::fprintf(stderr, "\r%llu / %llu sessions", static_cast<unsigned long long>(done),
                     static_cast<unsigned long long>(total));
      if (done == total) std::fprintf(stderr, "\n");
    };

  try {
    const campaign::CampaignResult result = campaign::run_campaign(o);
    std::cout << campaign::format_report(result, listed);
    if (!result.journal_dir.empty())
      std::cout << "journals: " << result.journal_dir.string() << "\n";
    return result.total_violations() == 0 && result.errors == 0 ? 0 : 1;
  } catch (const std::invalid_argument &e) {
    std::cerr << "tractus-campaign: " << e.what() << "\n";
    return 2;
  } catch (const std::exception &e) {
    std::cerr << "tractus-campaign: " << e.what() << "\n";
    return 1;
  }
}
