#include "console/table_service.hpp"

#include "console/calibration_wizard.hpp"
#include "console/diagnostics.hpp"
#include "console/journal_index.hpp"
#include "console/live_session.hpp"
#include "console/loop_bridge.hpp"
#include "console/profile_catalog.hpp"
#include "console/records_indexer.hpp"
#include "console/records_service.hpp"
#include "console/screening.hpp"
#include "console/session_request.hpp"
#include "console/telemetry_channel.hpp"
#include "controller/journal_room.hpp"
#include "controller/journal_text.hpp"

#include <chrono>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace tractus::console {

namespace {

// The service's own frame while no loop runs: the page still sees the table and its kind.
TelemetryFrame idle_frame(bool simulated, std::uint64_t seq) noexcept {
  TelemetryFrame f;
  f.seq = seq;
  f.wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  f.simulated = simulated;
  f.loop_running = false;
  return f;
}

constexpr auto kIdleFrameEvery = std::chrono::milliseconds(200); // 5 Hz

} // namespace

struct TableService::Impl {
  Impl(TableBinding b, ServiceOptions o)
      : binding(std::move(b)), options(std::move(o)), journals(options.journal_dir),
        wizard(options.calibration_store, binding.simulated),
        records(RecordsOptions{options.records, options.table_name, options.limits,
                               options.library_dir, options.records_limits_copy}),
        next_seed(options.seed),
        // A session cut short by a crash before this start is the last one: said at once.
        last_session(journals.newest_outcome()) {
    if (options.records)
      indexer = std::make_unique<RecordsIndexer>(*options.records, options.journal_dir,
                                                 options.table_name);
  }

  // Ends a session whose loop has ended: keeps how it ended and its timing. Caller holds mutex.
  void reap() {
    if (!live || !live->finished()) return;
    last_session = live->outcome();
    const auto &p = live->runner().progress();
    last_timing = LoopTiming{binding.period, p.cycles.load(), p.overruns.load(),
                             Duration(p.worst_lateness.load()), live->runner().lateness()};
    live.reset();
  }
  // Where a protocol id that is no stock protocol is looked for: the clinic's own.
  FindClinicProtocol clinic_finder() {
    if (!records.enabled()) return {};
    return [this](const std::string &id) { return records.find_clinic_protocol(id); };
  }
  [[nodiscard]] bool loop_running() const noexcept {
    return mailbox.running.load(std::memory_order_acquire);
  }
  ApiResult refuse_during_session(const char *what) const {
    return api_error(409, "busy",
                     std::string(what) + " is not possible while a session is loaded (" +
                         live->id() + "): finish or unload it first");
  }

  TableBinding binding;
  ServiceOptions options;
  TelemetryChannel channel;
  LoopMailbox mailbox;
  JournalIndex journals;

  // Worker side only (never the loop thread, never the I/O thread).
  std::mutex mutex;
  CalibrationWizard wizard;
  RecordsService records;
  std::unique_ptr<RecordsIndexer> indexer; // none when no records are kept
  std::unique_ptr<LiveSession> live;
  std::uint64_t next_seed;
  nlohmann::json last_session; // how the previous session ended
  std::optional<LoopTiming> last_timing;

  // drain_telemetry's consumer thread only.
  std::chrono::steady_clock::time_point next_idle_frame{};
};

TableService::TableService(TableBinding binding, ServiceOptions options) {
  if (!binding.open) throw std::invalid_argument("TableService: the table binding cannot open");
  impl_ = std::make_unique<Impl>(std::move(binding), std::move(options));
}

TableService::~TableService() {
  const std::lock_guard lock(impl_->mutex);
  impl_->live.reset(); // controlled release if active, loop awaited and joined
  impl_->wizard.cancel();
}

