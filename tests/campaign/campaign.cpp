#include "campaign.hpp"
#include "campaign_operator.hpp"
#include "campaign_tally.hpp"
#include "fault_moment.hpp"
#include "modbus_session.hpp"
#include "short_protocols.hpp"
#include "wire_faults.hpp"

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

// As `tractus run --table sim` (apps/cli/run_command.cpp): the patient tests the hand switch at
// 500 ms, the drive's watchdog is armed at 100 ms.
constexpr std::string_view kPressTest = "patient-switch@500ms";
constexpr Duration kWatchdog = milliseconds(100);
// The loop keeps cycling this long after Fault or Complete, so c (3 s) is always observable.
constexpr Duration kLinger = seconds(5);
// A planned event in Pretension lands this far after entering it at most: taking up the
// slack lasts 0.5–2 s on the stock patients, then the 1 s settle.
constexpr double kPretensionWindowS = 1.4;
// A planned pause lasts this long (s): the level settles at half the setpoint in a few seconds.
constexpr double kPauseMinS = 2.0;
constexpr double kPauseMaxS = 20.0;
constexpr double kPauseMaxModbusS = 5.0; // real time: short sessions

// Plausible body masses for each simulated patient (the profile decides the force in %bw).
struct MassRange {
  std::string_view preset;
  double lo_kg, hi_kg;
};
constexpr MassRange kMassRanges[] = {
    {"light", 45, 65}, {"average", 65, 110}, {"heavy", 110, 185}, {"cervical", 50, 120}};

sim::Region sim_region(profiles::Region r) {
  return r == profiles::Region::Cervical ? sim::Region::Cervical : sim::Region::Lumbar;
}

std::vector<const sim::PatientPreset *> presets_for(profiles::Region region) {
  std::vector<const sim::PatientPreset *> out;
  for (const sim::PatientPreset &p : sim::patient_presets())
    if (p.region == sim_region(region)) out.push_back(&p);
  return out;
}

bool compiles(const profiles::Profile &profile, Mass mass) {
  return profiles::compile(profile, profiles::Patient{"campaign", mass}).ok();
}

// Every kind the table can be given: the simulator's injections and the operator's stop, or
// over Modbus the wire faults (wire_faults.hpp) and the operator's stop.
std::span<const KindRule> rules_of(const CampaignOptions &o) {
  return o.table == TableKind::ModbusTcp ? wire_kind_rules() : kind_rules();
}

std::vector<std::string> campaign_kinds(const CampaignOptions &o) {
  std::vector<std::string> kinds;
  if (o.table == TableKind::ModbusTcp) {
    for (const KindRule &r : wire_kind_rules())
      kinds.emplace_back(r.kind);
  } else {
    for (const sim::InjectionKind &k : sim::injection_kinds())
      kinds.emplace_back(k.name);
    kinds.emplace_back(kOperatorStop);
  }
  if (o.kinds.empty()) return kinds;
  for (const std::string &k : o.kinds)
    if (std::find(kinds.begin(), kinds.end(), k) == kinds.end())
      throw std::invalid_argument("unknown fault kind \"" + k + "\"");
  return o.kinds;
}

