#include "modbus_session.hpp"
#include "fault_moment.hpp"

#include "campaign_operator.hpp"
#include "sim_process.hpp"
#include "wire_faults.hpp"

#include "bindings/table_bindings.hpp"
#include "controller/journal.hpp"
#include "controller/journal_reader.hpp"
#include "controller/loop_runner.hpp"
#include "controller/realtime.hpp"
#include "controller/session_config.hpp"
#include "hal/modbus/modbus_link.hpp"
#include "hal/register_map.hpp"
#include "profiles/limits.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <pthread.h>
#include <sched.h>
#include <thread>

namespace tractus::campaign {

namespace {

using controller::State;
using SteadyClock = std::chrono::steady_clock;
namespace sc = hal::regmap::sim_control;

// The loop keeps cycling this long after Fault or Complete, so c (3 s) is always observable.
constexpr Duration kLinger = seconds(5);
// Unit 247's own connections (truth, triggers): loopback answers in well under a millisecond.
constexpr Duration kUnitTimeout = milliseconds(20);
// The simulated patient tests the switch 0.5–2.5 s after the watchdog is armed: a session not
// started by then never will be (the loop is ended and the session reported as not run).
constexpr Micros kStartWithin = 15'000'000;
// Time after the protocol for pretension, a pause and the linger: the loop's own give-up.
constexpr Duration kLoopMargin = seconds(45);

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
      .count();
}

struct TruthSample {
  std::int64_t at_ns = 0; // midway between the request and its reply
  Force tension;
  bool torque = false;
};

// The simulator's truth every millisecond, on a thread and a connection of its own, so the
// control loop's timing is untouched by it.
class TruthSampler {
public:
  explicit TruthSampler(std::unique_ptr<hal::modbus::Link> link, std::size_t capacity)
      : link_(std::move(link)) {
    samples_.reserve(capacity);
    thread_ = std::thread([this] { run(); });
  }
  ~TruthSampler() { stop(); }
  TruthSampler(const TruthSampler &) = delete;
  TruthSampler &operator=(const TruthSampler &) = delete;

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // After stop().
  [[nodiscard]] const std::vector<TruthSample> &samples() const { return samples_; }
  [[nodiscard]] std::uint64_t failures() const { return failures_; }

private:
  void run() {
    // Real-time when permitted, below the loop (80) and tractus-sim (90): a sampler that falls
    // behind would check cycles against stale truth (the report shows the worst gap).
    sched_param param{};
    param.sched_priority = 70;
    (void)pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
    auto next = SteadyClock::now();
    std::uint16_t r[sc::kDriveFlags + 1];
    while (!stop_.load()) {
      next += std::chrono::milliseconds(1);
      const auto now = SteadyClock::now();
      if (next < now) next = now; // late: no catching up with back-to-back reads
      std::this_thread::sleep_until(next);
      const std::int64_t sent = steady_ns();
      if (link_->read(sc::kUnit, {0, sc::kDriveFlags + 1}, r) != hal::IoStatus::Ok) {
        ++failures_;
        continue;
      }
      TruthSample s;
      s.at_ns = sent + (steady_ns() - sent) / 2;
      s.tension =
          newtons(hal::regmap::get_i32(r + sc::kTrueTension, hal::regmap::WordOrder::HighFirst) *
                  sc::kTensionScale);
      s.torque = hal::regmap::bit(r[sc::kDriveFlags], sc::kFlagEnabled);
      samples_.push_back(s);
    }
  }