nlohmann::json TableService::info() const {
  return {{"software_version", TRACTUS_VERSION},
          {"table", impl_->binding.address},
          {"simulated", impl_->binding.simulated},
          {"period_ms", impl_->binding.period.si() * 1e3},
          {"display_units",
           {{"force", impl_->options.force_unit}, {"weight", impl_->options.weight_unit}}},
          {"language", impl_->options.language}};
}

ApiResult TableService::profiles() const {
  std::string unavailable;
  const auto clinic = impl_->records.listed_clinic_protocols(unavailable);
  const LimitsInForce limits = impl_->records.limits_in_force();
  ApiResult list = profile_list(impl_->options.library_dir, limits.limits, clinic, unavailable);
  if (!limits.unknown.empty()) {
    // Listed, so the operator sees what is there, but none can be chosen: see why.
    for (auto &item : list.body["profiles"]) {
      item["allowed"] = false;
      item["refused"] = nlohmann::json::array({limits.unknown});
    }
    list.body["limits_unknown"] = limits.unknown;
  }
  return list;
}

ApiResult TableService::preview(const std::string &id, const std::string &weight) const {
  const LimitsInForce limits = impl_->records.limits_in_force();
  if (!limits.unknown.empty()) return impl_->records.limits_unknown(limits.unknown);
  return profile_preview(impl_->options.library_dir, id, weight, limits.limits,
                         impl_->clinic_finder());
}

nlohmann::json TableService::screening_checklist() const { return screening_checklist_json(); }