std::uint64_t session_seed(std::uint64_t campaign_seed, std::uint64_t index) {
  sim::Random r(campaign_seed, index + 1);
  return r.next();
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

std::vector<CampaignProfile> campaign_profiles(Duration session_length) {
  const profiles::Library library = profiles::load_library();
  if (!library.problems.empty())
    throw std::runtime_error("stock library: " + profiles::to_string(library.problems.front()));
  std::vector<CampaignProfile> out;
  for (const profiles::LibraryEntry &e : library.entries) {
    CampaignProfile cp{e.profile, e.profile.duration};
    const auto presets = presets_for(e.profile.region);
    auto fits = [&](const profiles::Profile &p) {
      for (const sim::PatientPreset *preset : presets)
        if (!compiles(p, preset->body_mass)) return false;
      return true;
    };
    if (!fits(cp.profile))
      throw std::runtime_error("stock profile " + e.profile.id +
                               " does not compile for its presets");
    if (session_length.si() > 0) {
      // The shortest whole-minute duration from session_length up that still compiles (a
      // protocol with many progressive steps needs its cycles).
      for (double m = session_length.si() / 60.0; m < cp.stock_duration.si() / 60.0; m += 1.0) {
        profiles::Profile shorter = cp.profile;
        shorter.duration = minutes(m);
        if (fits(shorter)) {
          cp.profile = shorter;
          break;
        }
      }
    }
    out.push_back(std::move(cp));
  }
  if (out.empty()) throw std::runtime_error("the stock library is empty");
  return out;
}

std::vector<CampaignProfile> campaign_profiles(const CampaignOptions &options) {
  if (options.table != TableKind::ModbusTcp) return campaign_profiles(options.session_length);
  const profiles::Library library = profiles::load_library();
  if (!library.problems.empty())
    throw std::runtime_error("stock library: " + profiles::to_string(library.problems.front()));
  std::vector<CampaignProfile> out;
  for (const profiles::LibraryEntry &e : library.entries) {
    CampaignProfile cp{short_form(e.profile), e.profile.duration};
    for (const sim::PatientPreset *preset : presets_for(e.profile.region))
      if (!session_trajectory(cp.profile, preset->body_mass, options))
        throw std::runtime_error("the short form of " + e.profile.id +
                                 " does not compile for its presets");
    out.push_back(std::move(cp));
  }
  if (out.empty()) throw std::runtime_error("the stock library is empty");
  return out;
}

std::optional<profiles::Trajectory> session_trajectory(const profiles::Profile &profile,
                                                       Mass body_mass,
                                                       const CampaignOptions &options) {
  if (options.table == TableKind::ModbusTcp)
    return short_trajectory(profile, body_mass, options.treatment);
  auto compiled = profiles::compile(profile, profiles::Patient{"campaign", body_mass});
  if (!compiled.ok()) return std::nullopt;
  return std::move(*compiled.value);
}

SessionPlan plan_session(const std::vector<CampaignProfile> &profiles,
                         const CampaignOptions &options, std::uint64_t index) {
  // One stream per session: the plan of session i never depends on the others.
  sim::Random r(options.seed, 0x5AFE'0000'0000ULL + index);
  auto pick = [&r](std::size_t n) {
    return static_cast<std::size_t>(r.uniform() * static_cast<double>(n)) % n;
  };
  SessionPlan p;
  p.index = index;
  p.campaign_seed = options.seed;
  p.seed = session_seed(options.seed, index);
  p.slip_response = options.slip_response;

  const CampaignProfile &cp = profiles[pick(profiles.size())];
  p.profile = cp.profile.id;
  p.duration = cp.profile.duration;
  const auto presets = presets_for(cp.profile.region);
  p.preset = presets[pick(presets.size())];
  p.body_mass = p.preset->body_mass;
  if (r.uniform() < 0.5) {
    for (const MassRange &m : kMassRanges) {
      if (m.preset != p.preset->name) continue;
      const Mass drawn = kilograms(std::round(r.uniform(m.lo_kg, m.hi_kg) * 10.0) / 10.0);
      if (session_trajectory(cp.profile, drawn, options)) p.body_mass = drawn;
    }
  }

  const std::vector<std::string> kinds = campaign_kinds(options);
  if (r.uniform() >= options.no_fault_share) p.kind = kinds[pick(kinds.size())];

  // Where: pretension, or uniformly in time over the segments of a phase the protocol has.
  const auto trajectory = session_trajectory(cp.profile, p.body_mass, options);
  if (!trajectory) throw std::runtime_error(cp.profile.id + " does not compile for the preset");
  std::vector<Target> targets{Target::Pretension};
  const std::pair<profiles::Phase, Target> phases[] = {{profiles::Phase::Ramp, Target::Ramp},
                                                       {profiles::Phase::Hold, Target::Hold},
                                                       {profiles::Phase::Rest, Target::Rest},
                                                       {profiles::Phase::Release, Target::Release}};
  for (const auto &[phase, target] : phases)
    for (const profiles::Segment &s : trajectory->segments())
      if (s.phase == phase && s.length.si() > 0) {
        targets.push_back(target);
        break;
      }
  targets.push_back(Target::Paused);
  p.target = targets[pick(targets.size())];
  if (p.target == Target::Paused) {
    // Paused anywhere in the treatment before its final release.
    Duration end{};
    for (const profiles::Segment &s : trajectory->segments())
      if (s.phase != profiles::Phase::Release) end = max(end, s.end());
    p.pause_at = seconds(std::round(r.uniform(0.0, end.si()) * 1e3) / 1e3);
    const double pause_max = options.table == TableKind::ModbusTcp ? kPauseMaxModbusS : kPauseMaxS;
    p.pause_for = seconds(std::round(r.uniform(kPauseMinS, pause_max) * 1e3) / 1e3);
    p.at = seconds(std::round(r.uniform(0.1, p.pause_for.si() - 0.1) * 1e3) / 1e3);
  } else if (p.target == Target::Pretension) {
    p.at = seconds(std::round(r.uniform(0.0, kPretensionWindowS) * 1e3) / 1e3);
  } else {
    profiles::Phase want = profiles::Phase::Hold;
    for (const auto &[phase, target] : phases)
      if (target == p.target) want = phase;
    double total = 0;
    for (const profiles::Segment &s : trajectory->segments())
      if (s.phase == want) total += s.length.si();
    double u = r.uniform(0.0, total);
    for (const profiles::Segment &s : trajectory->segments()) {
      if (s.phase != want) continue;
      if (u <= s.length.si()) {
        p.at = seconds(std::round((s.start.si() + u) * 1e3) / 1e3);
        break;
      }
      u -= s.length.si();
    }
  }
  return p;
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
  schedule.add(*sim::parse_injection(kPressTest).injection);
  sim::SimTable sim(sim::plant_config(*plan.preset), plan.seed, std::move(schedule));
  if (const std::string e = sim.drive().configure_watchdog(kWatchdog); !e.empty()) {
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
  runner.set_observer([&](const controller::CycleOutput &out) {
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
