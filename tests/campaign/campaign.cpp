#include "campaign.hpp"
#include "campaign_operator.hpp"
#include "campaign_tally.hpp"
#include "fault_moment.hpp"
#include "modbus_session.hpp"
#include "short_protocols.hpp"
#include "wire_faults.hpp"

#include "bindings/sim_lease.hpp"
#include "bindings/table_connection.hpp"

#include "controller/journal.hpp"
#include "controller/journal_reader.hpp"
#include "controller/loop_runner.hpp"
#include "controller/session_config.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "sim/injection.hpp"
#include "sim/random.hpp"
#include "sim/sim_table.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace tractus::campaign {

namespace {

using controller::FaultCode;
using controller::journal_number;
using controller::State;

// As `tractus run --table sim` opens the simulator (apps/bindings): the patient tests the hand
// switch at 500 ms (bindings::kSimulatedPressTest), the drive's watchdog is armed at
// bindings::kWatchdogTimeout.
// The loop keeps cycling this long after Fault or Complete, so c (3 s) is always observable.
constexpr Duration kLinger = seconds(5);
// Every kind the table can be given: the simulator's injections and the operator's stop, or
// over Modbus the wire faults (wire_faults.hpp) and the operator's stop.
std::span<const KindRule> rules_of(const CampaignOptions &o) {
  return o.table == TableKind::ModbusTcp ? wire_kind_rules() : kind_rules();
}

nlohmann::ordered_json journal_header(const SessionPlan &plan, const profiles::Profile &profile,
                                      const hal::Calibration &cal) {
  nlohmann::ordered_json h;
  h["software_version"] = "tractus-campaign";
  h["profile"] = nlohmann::ordered_json::parse(profiles::to_json_text(profile));
  h["patient"] = {{"id", "campaign-" + std::to_string(plan.index)},
                  {"body_mass_kg", journal_number(plan.body_mass.si(), 1)}};
  h["calibration"] = {{"id", cal.id}, {"source", cal.source}};
  h["table"] = {{"address", "sim:" + std::string(plan.preset->name)},
                {"simulated", true},
                {"preset", plan.preset->name},
                {"seed", plan.seed}};
  h["screening"] = {{"source", "simulator"}, {"confirmed", true}};
  h["campaign"] = {{"index", plan.index},
                   {"fault", plan.kind.empty() ? "none" : plan.kind},
                   {"target", to_string(plan.target)},
                   {"at_s", journal_number(plan.at.si(), 3)}};
  if (plan.target == Target::Paused) {
    h["campaign"]["pause_at_s"] = journal_number(plan.pause_at.si(), 3);
    h["campaign"]["pause_for_s"] = journal_number(plan.pause_for.si(), 3);
  }
  return h;
}

// The profile a plan was drawn from (plan_session draws from `profiles`, so it is there).
const profiles::Profile &profile_of(const std::vector<CampaignProfile> &profiles,
                                    const SessionPlan &plan) {
  for (const CampaignProfile &cp : profiles)
    if (cp.profile.id == plan.profile) return cp.profile;
  throw std::logic_error("no campaign profile " + plan.profile);
}

// Over Modbus: one session after the other on this (the main) thread, which outlives every
// tractus-sim it starts (sim_process.hpp); their ports and output in a scratch directory.
void run_modbus_sessions(const std::vector<CampaignProfile> &profiles,
                         const CampaignOptions &options, const std::vector<std::uint64_t> &indices,
                         const std::filesystem::path &journal_dir,
                         std::vector<SessionReport> &reports) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "tractus-campaign-sim-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("cannot create a scratch directory for tractus-sim");
  ModbusSessionConfig config;
  config.tractus_sim = options.tractus_sim;
  config.work_dir = pattern;
  config.journal_dir = journal_dir;
  config.keep_journal = options.keep_journals;
  for (std::size_t k = 0; k < indices.size(); ++k) {
    reports[k].plan.index = indices[k];
    try {
      const SessionPlan plan = plan_session(profiles, options, indices[k]);
      reports[k].plan = plan;
      const profiles::Profile &profile = profile_of(profiles, plan);
      const auto trajectory = session_trajectory(profile, plan.body_mass, options);
      reports[k] = run_modbus_session(plan, profile, *trajectory, config);
    } catch (const std::exception &e) {
      reports[k].error = e.what();
    }
    if (options.progress) options.progress(k + 1, indices.size());
  }
  std::error_code ec;
  std::filesystem::remove_all(config.work_dir, ec);
}

} // namespace

