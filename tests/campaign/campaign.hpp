// The randomized safety fault campaign: many simulated sessions, each with a random stock
// protocol, a patient who suits it, one random fault (or none) at a random moment, checked
// against the invariants of invariants.hpp on the simulator's truth.
//
//   CampaignOptions o;  o.sessions = 5000;  o.seed = 1;
//   CampaignResult r = run_campaign(o);     // sessions run on o.jobs threads
//   std::cout << format_report(r);          // the table of docs/safety/campaign.md
//
// Every session is fixed by (campaign seed, session index): the same pair replays it bit for
// bit (`tractus-campaign --seed S --only I --keep-journals`), whatever the number of jobs.
// Sessions run as `tractus run --table sim` would (press test at 500 ms, drive watchdog 100 ms,
// the simulator's factory calibration), through the same LoopRunner, Session and Journal, on a
// virtual clock. The stock protocols are shortened (session_length) so a campaign of thousands
// of sessions stays short; their forces, ramps, holds and rests are unchanged.
#pragma once

#include "invariants.hpp"

#include "controller/slip_pay_out.hpp"

#include "profiles/profile.hpp"
#include "profiles/trajectory.hpp"
#include "sim/patient_preset.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tractus::campaign {

// Where the sessions run: the in-process simulator on a virtual clock (thousands of sessions
// in minutes), or a tractus-sim process through real Modbus TCP in real time
// (modbus_session.hpp; short protocols, sessions one after the other).
enum class TableKind : std::uint8_t { InProcess, ModbusTcp };

struct CampaignOptions {
  TableKind table = TableKind::InProcess;
  std::uint64_t sessions = 200;
  std::uint64_t seed = 1;
  int jobs = 2;
  // Where journals are written; default a new directory under the system's temp directory,
  // removed at the end unless a journal is kept.
  std::optional<std::filesystem::path> journal_dir;
  // Keep every journal (otherwise only those of sessions with a violation or a pending miss).
  bool keep_journals = false;
  // Stock protocols are shortened to this duration (a protocol whose steps need longer gets the
  // next whole minute that fits); zero runs the stock durations.
  Duration session_length = minutes(4);
  double no_fault_share = 0.15;
  // Run only this session index (a replay); the plan is the one the full campaign would draw.
  std::optional<std::uint64_t> only;
  // Draw faults only from these kinds (empty: every sim::injection_kinds() kind + operator-stop).
  std::vector<std::string> kinds;
  // Called after each session (from worker threads, serialised): sessions done, total.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  // Modbus: each protocol's short form is cut after this much treatment (short_protocols.hpp).
  Duration treatment = seconds(20);
  // Modbus: the tractus-sim binary.
  std::filesystem::path tractus_sim;
  // The controller's answer to a sudden loss of force (305): its default, or another one to
  // compare the recoil after a harness slip (hazard H3).
  controller::SlipResponse slip_response = controller::SlipPayOutParams{}.response;
};

// When, in the session, the planned event is placed.
// Paused: the operator pauses at a random protocol time and resumes after `pause_for`; the
// event lands during the pause.
enum class Target : std::uint8_t { Pretension, Ramp, Hold, Rest, Release, Paused };
std::string_view to_string(Target t);

struct SessionPlan {
  std::uint64_t campaign_seed = 0;
  std::uint64_t index = 0;
  std::uint64_t seed = 0; // the simulator's seed
  std::string profile;    // stock id
  Duration duration;      // the protocol's duration as run (shortened)
  const sim::PatientPreset *preset = nullptr;
  Mass body_mass;
  std::string kind; // injection kind or "operator-stop"; empty: no fault
  Target target = Target::Hold;
  // Protocol time of the event; for Pretension and Paused, the time after entering that state.
  Duration at;
  Duration pause_at;  // Paused: protocol time of the operator's pause
  Duration pause_for; // Paused: how long the operator keeps it paused
  controller::SlipResponse slip_response = controller::SlipPayOutParams{}.response;
};

// How a real-time session over Modbus ran (all zero in-process).
struct LiveFigures {
  std::uint64_t cycles = 0;
  std::uint64_t overruns = 0;            // cycles that started more than one period late
  Micros worst_lateness = 0;             // the latest a cycle started after its deadline
  Micros longest_cycle = 0;              // the longest time between two cycles' starts,
  Micros longest_cycle_at = 0;           // and the loop time of the later one,
  const char *longest_cycle_state = "-"; // and the state the session was in before it
  Micros worst_truth_gap = 0;            // a cycle's time to the truth sample it was checked with
  std::uint64_t truth_samples = 0;
  std::uint64_t truth_failures = 0; // unit-247 reads that failed (the sample is skipped)
  Micros trigger_write = 0;         // the fault's unit-247 write, between two cycles
  double wall_seconds = 0;
  std::string scheduling; // what the loop thread got (controller::enable_realtime)
};

struct SessionReport {
  SessionPlan plan;
  LiveFigures live;
  SessionVerdict verdict;
  std::uint64_t restart_requests = 0; // start requests sent after a fault, stop or the end
  std::filesystem::path journal;      // kept journal, empty if removed
  std::string error;                  // the session could not run (counted as a failure)
  [[nodiscard]] bool flagged() const;
};

