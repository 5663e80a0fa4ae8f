#include "calibration/store.hpp"

#include "calibration/sha256.hpp"
#include "calibration/text.hpp"
#include "text/utc_text.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace tractus::calibration {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const std::string &what, const fs::path &path) {
  throw std::runtime_error(path.string() + ": " + what + ": " + std::strerror(errno));
}

void write_all(int fd, std::string_view bytes, const fs::path &path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write", path);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// A rename or link is durable only once the directory entry is on disk.
void sync_directory(const fs::path &dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("cannot open directory", dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail("cannot sync directory", dir);
}

// Writes a temporary file next to `target` and syncs it. The caller moves it into place.
fs::path write_temporary(const fs::path &target, std::string_view bytes) {
  static unsigned counter = 0;
  const fs::path tmp =
      target.parent_path() / ("." + target.filename().string() + ".tmp-" +
                              std::to_string(::getpid()) + "-" + std::to_string(++counter));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create", tmp);
  try {
    write_all(fd, bytes, tmp);
    if (::fsync(fd) != 0) fail("cannot sync", tmp);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    fail("cannot close", tmp);
  }
  return tmp;
}

// Replaces `target` atomically: readers see the old file or the new one, never a mixture.
void replace_atomically(const fs::path &target, std::string_view bytes) {
  const fs::path tmp = write_temporary(target, bytes);
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    ::unlink(tmp.c_str());
    fail("cannot replace", target);
  }
  sync_directory(target.parent_path());
}

// Creates `dir/<stem>.json` (or <stem>-2.json, ... if taken) atomically and never overwrites:
// link() fails on an existing name where rename() would silently replace it.
fs::path create_new(const fs::path &dir, const std::string &stem, std::string_view bytes) {
  const fs::path tmp = write_temporary(dir / (stem + ".json"), bytes);
  for (int n = 1; n < 1000; ++n) {
    const fs::path target =
        dir / (n == 1 ? stem + ".json" : stem + "-" + std::to_string(n) + ".json");
    if (::link(tmp.c_str(), target.c_str()) == 0) {
      ::unlink(tmp.c_str());
      sync_directory(dir);
      return target;
    }
    if (errno != EEXIST) {
      ::unlink(tmp.c_str());
      fail("cannot create", target);
    }
  }
  ::unlink(tmp.c_str());
  throw std::runtime_error(dir.string() + ": too many records named " + stem);
}

std::optional<std::string> read_bytes(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void ensure_directory(const fs::path &dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir.string() + ": cannot create directory: " + ec.message());
}

} // namespace

CalibrationStore::CalibrationStore(fs::path dir) : dir_(std::move(dir)) {}

RecordRead CalibrationStore::current(std::int64_t now_unix) const {
  const fs::path path = current_path();
  const std::string name = path.string();
  std::error_code ec;
  if (!fs::exists(path, ec))
    return {std::nullopt, name + ": no calibration record: the load cell has not been "
                                 "calibrated here (tractus calibrate run)"};
  RecordRead read = read_record_file(path);
  if (!read) return read;
  if (!read.record->accepted())
    return {std::nullopt, name + ": calibration " + read.record->id +
                              " failed acceptance and cannot be in force"};
  if (std::string why = expiry_problem(*read.record, name, now_unix); !why.empty())
    return {std::nullopt, std::move(why)};
  return read;
}

fs::path CalibrationStore::install(CalibrationRecord &record) {
  if (!record.accepted())
    throw std::invalid_argument("calibration " + record.id + " failed acceptance: not installed");
  ensure_directory(history_dir());
  const std::string text = record_json(record);

  // Whatever is in force now must survive in history before it is replaced, even if it was
  // placed by hand or is damaged (it is evidence).
  if (const auto old = read_bytes(current_path())) {
    bool kept = false;
    for (const fs::path &h : history())
      kept = kept || (fs::file_size(h) == old->size() && read_bytes(h) == old);
    if (!kept)
      create_new(history_dir(),
                 text::utc_compact(record.created_unix) + "-superseded-" +
                     sha256_hex(*old).substr(0, 12),
                 *old);
  }
  const fs::path kept = create_new(
      history_dir(), text::utc_compact(record.created_unix) + "-" + record.load_cell_serial, text);
  replace_atomically(current_path(), text);
  return kept;
}

