#include "cli/doctor_command.hpp"

#include "bindings/table_bindings.hpp"
#include "cli/config_file.hpp"
#include "cli/run_command.hpp" // the exit codes
#include "console/auth.hpp"
#include "console/auth_pins.hpp"
#include "controller/journal_room.hpp"
#include "profiles/limits.hpp"
#include "records/migrations.hpp"
#include "records/store.hpp"

#include <CLI/CLI.hpp>

#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <thread>

namespace tractus::cli {

namespace {

constexpr int kLoopPriority = 80; // what the loop asks for (controller::enable_realtime)
constexpr const char *kRealtimeFix =
    "run it as the service (systemctl start tractus: LimitRTPRIO=80), or give the user that "
    "runs it an rtprio limit of 80 "
    "(/etc/security/limits.d/tractus.conf: `tractus - rtprio 80`)";

std::string megabytes(std::uint64_t bytes) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / 1e6 << " MB";
  return s.str();
}

DoctorLine check_configuration(const std::string &file, const std::string &problems) {
  if (!problems.empty())
    return {Verdict::Fail, "configuration", problems,
            "correct the file (docs/configuration.md); the checks below use the defaults and "
            "flags instead"};
  if (file.empty())
    return {Verdict::Warn, "configuration",
            std::string("none read (--no-config, or no ") + kSystemConfigFile +
                "): defaults and flags only",
            "install the package, or write the file (docs/configuration.md)"};
  return {Verdict::Ok, "configuration", file + ": valid", ""};
}

// On a thread of its own, so that this process keeps its priority.
DoctorLine check_realtime(bool real_table) {
  bool permitted = false;
  std::thread([&permitted] {
    sched_param param{};
    param.sched_priority = kLoopPriority;
    permitted = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0;
  }).join();
  if (permitted)
    return {Verdict::Ok, "real-time scheduling", "SCHED_FIFO 80 permitted for the control loop",
            ""};
  return {real_table ? Verdict::Fail : Verdict::Warn, "real-time scheduling",
          "SCHED_FIFO 80 not permitted: the loop would run at normal priority, late whenever "
          "the computer is busy",
          kRealtimeFix};
}

DoctorLine check_memory_lock(bool real_table) {
  if (mlockall(MCL_CURRENT) == 0) {
    munlockall();
    return {Verdict::Ok, "memory locking", "mlockall permitted: no page fault in a cycle", ""};
  }
  rlimit limit{};
  getrlimit(RLIMIT_MEMLOCK, &limit);
  const std::string now = limit.rlim_cur == RLIM_INFINITY
                              ? std::string("unlimited")
                              : std::to_string(limit.rlim_cur / 1024) + " kB";
  return {real_table ? Verdict::Fail : Verdict::Warn, "memory locking",
          "mlockall not permitted (RLIMIT_MEMLOCK " + now + "): a page fault could stall a cycle",
          "run it as the service (LimitMEMLOCK=infinity), or give the user that runs it a "
          "memlock limit of unlimited "
          "(/etc/security/limits.d/tractus.conf: `tractus - memlock unlimited`)"};
}

// The loop reads the clock several times a cycle: a clock source read through the vDSO (TSC on
// x86, the architected counter on ARM, a hypervisor's TSC page) costs tens of nanoseconds; HPET
// or ACPI PM a microsecond or more, each a system call.
DoctorLine check_clock() {
  std::ifstream file("/sys/devices/system/clocksource/clocksource0/current_clocksource");
  std::string source;
  file >> source;
  constexpr int kReads = 100'000;
  timespec t{};
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kReads; ++i)
    clock_gettime(CLOCK_MONOTONIC, &t);
  const double ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
      kReads;
  std::ostringstream detail;
  detail << "clock source " << (source.empty() ? "unknown" : source) << ", " << std::fixed
         << std::setprecision(0) << ns << " ns a reading";
  constexpr std::array fast{"tsc", "kvm-clock", "arch_sys_counter", "hyperv_clocksource_tsc_page"};
  for (const char *f : fast)
    if (source == f && ns < 1000) return {Verdict::Ok, "clock", detail.str(), ""};
  return {Verdict::Warn, "clock", detail.str() + ": slow readings cost the loop time",
          "use a computer whose TSC the kernel trusts (firmware settings; docs/installing.md)"};
}

DoctorLine check_journal_room(const std::filesystem::path &dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error))
    return {Verdict::Fail, "journal folder", dir.string() + " does not exist",
            "create it, writable by the service's user (the package makes "
            "/var/lib/tractus/journals)"};
  if (access(dir.c_str(), W_OK) != 0)
    return {Verdict::Fail, "journal folder", dir.string() + " is not writable by this user",
            "run tractus as the service's user (`sudo -u tractus tractus …`), or give it the "
            "folder"};
  const Duration longest = profiles::Limits{}.max_duration;
  const controller::JournalRoom room =
      controller::check_room_for_session(dir, longest, minutes(30));
  if (!room.ok())
    return {Verdict::Fail, "journal folder", room.problem,
            "free space on its file system, or give the service another folder"};
  return {Verdict::Ok, "journal folder",
          dir.string() + ": room for the longest session (99 min, " + megabytes(room.needed) +
              "), " + megabytes(room.available) + " free",
          ""};
}

