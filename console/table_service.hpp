// The table as the console sees it: one object that owns the control loop's thread, takes the
// operator's and technician's requests, and publishes telemetry (DESIGN §7).
//
// Every request that changes the table goes through the supervisor (controller::Session): the
// service only loads a session (profile + patient + screening, validated here first) and passes
// start / pause / resume / stop / acknowledge to the loop as one-cycle edges. The loop never
// waits for the console: requests reach it through atomics, telemetry leaves it through a
// lock-free queue that drops frames rather than block when the console is slow.
//
// Threads: `command()` and `drain_telemetry()` are lock-free and may be called from the HTTP
// server's I/O thread. Every other member may block (file reads, a stable load-cell reading)
// and is called from one worker thread, never from the I/O thread.
#pragma once

#include "calibration/verification_policy.hpp"
#include "console/api_result.hpp"
#include "console/operator_command.hpp"
#include "console/table_binding.hpp"
#include "console/telemetry.hpp"
#include "profiles/library.hpp"
#include "records/store_address.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace tractus::console {

struct ServiceOptions {
  std::filesystem::path journal_dir = "sessions";          // session journals (past sessions)
  std::filesystem::path calibration_store = "calibration"; // the calibration store
  std::uint64_t seed = 1;                                  // simulator seed of the first session
  std::filesystem::path library_dir = profiles::default_library_dir(); // the stock protocols
  // The clinic's settings (docs/configuration.md): the limits every protocol is checked and
  // compiled against, its daily-verification policy, and the page's default units.
  profiles::Limits limits = profiles::kDefaultLimits;
  calibration::VerificationPolicy daily_verification;
  std::string force_unit = "N";   // N, lbf or kgf
  std::string weight_unit = "kg"; // kg or lb
  std::string language = "en";
  // The clinic's records (docs/records.md): none keeps none. This table's name in them.
  std::optional<records::StoreAddress> records;
  std::string table_name = "table";
  // Where the clinic's limits last read from the store are kept (docs/records.md).
  std::filesystem::path records_limits_copy;
};

class RecordsService;

class TableService {
public:
  TableService(TableBinding binding, ServiceOptions options);
  ~TableService(); // an active session is stopped (controlled release) and the loop joined
  TableService(const TableService &) = delete;
  TableService &operator=(const TableService &) = delete;

  // GET /api/info: software version, table address, simulated or not, and the clinic's
  // defaults for the page: "display_units" {"force","weight"} and "language".
  [[nodiscard]] nlohmann::json info() const;
  // GET /api/profiles and GET /api/profiles/{id}/preview?weight=…
  [[nodiscard]] ApiResult profiles() const;
  [[nodiscard]] ApiResult preview(const std::string &id, const std::string &weight) const;
  // GET /api/screening: the checklist the operator must confirm.
  [[nodiscard]] nlohmann::json screening_checklist() const;
  // POST /api/session, DELETE /api/session
  ApiResult load_session(const nlohmann::json &request);
  ApiResult unload_session();
  // POST /api/session/{start,pause,resume,stop,acknowledge}: lock-free, never blocks.
  // `shown_session`: the session the page that sends it shows (`?session=ID`), or empty. Stop
  // is taken whatever it names; any other command naming a session that is not the one loaded
  // is refused (409 other-session): a page that fell behind must not start, pause, resume or
  // acknowledge a session its user has not seen (another console unloaded theirs and loaded
  // another patient's).
  ApiResult command(OperatorCommand c, std::string_view shown_session = {}) noexcept;
  // GET /api/state: the latest frame plus the loaded session's description.
  [[nodiscard]] nlohmann::json state() const;
  // GET /api/sessions, GET /api/sessions/{id}
  [[nodiscard]] ApiResult sessions() const;
  [[nodiscard]] ApiResult session(const std::string &id) const;

  // Technician (DESIGN §7): diagnostics, fault history, calibration wizard, daily verification.
  [[nodiscard]] ApiResult diagnostics() const;
  [[nodiscard]] ApiResult fault_history() const;
  [[nodiscard]] ApiResult calibration_status() const;
  ApiResult calibration_begin(const nlohmann::json &request);
  ApiResult calibration_reading(const nlohmann::json &request);
  ApiResult calibration_finish();
  ApiResult calibration_install();
  ApiResult calibration_cancel();
  ApiResult verification(const nlohmann::json &request);

  // The records routes (GET/POST /api/records/…): worker thread only, like the members above.
  RecordsService &records();

  // For the service's watchdog (apps/cli/service_notify.hpp): whether a session's loop runs,
  // and the steady clock's nanoseconds at its last cycle (0 before its first). Lock-free.
  struct LoopHeartbeat {
    bool running = false;
    std::int64_t last_cycle_ns = 0;
  };
  [[nodiscard]] LoopHeartbeat loop_heartbeat() const noexcept;
  // A session under way or awaiting its acknowledgement (pretension to complete, or a fault):
  // what a page's login is held for (Auth::hold). Not a session waiting in Ready. Lock-free.
  [[nodiscard]] bool session_under_way() const noexcept;

  // Single consumer (the HTTP server's I/O thread): moves up to `max` frames out of the loop's
  // queue. Frames arrive at 50 Hz while a session is loaded, at once for every event, and at
  // 5 Hz from the service itself when no loop runs (so a page always sees the table's state).
  std::size_t drain_telemetry(TelemetryFrame *out, std::size_t max) noexcept;

private:
  [[nodiscard]] std::string live_id() const; // the loaded session's id, or ""
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace tractus::console