ApiResult TableService::load_session(const nlohmann::json &request) {
  Impl &m = *impl_;
  const std::lock_guard lock(m.mutex);
  m.reap();
  if (m.live)
    return api_error(409, "busy",
                     "a session is loaded (" + m.live->id() + "): finish or unload it first");
  if (m.wizard.active())
    return api_error(409, "busy", "a calibration is under way: finish or cancel it first");

  // A course visit's session: the visit's force, from the records (refused with 120 when the
  // store cannot be used: the force to pull is not known then).
  std::optional<VisitForSession> visit;
  if (request.is_object() && request.contains("visit_id") &&
      request["visit_id"].is_number_integer() && request["visit_id"].get<long long>() >= 1) {
    auto found = m.records.visit_for_session(request["visit_id"].get<long long>());
    if (auto *refusal = std::get_if<ApiResult>(&found)) return *refusal;
    visit = std::get<VisitForSession>(found);
  }
  // The limits in force now (this table's and the clinic's, docs/records.md), read once so
  // the check, the compile and the running session see the same.
  const LimitsInForce in_force = m.records.limits_in_force();
  if (!in_force.unknown.empty())
    return m.records.limits_unknown("the session was not loaded: " + in_force.unknown);
  const profiles::Limits &limits = in_force.limits;
  SessionRequestCheck check = check_session_request(
      request, m.options.library_dir, limits,
      visit ? std::optional<Force>(newtons(visit->confirmed_force_n)) : std::nullopt,
      m.clinic_finder());
  if (!check.records_unavailable.empty()) {
    ApiResult refused = api_error(503, "records-unavailable",
                                  "the session was not loaded: " + check.problems.front());
    refused.body["error"]["fault_code"] =
        controller::number(controller::FaultCode::RecordsUnavailable);
    return refused;
  }
  if (visit && check.request) {
    std::vector<std::string> problems;
    if (check.request->profile.id != visit->protocol_id)
      problems.push_back("/profile: visit " + std::to_string(visit->number) + " of course " +
                         std::to_string(visit->course_id) + " runs " + visit->protocol_id +
                         ", not " + check.request->profile.id);
    // A later version of a clinic protocol may name another region than the course was
    // planned (and its forces checked) for: refused, never run under the other region's caps.
    if (std::string(profiles::to_string(check.request->profile.region)) != visit->region)
      problems.push_back("/profile: " + visit->protocol_id + " is now a " +
                         std::string(profiles::to_string(check.request->profile.region)) +
                         " protocol, and course " + std::to_string(visit->course_id) +
                         " was planned for the " + visit->region + " spine");
    if (check.request->patient_id != visit->patient_id)
      problems.push_back("/patient/id: visit " + std::to_string(visit->number) + " of course " +
                         std::to_string(visit->course_id) + " is another patient's");
    if (!problems.empty())
      return api_error(422, "invalid", "the session was not loaded: " + problems.front(), problems);
  }
  if (!check.screening_yes.empty()) {
    std::vector<std::string> problems = check.screening_yes;
    problems.insert(problems.end(), check.problems.begin(), check.problems.end());
    return api_error(422, "screening-failed",
                     "the screening found a contraindication or a red flag: no session; refer "
                     "the patient",
                     problems);
  }
  if (!check.request)
    return api_error(422, "invalid", "the session was not loaded: " + check.problems.front(),
                     check.problems);

  // Room for the whole session's journal (a loaded session may wait 30 min in Ready): refused
  // with 118 before a lease or a file exists (docs/journal.md).
  if (const auto room = controller::check_room_for_session(
          m.options.journal_dir, check.request->trajectory.total_duration(), minutes(30));
      !room.ok()) {
    ApiResult refused =
        api_error(507, "journal-no-room", "the session was not loaded: " + room.problem);
    refused.body["error"]["fault_code"] = controller::number(controller::FaultCode::JournalNoRoom);
    return refused;
  }
  LeaseOpen opened = m.binding.open(LeasePurpose::Session, m.next_seed);
  if (!opened.lease) return api_error(503, "table-unavailable", opened.error);
  ++m.next_seed;
  LiveSessionSpec spec;
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  spec.session_id = controller::new_session_id(check.request->profile.id, now);
  // The visit is this session's from now: no other table or session can load it meanwhile.
  if (visit) {
    if (auto refusal = m.records.reserve_visit(visit->visit_id, spec.session_id)) return *refusal;
  }
  spec.journal_dir = m.options.journal_dir;
  calibration::TreatmentCalibration calibration =
      opened.lease->calibration(m.options.calibration_store, now, m.options.daily_verification);
  calibration::require_coverage(calibration, check.request->trajectory.peak_force(),
                                m.options.calibration_store);
  spec.calibration = std::move(calibration.calibration);
  if (!spec.calibration) spec.calibration_problem = calibration.error + "; " + calibration.way_out;
  spec.simulated = m.binding.simulated;
  spec.period = m.binding.period;
  spec.limits = limits;
  if (visit)
    spec.visit = {{"course_id", visit->course_id},
                  {"visit_id", visit->visit_id},
                  {"number", visit->number},
                  {"proposed_force_n", visit->proposed_force_n},
                  {"confirmed_force_n", visit->confirmed_force_n}};
  if (m.indexer) spec.on_finished = [indexer = m.indexer.get()] { indexer->poke(); };
  const std::uint64_t first_seq = m.channel.next_seq();
  try {
    m.live = std::make_unique<LiveSession>(std::move(opened.lease), std::move(*check.request), spec,
                                           m.mailbox, m.channel);
  } catch (const std::exception &e) {
    if (visit) m.records.release_visit(visit->visit_id, spec.session_id);
    return api_error(500, "internal", std::string("the session was not loaded: ") + e.what());
  }
  // Answer once the new loop has published its first frame, so that neither GET /api/state nor
  // a start sent right after this answer acts on the previous session's last frame. The loop
  // publishes on its first cycle's events; 1 s is far beyond any start-up seen.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  LiveSnapshot snapshot;
  while (!(m.channel.latest.load(snapshot) && snapshot.frame.seq >= first_seq) &&
         std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return api_ok({{"session", m.live->description()}}, 201);
}

ApiResult TableService::unload_session() {
  Impl &m = *impl_;
  const std::lock_guard lock(m.mutex);
  m.reap();
  if (!m.live) return api_error(409, "no-session", "no session is loaded");
  const auto state = static_cast<controller::State>(m.mailbox.state.load());
  if (state != controller::State::Ready && state != controller::State::Idle)
    return api_error(409, "busy",
                     std::string("the session is ") + controller::to_string(state) +
                         (controller::is_active(state)
                              ? ": stop it first"
                              : ": acknowledge it first (its end needs the operator's "
                                "acknowledgement)"));
  m.live->request_stop();
  m.live->wait_finished(std::chrono::seconds(5));
  m.reap();
  if (m.live) return api_error(500, "internal", "the session's loop did not end within 5 s");
  return api_ok({{"unloaded", true}, {"session", m.last_session}});
}

bool TableService::session_under_way() const noexcept {
  const auto state = static_cast<controller::State>(impl_->mailbox.state.load());
  return impl_->loop_running() && state != controller::State::Idle &&
         state != controller::State::Ready;
}

TableService::LoopHeartbeat TableService::loop_heartbeat() const noexcept {
  return {impl_->loop_running(), impl_->mailbox.last_cycle_ns.load(std::memory_order_relaxed)};
}

ApiResult TableService::command(OperatorCommand c, std::string_view shown_session) noexcept {
  Impl &m = *impl_;
  // Stop only ever makes the table safer: accepted whether or not anything runs.
  if (c == OperatorCommand::Stop) {
    if (m.loop_running()) m.mailbox.post(c);
    return api_ok({{"accepted", true}}, 202);
  }
  if (!m.loop_running()) return api_error(409, "no-session", "no session is loaded");
  const auto state = static_cast<controller::State>(m.mailbox.state.load());
  if (c == OperatorCommand::Start && state != controller::State::Ready)
    return api_error(409, "busy",
                     std::string("the session cannot start: it is ") +
                         controller::to_string(state));
  if (shown_session.empty())
    m.mailbox.post(c);
  else if (!m.mailbox.post_for(c, session_key_of(shown_session)))
    return api_error(409, "other-session",
                     "the table's session is no longer " + std::string(shown_session) +
                         " (another console loaded another): nothing was sent.");
  return api_ok({{"accepted", true}}, 202);
}

nlohmann::json TableService::state() const {
  Impl &m = *impl_;
  const std::lock_guard lock(m.mutex);
  m.reap();
  LiveSnapshot snapshot;
  const bool live_frame = m.live && m.channel.latest.load(snapshot) && m.loop_running();
  const TelemetryFrame frame = live_frame ? snapshot.frame : idle_frame(m.binding.simulated, 0);
  return {{"frame", to_json(frame)},
          {"session", m.live ? m.live->description() : nlohmann::json()},
          {"last_session", m.last_session},
          {"calibration_under_way", m.wizard.active()},
          {"table", {{"address", m.binding.address}, {"simulated", m.binding.simulated}}}};
}

// The loaded session's journal has no summary yet: in progress, not interrupted.
std::string TableService::live_id() const {
  const std::lock_guard lock(impl_->mutex);
  impl_->reap();
  return impl_->live ? impl_->live->id() : std::string();
}

ApiResult TableService::sessions() const { return impl_->journals.list(live_id()); }
ApiResult TableService::session(const std::string &id) const {
  return impl_->journals.one(id, live_id());
}
ApiResult TableService::fault_history() const { return impl_->journals.faults(live_id()); }

ApiResult TableService::diagnostics() const {
  Impl &m = *impl_;
  const std::lock_guard lock(m.mutex);
  m.reap();
  nlohmann::json body = {
      {"table",
       {{"address", m.binding.address},
        {"simulated", m.binding.simulated},
        {"period_ms", m.binding.period.si() * 1e3}}},
      {"modbus", m.binding.link_statistics ? m.binding.link_statistics() : nlohmann::json()},
      {"telemetry_frames_dropped", m.channel.dropped()}};
  LiveSnapshot snapshot;
  if (m.live) {
    // The loop owns the devices (one context per thread): show what it last published.
    if (m.channel.latest.load(snapshot)) body["devices"] = devices_json(snapshot.readings);
    body["devices_source"] = "published by the control loop";
    const auto &p = m.live->runner().progress();
    body["loop"] =
        timing_json(LoopTiming{m.binding.period, p.cycles.load(), p.overruns.load(),
                               Duration(p.worst_lateness.load()), m.live->runner().lateness()});
    body["loop_of"] = m.live->id();
    return api_ok(std::move(body));
  }
  if (TableLease *held = m.wizard.lease()) {
    body["devices"] = devices_json(read_devices(held->table()));
    body["devices_source"] = "read now (the calibration holds the table)";
  } else {
    LeaseOpen opened = m.binding.open(LeasePurpose::Diagnostics, m.options.seed);
    if (opened.lease) {
      body["devices"] = devices_json(read_devices(opened.lease->table()));
      body["devices_source"] = "read now";
    } else {
      body["devices"] = nullptr;
      body["devices_error"] = opened.error;
    }
  }
  body["loop"] = m.last_timing ? timing_json(*m.last_timing) : nlohmann::json();
  if (m.last_timing) body["loop_of"] = m.last_session.value("id", "");
  return api_ok(std::move(body));
}

ApiResult TableService::calibration_status() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->wizard.status();
}