DoctorLine check_pins(const std::string &data_dir) {
  // Another user's files (0600, the service's user) are not "no PINs": say whose they are.
  const std::filesystem::path pins = console::pins_file(data_dir);
  std::error_code error;
  if (std::filesystem::exists(pins, error) && access(pins.c_str(), R_OK) != 0)
    return {Verdict::Fail, "PINs", pins.string() + " cannot be read by this user",
            "run the doctor as the service's user: sudo -u tractus tractus doctor"};
  // A lockout file the console cannot read locks both roles for 5 minutes at its start.
  const std::filesystem::path lockout = console::lockout_file(data_dir);
  try {
    if (std::filesystem::exists(lockout, error)) (void)console::load_lockout(lockout);
  } catch (const console::PinFileError &e) {
    return {Verdict::Fail, "PINs",
            std::string(e.what()) + ": the console would lock both roles for 5 min at its start",
            "remove " + lockout.string() + " (the count of wrong PINs starts again)"};
  }
  try {
    const console::Auth auth(data_dir);
    const std::vector<console::Role> missing = auth.roles_without_pin();
    if (missing.empty()) return {Verdict::Ok, "PINs", "operator and technician PINs set", ""};
    std::string roles, fix;
    for (const console::Role role : missing) {
      roles += (roles.empty() ? "" : " and ") + std::string(console::to_string(role));
      fix += (fix.empty() ? "" : "; ") + std::string("tractus pin set ") +
             console::to_string(role) + " --data " + data_dir;
    }
    return {Verdict::Fail, "PINs", "no PIN for the " + roles + " (the console will not start)",
            fix};
  } catch (const console::PinFileError &e) {
    return {Verdict::Fail, "PINs", e.what(), "set both PINs again (docs/console.md)"};
  }
}

// The clinic's records: a WARN, never a FAIL, when they cannot be used: sessions run without
// them, only a course visit's is refused (120). An SQLite file is looked at, never created or
// migrated here (the doctor may run as another user than the service, whose file it must be);
// a PostgreSQL store is opened as the service would open it.
DoctorLine check_records(const ServeOptions &o) {
  const std::string data_dir = o.data_dir.empty() ? console::kDefaultDataDir : o.data_dir;
  const auto address = records::parse_store_address(o.records, data_dir);
  if (!address)
    return {Verdict::Fail, "records store", address.error, "fix `records` in the configuration"};
  const auto &a = *address.value;
  if (a.backend == records::Backend::Sqlite) {
    const std::filesystem::path file(a.connection);
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
      const auto folder = file.has_parent_path() ? file.parent_path() : ".";
      if (access(folder.c_str(), W_OK) != 0)
        return {Verdict::Warn, "records store",
                a.shown + " does not exist and " + folder.string() +
                    " is not writable by this user",
                "run the doctor as the service's user, or give the service the folder"};
      return {Verdict::Ok, "records store", a.shown + ": made at the console's first start", ""};
    }
    std::ifstream in(file, std::ios::binary);
    std::string magic(16, '\0');
    if (access(file.c_str(), R_OK | W_OK) != 0 || !in.read(magic.data(), 16))
      return {Verdict::Warn, "records store", a.shown + " cannot be read and written by this user",
              "run the doctor as the service's user: sudo -u tractus tractus doctor"};
    if (magic != std::string("SQLite format 3\0", 16))
      return {Verdict::Warn, "records store", a.shown + " is not an SQLite database",
              "move it aside (the console makes a new one) or name the right file"};
    return {Verdict::Ok, "records store", a.shown, ""};
  }
  try {
    // Connected and read, never migrated: the doctor must not change a store the clinic's
    // other tables share (the console migrates it at its start).
    records::RecordsStore store(a, TRACTUS_VERSION, records::StoreOpening::LookOnly);
    const int version = store.schema_version();
    return {Verdict::Ok, "records store",
            a.shown + ": reached, schema version " + std::to_string(version) +
                (version < records::newest_schema_version()
                     ? " (the console brings it to " +
                           std::to_string(records::newest_schema_version()) + " at its start)"
                     : ""),
            ""};
  } catch (const records::StoreError &e) {
    return {Verdict::Warn, "records store", e.what(),
            "course visits cannot start until it is reached (120); check the server, the "
            "address and its password file"};
  }
}