struct KindRow {
  std::string kind; // "none" for sessions with no fault
  const KindRule *rule = nullptr;
  std::uint64_t runs = 0;
  std::uint64_t injected = 0;           // took effect while the session was active
  std::uint64_t required = 0;           // injected where its documented monitor must answer
  std::uint64_t detected = 0;           // answered within the bound
  std::uint64_t ended = 0;              // the session ended (Complete) within the bound, unanswered
  std::uint64_t pending = 0;            // missed, monitor not implemented yet (not counted in b)
  std::map<int, std::uint64_t> answers; // first fault/stop code after the injection
  std::optional<Micros> worst_latency;  // over answered injections
  std::optional<std::uint64_t> worst_latency_cycles; // the same in loop cycles
  std::optional<Micros> worst_release;               // first fault/stop → true force released (c)
  std::optional<Micros> worst_torque_off;            // first fault → drive really without torque
  std::optional<Force> worst_after_3s;               // true force 3 s after the first fault/stop
  std::optional<Force> worst_excess; // max(true force − min(highest setpoint, caps))
  double worst_excess_percent = 0;
  std::array<std::uint64_t, kInvariantCount> violations{};
};

// The recoil after a harness slip answered by 305 (hazard H3): the highest true force from the
// fault on, whether the drive held torque or not, against the force just before the slip.
struct RecoilFigures {
  std::uint64_t slips = 0;              // harness slips answered by 305
  std::uint64_t above_before = 0;       // the recoil went above the force before the slip
  std::uint64_t above_limit = 0;        // … above a's limit (min(highest setpoint, caps) + 5 %)
  Force worst_peak;                     // the highest recoil peak,
  std::uint64_t worst_peak_session = 0; // in this session,
  Force worst_peak_before;              // with this force before the slip,
  Force worst_peak_limit;               // and a's limit there
  double worst_ratio = 0;               // the highest peak / force before the slip,
  std::uint64_t worst_ratio_session = 0;
};

struct CampaignResult {
  TableKind table = TableKind::InProcess;
  controller::SlipResponse slip_response = controller::SlipPayOutParams{}.response;
  RecoilFigures recoil;
  Duration treatment; // Modbus: where the short protocols are cut
  std::uint64_t sessions = 0;
  std::uint64_t seed = 0;
  int jobs = 0;
  Duration session_length;
  std::vector<std::string> kinds;                          // the restriction, if any
  std::vector<std::pair<std::string, Duration>> durations; // each protocol's duration as run
  std::vector<KindRow> rows; // every kind in kind_rules() order, then "none"
  std::array<std::uint64_t, kInvariantCount> violations{}; // sessions violating each invariant
  std::uint64_t pending_misses = 0;
  // Worst true-force excess over min(highest setpoint, caps) with the drive able to pull, in
  // newtons and in percent (each with its session index).
  Force worst_excess = newtons(-1e9);
  std::uint64_t worst_excess_session = 0;
  double worst_excess_percent = -1e9;
  std::uint64_t worst_excess_percent_session = 0;
  std::uint64_t plant_excess = 0; // sessions over a's limit with the drive unpowered (not in a)
  Force plant_excess_worst;
  std::uint64_t errors = 0;
  std::map<std::string, std::uint64_t> phases; // injections by phase
  // Faults and stops with no campaign event behind them (before the event or without one).
  std::map<int, std::uint64_t> unprovoked;
  std::map<int, std::vector<SessionReport>> unprovoked_sessions; // the first few of each code
  std::uint64_t restart_requests = 0;
  std::vector<SessionReport> flagged; // violations, pending misses and errors, by index
  double wall_seconds = 0;
  double simulated_seconds = 0;
  // Modbus: the worst of each live figure over the sessions (overruns and samples summed).
  LiveFigures live;
  std::uint64_t longest_cycle_session = 0;
  double longest_session_s = 0;
  std::filesystem::path journal_dir;
  [[nodiscard]] std::uint64_t total_violations() const;
};

// The campaign's protocols: the stock library, shortened to options.session_length (or, over
// Modbus, their short forms: short_protocols.hpp).
struct CampaignProfile {
  profiles::Profile profile;
  Duration stock_duration;
};
std::vector<CampaignProfile> campaign_profiles(Duration session_length);
std::vector<CampaignProfile> campaign_profiles(const CampaignOptions &options);

// The trajectory a session runs: the profile compiled for the patient, or over Modbus its short
// form cut after options.treatment. Empty if the protocol does not compile for this patient.
std::optional<profiles::Trajectory> session_trajectory(const profiles::Profile &profile,
                                                       Mass body_mass,
                                                       const CampaignOptions &options);

// The fault kinds a campaign draws from (options.kinds, else every kind of its table: the
// simulator's injections and the operator's stop, or over Modbus the wire faults). Throws
// std::invalid_argument naming a kind the table does not have.
std::vector<std::string> campaign_kinds(const CampaignOptions &options);

// The plan of session `index` (pure: depends only on the arguments; campaign_plan.cpp).
SessionPlan plan_session(const std::vector<CampaignProfile> &profiles,
                         const CampaignOptions &options, std::uint64_t index);

// Runs one planned session and checks it. Journals go to `journal_dir`.
SessionReport run_session(const SessionPlan &plan, const profiles::Profile &profile,
                          const std::filesystem::path &journal_dir, bool keep_journal);

CampaignResult run_campaign(const CampaignOptions &options);

// The table and the list of flagged sessions (at most `max_listed`, with their replay command).
std::string format_report(const CampaignResult &result, std::size_t max_listed = 25);

} // namespace tractus::campaign