fs::path CalibrationStore::archive_rejected(CalibrationRecord &record) {
  ensure_directory(history_dir());
  return create_new(history_dir(),
                    text::utc_compact(record.created_unix) + "-" + record.load_cell_serial +
                        "-rejected",
                    record_json(record));
}

std::vector<fs::path> CalibrationStore::history() const {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(history_dir(), ec))
    if (entry.is_regular_file() && entry.path().extension() == ".json" &&
        entry.path().filename().string().front() != '.')
      files.push_back(entry.path());
  std::sort(files.begin(), files.end()); // names start with a UTC timestamp
  return files;
}

void CalibrationStore::append_verification(const Verification &v) {
  ensure_directory(dir_);
  const fs::path path = verification_log_path();
  const bool created = !fs::exists(path);
  std::string line = verification_line(v) + "\n";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot open", path);
  struct stat before {};
  bool sized = false;
  try {
    if (::fstat(fd, &before) != 0) fail("cannot stat", path);
    sized = true;
    // A line cut short before (a crash mid-write) stays a line of its own, never the start of
    // this one: glued together both would be unreadable, this verification with them.
    char last = '\n';
    if (before.st_size > 0 && ::pread(fd, &last, 1, before.st_size - 1) != 1)
      fail("cannot read", path);
    if (last != '\n') line.insert(0, "\n");
    write_all(fd, line, path); // one write: O_APPEND keeps a line whole
    if (::fsync(fd) != 0) fail("cannot sync", path);
  } catch (...) {
    // A write cut short (the disk full) is taken back, so the log ends on whole lines.
    if (sized) (void)!::ftruncate(fd, before.st_size);
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (created) sync_directory(dir_);
}

CalibrationStore::LatestVerification
CalibrationStore::latest_verification(const std::string &record_checksum) const {
  LatestVerification out;
  const auto text = read_bytes(verification_log_path());
  if (!text) return out;
  std::istringstream lines(*text);
  std::string line;
  const std::string name = verification_log_path().string();
  // A line that names no record could have been this record's failed verification: after the
  // last good verification of this record it takes the calibration out of force like a failure
  // (fail safe: a verification costs one weight on the table); before it, it is only a warning.
  std::string unreadable_since_last;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (line.empty()) continue;
    VerificationLineRead read = parse_verification_line(line);
    const std::string where = name + " line " + std::to_string(number);
    if (read.verification) {
      if (read.verification->record_checksum != record_checksum) continue;
      out.verification = std::move(read.verification);
      out.error.clear(); // a later good verification supersedes an earlier damaged line
      if (!unreadable_since_last.empty()) out.warnings.push_back(unreadable_since_last);
      unreadable_since_last.clear();
    } else if (read.record_checksum == record_checksum) {
      out.error =
          where + " is damaged (" + read.error + "); verify again (tractus calibrate verify)";
    } else if (read.record_checksum.empty()) {
      if (!unreadable_since_last.empty()) out.warnings.push_back(unreadable_since_last);
      unreadable_since_last = where + " is unreadable (" + read.error + ")";
    }
  }
  if (!unreadable_since_last.empty() && out.error.empty())
    out.error = unreadable_since_last +
                ", after this calibration's last good verification: it may be a verification "
                "that failed; verify again (tractus calibrate verify)";
  return out;
}

text::Outcome<hal::Calibration> calibration_in_force(const fs::path &store_dir,
                                                     std::int64_t now_unix) {
  using Result = text::Outcome<hal::Calibration>;
  const CalibrationStore store(store_dir);
  const RecordRead current = store.current(now_unix);
  if (!current) return Result::failure(current.error);
  const auto latest = store.latest_verification(current.record->checksum);
  if (!latest.error.empty()) return Result::failure(latest.error);
  if (latest.verification && !latest.verification->passed) {
    const Verification &v = *latest.verification;
    return Result::failure(store.verification_log_path().string() +
                           ": the verification of calibration " + current.record->id + " on " +
                           text::utc_date(v.time_unix) + " failed (" + verification_text(v) +
                           "); verify again or recalibrate");
  }
  return {current.record->calibration(), {}};
}