std::string_view to_string(Target t) {
  switch (t) {
  case Target::Pretension: return "pretension";
  case Target::Ramp: return "ramp";
  case Target::Hold: return "hold";
  case Target::Rest: return "rest";
  case Target::Release: return "release";
  case Target::Paused: return "paused";
  }
  return "?";
}

bool SessionReport::flagged() const {
  return !error.empty() || !verdict.violations.empty() ||
         verdict.detection == Detection::PendingMiss || verdict.plant_excess.has_value();
}

std::uint64_t CampaignResult::total_violations() const {
  std::uint64_t n = 0;
  for (std::uint64_t v : violations)
    n += v;
  return n;
}

SessionReport run_session(const SessionPlan &plan, const profiles::Profile &profile,
                          const std::filesystem::path &journal_dir, bool keep_journal) {
  SessionReport report;
  report.plan = plan;
  const auto trajectory = profiles::compile(profile, {"campaign", plan.body_mass});
  if (!trajectory.ok()) {
    report.error = "does not compile: " + profiles::to_string(trajectory.problems.front());
    return report;
  }
  const KindRule *rule = plan.kind.empty() ? nullptr : find_kind_rule(plan.kind);
  const sim::InjectionKind *injection = plan.kind.empty() || plan.kind == kOperatorStop
                                            ? nullptr
                                            : sim::find_injection_kind(plan.kind);
  if (!plan.kind.empty() && rule == nullptr) {
    report.error = "no detection rule for fault kind \"" + plan.kind +
                   "\" (add it to kind_rules() in tests/campaign/invariants.cpp)";
    return report;
  }

  sim::InjectionSchedule schedule;
  schedule.add(*sim::parse_injection(bindings::kSimulatedPressTest).injection);
  sim::SimTable sim(sim::plant_config(*plan.preset), plan.seed, std::move(schedule));
  if (const std::string e = sim.drive().configure_watchdog(bindings::kWatchdogTimeout);
      !e.empty()) {
    report.error = "watchdog: " + e;
    return report;
  }

  controller::SessionInputs inputs;
  inputs.trajectory = &*trajectory.value;
  inputs.region = profile.region;
  inputs.calibration = sim.factory_calibration();
  inputs.screening_confirmed = true; // the simulated patient counts as screened
  controller::SessionSetup setup = controller::session_setup(inputs);
  setup.slip.response = plan.slip_response;
  controller::Session session(setup);

  SessionChecker checker(limits_for(setup, *trajectory.value), rule);

  controller::SessionStats stats;
  controller::LoopOptions loop;
  loop.linger = kLinger;
  loop.give_up_after = trajectory.value->total_duration() + minutes(5);
  controller::VirtualClock clock([&sim](Duration dt) { sim.advance(dt); });
  controller::LoopRunner runner(sim.table(), session, clock, stats, loop);
  CampaignOperator op(plan);
  runner.set_operator(&op);

  const std::string id =
      "campaign-" + std::to_string(plan.campaign_seed) + "-" + std::to_string(plan.index);
  const std::filesystem::path file = journal_dir / (id + ".jsonl");
  std::filesystem::remove(file); // this campaign's own name: a replay overwrites it
  std::optional<controller::Journal> journal;
  journal.emplace(journal_dir, id, journal_header(plan, profile, setup.calibration));
  runner.set_journal(&*journal);

  bool triggered = plan.kind.empty();
  FaultMoment moment(plan);
  runner.set_output_observer([&](const controller::CycleOutput &out) {
    const Micros t = sim::to_micros(sim.elapsed());
    if (!triggered && controller::is_active(out.state) &&
        out.outcome == controller::Outcome::None) {
      const bool due = moment.due(t, out);
      if (due) {
        triggered = true;
        const Micros at = t + kMicrosPerMs; // the next cycle is the first to see it
        if (injection != nullptr)
          sim.inject(sim::Injection{injection, at});
        else
          op.stop_at = at;
        checker.injected(at);
      }
    }
    Observation o;
    o.t = t;
    o.true_force = sim.true_force();
    o.torque = sim.drive_enabled();
    o.state = out.state;
    o.outcome = out.outcome;
    o.phase = out.phase;
    o.command = out.command;
    o.events = std::span<const controller::Event>(out.events.data(), out.event_count);
    checker.observe(o);
  });

  const controller::LoopReport loop_report = runner.run();
  checker.end_of_trace();
  journal->finish({{"outcome", controller::to_string(loop_report.last.outcome)},
                   {"fault", controller::number(loop_report.last.fault)},
                   {"cycles", loop_report.cycles}});
  journal.reset();
  checker.check_journal(controller::read_journal(file));

  report.verdict = checker.verdict();
  report.restart_requests = op.restart_requests;
  if (keep_journal || report.flagged())
    report.journal = file;
  else
    std::filesystem::remove(file);
  return report;
}