  std::unique_ptr<hal::modbus::Link> link_;
  std::vector<TruthSample> samples_;
  std::uint64_t failures_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// One control cycle as recorded by the loop's observer; checked after the session.
struct CycleRecord {
  Micros t = 0;           // the loop's time of the cycle
  std::int64_t at_ns = 0; // steady clock at its end (after the drive exchange)
  State state = State::Idle;
  controller::Outcome outcome = controller::Outcome::None;
  profiles::Phase phase = profiles::Phase::Done;
  hal::DriveCommand command;
  std::uint32_t first_event = 0;
  std::uint8_t event_count = 0;
};

std::unique_ptr<hal::modbus::Link> unit_link(std::uint16_t port, std::string &error) {
  auto link = hal::modbus::Link::tcp({"127.0.0.1", port});
  link->set_response_timeout(kUnitTimeout);
  if (const std::string e = link->connect(); !e.empty()) {
    error = "unit 247: " + e;
    return nullptr;
  }
  return link;
}

nlohmann::ordered_json journal_header(const SessionPlan &plan, const profiles::Profile &profile,
                                      const profiles::Trajectory &trajectory,
                                      const hal::Calibration &cal, const std::string &address) {
  nlohmann::ordered_json h;
  h["software_version"] = "tractus-campaign";
  h["profile"] = nlohmann::ordered_json::parse(profiles::to_json_text(profile));
  h["patient"] = {{"id", "campaign-" + std::to_string(plan.index)},
                  {"body_mass_kg", controller::journal_number(plan.body_mass.si(), 1)}};
  h["calibration"] = {{"id", cal.id}, {"source", cal.source}};
  h["table"] = {
      {"address", address},        {"simulated", true},           {"identified_as", "tractus-sim"},
      {"transport", "modbus-tcp"}, {"preset", plan.preset->name}, {"seed", plan.seed}};
  h["screening"] = {{"source", "simulator"}, {"confirmed", true}};
  h["campaign"] = {
      {"index", plan.index},
      {"fault", plan.kind.empty() ? "none" : plan.kind},
      {"target", to_string(plan.target)},
      {"at_s", controller::journal_number(plan.at.si(), 3)},
      // The profile above is the short form; the session runs it cut to this.
      {"protocol_duration_s", controller::journal_number(trajectory.total_duration().si(), 3)}};
  return h;
}

// Everything of a session that needs the simulator up; `report.error` says why not.
void run(const SessionPlan &plan, const profiles::Profile &profile,
         const profiles::Trajectory &trajectory, const ModbusSessionConfig &config, SimProcess &sim,
         SessionReport &report) {
  const KindRule *rule = plan.kind.empty() ? nullptr : find_wire_rule(plan.kind);
  const WireTrigger *trigger = plan.kind.empty() ? nullptr : find_wire_trigger(plan.kind);
  if (!plan.kind.empty() && rule == nullptr) {
    report.error = "no wire fault \"" + plan.kind + "\" (tests/campaign/wire_faults.cpp)";
    return;
  }

  // ---- the table, opened as `tractus run --table modbus-tcp://…` opens it (apps/bindings):
  // the session's lease arms the drive's watchdog ----
  const bindings::BindingMade made = bindings::make_table_binding(sim.address(), 1);
  if (!made) {
    report.error = made.error;
    return;
  }
  const console::TableBinding &binding = *made.value;
  if (!binding.simulated) {
    report.error = sim.address() + " is not tractus-sim";
    return;
  }
  // As tractus run: memory locked before the lease arms the drive's watchdog.
  const std::string memory = controller::lock_memory();
  console::LeaseOpen opened = binding.open(console::LeasePurpose::Session, plan.seed);
  if (!opened.lease) {
    report.error = opened.error;
    return;
  }
  console::TableLease &table = *opened.lease;
  const calibration::TreatmentCalibration calibration =
      table.calibration({}, 0, {}); // the factory's
  // The campaign's hands (triggers, from the loop thread between two cycles) and eyes (truth).
  std::unique_ptr<hal::modbus::Link> hands = unit_link(sim.port(), report.error);
  std::unique_ptr<hal::modbus::Link> eyes = unit_link(sim.port(), report.error);
  if (!hands || !eyes) return;

  controller::SessionInputs inputs;
  inputs.trajectory = &trajectory;
  inputs.region = profile.region;
  inputs.calibration = calibration.calibration;
  inputs.screening_confirmed = true; // the simulated patient counts as screened
  inputs.period = binding.period;
  const controller::SessionSetup setup = controller::session_setup(inputs);
  controller::Session session(setup);

  SessionChecker checker(limits_for(setup, trajectory), rule);

  controller::SessionStats stats;
  controller::LoopOptions loop = controller::loop_options_for(setup.period);
  loop.linger = kLinger;
  loop.give_up_after = trajectory.total_duration() + kLoopMargin;
  const std::unique_ptr<controller::Clock> clock = table.make_clock();
  controller::LoopRunner runner(table.table(), session, *clock, stats, loop);
  CampaignOperator op(plan);
  runner.set_operator(&op);

  const std::string id =
      "campaign-modbus-" + std::to_string(plan.campaign_seed) + "-" + std::to_string(plan.index);
  const std::filesystem::path file = config.journal_dir / (id + ".jsonl");
  std::filesystem::remove(file); // this campaign's own name: a replay overwrites it
  std::optional<controller::Journal> journal;
  journal.emplace(config.journal_dir, id,
                  journal_header(plan, profile, trajectory, setup.calibration, sim.address()));
  runner.set_journal(&*journal);

  // ---- the observer: records every cycle, and injects the planned fault ----
  const auto capacity =
      static_cast<std::size_t>((loop.give_up_after + seconds(20)).si() / setup.period.si());
  std::vector<CycleRecord> cycles;
  cycles.reserve(capacity);
  std::vector<controller::Event> events;
  events.reserve(4096);
  bool triggered = plan.kind.empty();
  std::optional<std::size_t> trigger_after; // the cycle after which the fault was put in
  std::string trigger_error;
  FaultMoment moment(plan);
  bool abandoned = false;
  runner.set_output_observer([&](const controller::CycleOutput &out) {
    const Micros t = op.last_now;
    CycleRecord c{t,
                  steady_ns(),
                  out.state,
                  out.outcome,
                  out.phase,
                  out.command,
                  static_cast<std::uint32_t>(events.size()),
                  out.event_count};
    events.insert(events.end(), out.events.begin(), out.events.begin() + out.event_count);
    cycles.push_back(c);
    if (!op.started() && t > kStartWithin && !abandoned) {
      abandoned = true;
      runner.request_stop(); // ends the loop: nothing has started
    }
    if (triggered || !controller::is_active(out.state) || out.outcome != controller::Outcome::None)
      return;
    // When the plan's moment has come, as in-process (campaign.cpp, run_session).
    if (!moment.due(t, out)) return;
    triggered = true;
    trigger_after = cycles.size() - 1;
    if (trigger == nullptr) {
      op.stop_at = t + 1; // operator-stop: the operator presses it in the next cycle
      return;
    }
    // Written and acknowledged before the next cycle's reads are sent: that cycle is the
    // first that can see it.
    const std::int64_t before = steady_ns();
    const std::uint16_t value = trigger->value;
    if (hands->write(sc::kUnit, {trigger->address, 1}, &value) != hal::IoStatus::Ok)
      trigger_error = std::string("the trigger write failed: ") + hands->last_error();
    report.live.trigger_write = (steady_ns() - before) / 1000;
  });

  // ---- run: the truth sampler first, so every cycle has a sample near it ----
  auto sampler = std::make_unique<TruthSampler>(std::move(eyes), capacity);
  const auto wall_start = SteadyClock::now();
  controller::LoopReport loop_report;
  std::string scheduling;
  std::thread loop_thread([&] {
    scheduling = controller::realtime_thread(80) + ", " + memory; // as tractus run's loop
    table.before_first_cycle();
    loop_report = runner.run();
  });
  loop_thread.join();
  sampler->stop();
  report.live.wall_seconds = std::chrono::duration<double>(SteadyClock::now() - wall_start).count();
  report.live.overruns = loop_report.overruns;
  report.live.worst_lateness = sim::to_micros(loop_report.worst_lateness);
  report.live.truth_samples = sampler->samples().size();
  report.live.truth_failures = sampler->failures();
  report.live.cycles = loop_report.cycles;
  report.live.scheduling = scheduling;
  journal->finish(
      {{"outcome", controller::to_string(loop_report.last.outcome)},
       {"fault", controller::number(loop_report.last.fault)},
       {"cycles", loop_report.cycles},
       {"overruns", loop_report.overruns},
       {"worst_lateness_ms", controller::journal_number(loop_report.worst_lateness.si() * 1e3, 3)},
       {"scheduling", scheduling}});
  journal.reset();
  if (abandoned) {
    report.error = "the session did not start within 15 s (press test not passed?)";
    return;
  }
  if (!trigger_error.empty()) {
    report.error = trigger_error;
    return;
  }
  const std::vector<TruthSample> &truth = sampler->samples();
  if (truth.empty()) {
    report.error = "no truth sample could be read from unit 247";
    return;
  }

  // ---- the check: each cycle with the truth sample nearest to it ----
  std::size_t j = 0;
  for (std::size_t k = 0; k < cycles.size(); ++k) {
    const CycleRecord &c = cycles[k];
    if (k > 0 && c.t - cycles[k - 1].t > report.live.longest_cycle) {
      report.live.longest_cycle = c.t - cycles[k - 1].t;
      report.live.longest_cycle_at = c.t;
      report.live.longest_cycle_state = controller::to_string(cycles[k - 1].state);
    }
    while (j + 1 < truth.size() &&
           std::llabs(truth[j + 1].at_ns - c.at_ns) <= std::llabs(truth[j].at_ns - c.at_ns))
      ++j;
    report.live.worst_truth_gap =
        std::max<Micros>(report.live.worst_truth_gap, std::llabs(truth[j].at_ns - c.at_ns) / 1000);
    if (trigger_after && *trigger_after == k && k + 1 < cycles.size())
      checker.injected(cycles[k + 1].t);
    Observation o;
    o.t = c.t;
    o.true_force = truth[j].tension;
    o.torque = truth[j].torque;
    o.state = c.state;
    o.outcome = c.outcome;
    o.phase = c.phase;
    o.command = c.command;
    o.events = std::span<const controller::Event>(events.data() + c.first_event, c.event_count);
    checker.observe(o);
  }
  checker.end_of_trace();
  checker.check_journal(controller::read_journal(file));
  report.verdict = checker.verdict();
  report.restart_requests = op.restart_requests;
  if (config.keep_journal || report.flagged())
    report.journal = file;
  else
    std::filesystem::remove(file);
}

} // namespace

SessionReport run_modbus_session(const SessionPlan &plan, const profiles::Profile &profile,
                                 const profiles::Trajectory &trajectory,
                                 const ModbusSessionConfig &config) {
  SessionReport report;
  report.plan = plan;
  try {
    SimProcess sim(
        config.tractus_sim, config.work_dir, "sim-" + std::to_string(plan.index),
        {"--patient", std::string(plan.preset->name), "--seed", std::to_string(plan.seed)});
    run(plan, profile, trajectory, config, sim, report);
    if (!report.error.empty()) report.error += "; tractus-sim said: " + sim.log(600);
  } catch (const std::exception &e) {
    report.error = e.what();
  }
  return report;
}

} // namespace tractus::campaign