void require_coverage(TreatmentCalibration &found, Force highest, const fs::path &store_dir) {
  if (!found.calibration) return;
  const hal::Calibration &c = *found.calibration;
  if (c.calibrated_to <= Force{} || highest <= c.calibrated_to) return;
  found.error = "calibration " + c.id + " was made with reference loads up to " +
                newtons_text(c.calibrated_to.si()) + ", and this session pulls up to " +
                newtons_text(highest.si()) + ": above its top load the curve was never checked";
  found.way_out = "calibrate again with reference loads up to the table's highest force "
                  "(tractus calibrate run --interactive --store " +
                  store_dir.string() + ")";
  found.calibration.reset();
}

std::string local_date(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

namespace {

bool serial_matches(const std::string &record_serial, const std::string &reported) {
  if (reported.empty() || record_serial == reported) return true;
  return record_serial.size() > reported.size() &&
         record_serial.compare(record_serial.size() - reported.size(), reported.size(), reported) ==
             0 &&
         record_serial[record_serial.size() - reported.size() - 1] == '-';
}

} // namespace

TreatmentCalibration calibration_for_treatment(const fs::path &store_dir, std::int64_t now_unix,
                                               const std::string &transmitter_serial,
                                               const VerificationPolicy &policy) {
  TreatmentCalibration out;
  const std::string store_arg = " --store " + store_dir.string();
  const CalibrationStore store(store_dir);
  const RecordRead current = store.current(now_unix);
  if (!current) {
    out.error = current.error;
    out.way_out = "calibrate the load cell (tractus calibrate run --interactive" + store_arg + ")";
    return out;
  }
  const CalibrationRecord &record = *current.record;
  if (!serial_matches(record.load_cell_serial, transmitter_serial)) {
    out.error = store.current_path().string() + ": calibration " + record.id +
                " was made for load cell " + record.load_cell_serial +
                ", but the transmitter reports serial " + transmitter_serial;
    out.way_out = "calibrate this load cell (tractus calibrate run --interactive" + store_arg + ")";
    return out;
  }
  const auto latest = store.latest_verification(record.checksum);
  const std::string verify = "verify it with the reference weight (tractus calibrate verify "
                             "--interactive" +
                             store_arg + ")";
  if (!latest.error.empty()) {
    out.error = latest.error;
    out.way_out = verify;
    return out;
  }
  const std::string today = local_date(now_unix);
  if (!latest.verification) {
    out.error = store.verification_log_path().string() + ": calibration " + record.id +
                " has never been verified; the daily verification is due before the first "
                "session of the day (" +
                today + ")";
    out.way_out = verify;
    return out;
  }
  const Verification &v = *latest.verification;
  if (!v.passed) {
    out.error = store.verification_log_path().string() + ": the verification of calibration " +
                record.id + " on " + local_date(v.time_unix) + " failed (" + verification_text(v) +
                ")";
    out.way_out = verify + ", or recalibrate";
    return out;
  }
  // A pass later than now: the clock has gone back since (or the log was written elsewhere).
  // Its age cannot be known, so neither rule can accept it.
  const std::int64_t age_s = now_unix - v.time_unix;
  if (age_s < 0) {
    out.error = store.verification_log_path().string() + ": calibration " + record.id +
                " was verified at " + text::utc_timestamp(v.time_unix) +
                ", later than this computer's clock (" + text::utc_timestamp(now_unix) +
                "): the clock has gone back";
    out.way_out = "set the clock right, then " + verify;
    return out;
  }
  // The clinic's hours first: when both fail, its policy is the rule the technician set.
  if (policy.valid_for_hours > 0 && age_s > std::int64_t{policy.valid_for_hours} * 3600) {
    out.error = store.verification_log_path().string() + ": calibration " + record.id +
                " was last verified " + std::to_string(age_s / 3600) + " h " +
                std::to_string(age_s % 3600 / 60) + " min ago; this clinic's policy accepts a " +
                "pass at most " + std::to_string(policy.valid_for_hours) +
                " h old (daily_verification.valid_for_hours in the configuration file)";
    out.way_out = verify;
    return out;
  }
  if (local_date(v.time_unix) != today) {
    out.error = store.verification_log_path().string() + ": calibration " + record.id +
                " was last verified on " + local_date(v.time_unix) +
                "; the daily verification is due before the first session of the day (" + today +
                ")";
    out.way_out = verify;
    return out;
  }
  out.calibration = record.calibration();
  return out;
}

} // namespace tractus::calibration