// The table as a session meets it: identified, its drive's watchdog enabled (as each session's
// lease does), and the calibration it would treat with.
void check_table(const ServeOptions &o, std::vector<DoctorLine> &lines) {
  bindings::BindingMade made = bindings::make_table_binding(o.table, o.seed);
  if (!made) {
    lines.push_back({Verdict::Fail, "table", made.error,
                     "check the address (`table` in the configuration), the cable and the "
                     "table's power"});
    return;
  }
  console::TableBinding binding = std::move(*made.value);
  const console::LeaseOpen open = binding.open(console::LeasePurpose::Session, o.seed);
  if (!open.lease) {
    lines.push_back({Verdict::Ok, "table", o.table + ": reached and identified", ""});
    lines.push_back({Verdict::Fail, "drive watchdog", open.error,
                     "the drive must stop on its own when tractus falls silent: configure its "
                     "communication watchdog (docs/device-vendors.md)"});
    return;
  }
  const nlohmann::ordered_json table = open.lease->journal_table();
  std::string what = binding.simulated ? "simulated" : "a real table";
  if (table.contains("identified_as"))
    what += ", identified as " + table["identified_as"].get<std::string>();
  lines.push_back({Verdict::Ok, "table", o.table + ": " + what, ""});
  lines.push_back({Verdict::Ok, "drive watchdog",
                   table.contains("watchdog_timeout_ms")
                       ? "enabled at " + table["watchdog_timeout_ms"].dump() +
                             " ms (a session's lease enables it the same way)"
                       : "the simulator's drive stops on its own watchdog",
                   ""});
  if (table.contains("serial")) { // an RTU line (hal/modbus/serial_latency.hpp)
    const nlohmann::ordered_json &serial = table["serial"];
    if (serial.contains("fix"))
      lines.push_back({Verdict::Warn, "serial latency",
                       serial["note"].get<std::string>() + ": replies may miss RTU's " +
                           table["response_timeout_ms"].dump() + " ms timeout (308-310)",
                       serial["fix"].get<std::string>()});
    else
      lines.push_back({Verdict::Ok, "serial latency", serial["note"].get<std::string>(), ""});
  }
  const int hours = o.daily_verification.valid_for_hours;
  const calibration::TreatmentCalibration c = open.lease->calibration(
      o.store, static_cast<std::int64_t>(std::time(nullptr)), o.daily_verification);
  if (c.calibration)
    lines.push_back({Verdict::Ok, "calibration",
                     binding.simulated
                         ? "the simulator's factory calibration"
                         : "in force in " + o.store + " and verified today" +
                               (hours > 0 ? ", within " + std::to_string(hours) + " h" : ""),
                     ""});
  else
    lines.push_back({Verdict::Fail, "calibration", c.error, c.way_out});
}

constexpr const char *label(Verdict v) {
  switch (v) {
  case Verdict::Ok: return "OK";
  case Verdict::Warn: return "WARN";
  case Verdict::Fail: return "FAIL";
  }
  return "?";
}

} // namespace

std::vector<DoctorLine> doctor_checks(const ServeOptions &o, const std::string &config_file,
                                      const std::string &config_problems) {
  const bool real_table = !bindings::is_simulator_address(o.table);
  std::vector<DoctorLine> lines;
  lines.push_back(check_configuration(config_file, config_problems));
  lines.push_back(check_realtime(real_table));
  lines.push_back(check_memory_lock(real_table));
  lines.push_back(check_clock());
  lines.push_back(check_journal_room(o.journal_dir));
  lines.push_back(check_pins(o.data_dir.empty() ? console::kDefaultDataDir : o.data_dir));
  lines.push_back(check_records(o));
  check_table(o, lines);
  return lines;
}

DoctorCommandLine::DoctorCommandLine(CLI::App &app) {
  doctor_ = app.add_subcommand(
      "doctor", "Check the table's computer, configuration and table before a patient (OK / "
                "WARN / FAIL, with the fix)");
  flags_ = std::make_unique<ServeFlags>(*doctor_, options_, "tractus doctor: ");
}

bool DoctorCommandLine::invoked() const { return doctor_->parsed(); }

int DoctorCommandLine::run(std::ostream &out, std::ostream & /*err*/) {
  ServeOptions options = options_;
  std::string file;
  std::ostringstream problems;
  if (!flags_->configure(options, problems, &file)) options = options_; // defaults and flags
  std::string said = problems.str();
  while (!said.empty() && said.back() == '\n')
    said.pop_back();
  const std::vector<DoctorLine> lines = doctor_checks(options, file, said);
  int failed = 0, warned = 0;
  for (const DoctorLine &line : lines) {
    out << std::left << std::setw(6) << label(line.verdict) << std::setw(22) << line.check
        << line.detail << "\n";
    if (!line.fix.empty()) out << std::string(28, ' ') << "fix: " << line.fix << "\n";
    failed += line.verdict == Verdict::Fail;
    warned += line.verdict == Verdict::Warn;
  }
  out << "tractus doctor: " << lines.size() - static_cast<std::size_t>(failed + warned) << " OK, "
      << warned << " WARN, " << failed << " FAIL" << (failed ? ": not ready for a patient" : "")
      << "\n";
  return failed ? kExitStopped : kExitCompleted;
}

std::unique_ptr<DoctorCommandLine> add_doctor_command(CLI::App &app) {
  return std::make_unique<DoctorCommandLine>(app);
}

} // namespace tractus::cli