ApiResult TableService::calibration_begin(const nlohmann::json &request) {
  Impl &m = *impl_;
  const std::lock_guard lock(m.mutex);
  m.reap();
  if (m.live) return m.refuse_during_session("calibrating");
  return m.wizard.begin(request,
                        [&m] { return m.binding.open(LeasePurpose::Calibration, m.options.seed); });
}

ApiResult TableService::calibration_reading(const nlohmann::json &request) {
  const std::lock_guard lock(impl_->mutex);
  return impl_->wizard.reading(request);
}

ApiResult TableService::calibration_finish() {
  const std::lock_guard lock(impl_->mutex);
  return impl_->wizard.finish();
}

ApiResult TableService::calibration_install() {
  const std::lock_guard lock(impl_->mutex);
  return impl_->wizard.install();
}

ApiResult TableService::calibration_cancel() {
  const std::lock_guard lock(impl_->mutex);
  return impl_->wizard.cancel();
}

ApiResult TableService::verification(const nlohmann::json &request) {
  Impl &m = *impl_;
  const std::lock_guard lock(m.mutex);
  m.reap();
  if (m.live) return m.refuse_during_session("the daily verification");
  if (m.wizard.active())
    return api_error(409, "busy", "a calibration is under way: finish or cancel it first");
  LeaseOpen opened = m.binding.open(LeasePurpose::Calibration, m.options.seed);
  if (!opened.lease) return api_error(503, "table-unavailable", opened.error);
  return m.wizard.verify(request, *opened.lease);
}

std::size_t TableService::drain_telemetry(TelemetryFrame *out, std::size_t max) noexcept {
  Impl &m = *impl_;
  if (max == 0) return 0;
  // Read before popping: once no loop runs, every frame it published is already in the queue,
  // so an idle frame never overtakes (in sequence) a loop frame still waiting.
  const bool running = m.loop_running();
  const std::size_t n = m.channel.pop(out, max);
  if (n > 0 || running) return n;
  const auto now = std::chrono::steady_clock::now();
  if (now < m.next_idle_frame) return 0;
  m.next_idle_frame = now + kIdleFrameEvery;
  const std::uint64_t seq = m.channel.take_seq();
  // A loop that started meanwhile may already have published a lower number that is still in
  // the queue: the idle frame would overtake it, so it is not sent (its number is a gap).
  if (m.loop_running()) return 0;
  out[0] = idle_frame(m.binding.simulated, seq);
  return 1;
}

RecordsService &TableService::records() { return impl_->records; }

} // namespace tractus::console