CampaignResult run_campaign(const CampaignOptions &options) {
  const auto started = std::chrono::steady_clock::now();
  const std::vector<CampaignProfile> profiles = campaign_profiles(options);
  (void)campaign_kinds(options); // refuses unknown kinds before anything runs
  const bool modbus = options.table == TableKind::ModbusTcp;
  if (modbus && !std::filesystem::exists(options.tractus_sim))
    throw std::invalid_argument("no tractus-sim at \"" + options.tractus_sim.string() + "\"");

  CampaignResult result;
  result.table = options.table;
  result.treatment = options.treatment;
  result.seed = options.seed;
  result.slip_response = options.slip_response;
  // Real-time sessions run one after the other: two 1 kHz loops and two simulators sharing the
  // machine would measure the machine, not the controller.
  result.jobs = modbus ? 1 : std::max(1, options.jobs);
  result.session_length = options.session_length;
  result.kinds = options.kinds;
  for (const CampaignProfile &cp : profiles)
    result.durations.emplace_back(cp.profile.id, cp.profile.duration);

  bool own_dir = false;
  if (options.journal_dir) {
    result.journal_dir = *options.journal_dir;
  } else {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "tractus-campaign-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("cannot create a temporary journal directory");
    result.journal_dir = pattern;
    own_dir = true;
  }
  std::filesystem::create_directories(result.journal_dir);

  std::vector<std::uint64_t> indices;
  if (options.only)
    indices.push_back(*options.only);
  else
    for (std::uint64_t i = 0; i < options.sessions; ++i)
      indices.push_back(i);
  std::vector<SessionReport> reports(indices.size());

  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> done{0};
  std::mutex progress_mutex;
  auto worker = [&] {
    for (std::size_t k = next++; k < indices.size(); k = next++) {
      reports[k].plan.index = indices[k];
      try {
        const SessionPlan plan = plan_session(profiles, options, indices[k]);
        reports[k].plan = plan;
        reports[k] = run_session(plan, profile_of(profiles, plan), result.journal_dir,
                                 options.keep_journals);
      } catch (const std::exception &e) {
        reports[k].error = e.what();
      }
      const std::uint64_t n = ++done;
      if (options.progress) {
        const std::lock_guard lock(progress_mutex);
        options.progress(n, indices.size());
      }
    }
  };
  if (modbus) {
    run_modbus_sessions(profiles, options, indices, result.journal_dir, reports);
  } else {
    std::vector<std::thread> threads;
    const std::size_t jobs = std::min<std::size_t>(static_cast<std::size_t>(result.jobs),
                                                   std::max<std::size_t>(1, indices.size()));
    for (std::size_t j = 0; j < jobs; ++j)
      threads.emplace_back(worker);
    for (std::thread &t : threads)
      t.join();
  }

  tally_sessions(reports, rules_of(options), modbus, result);

  if (own_dir) {
    std::error_code ec;
    std::filesystem::remove(result.journal_dir, ec); // only succeeds when empty
    if (!ec) result.journal_dir.clear();
  }
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

} // namespace tractus::campaign
