#include "cli/records_protocol_command.hpp"

#include "cli/run_command.hpp"
#include "console/auth_pins.hpp"
#include "console/private_file.hpp"
#include "profiles/library.hpp"
#include "profiles/limits_json.hpp"
#include "records/clinic_limits.hpp"
#include "records/clinic_protocols.hpp"
#include "records/migrations.hpp"
#include "text/host_port.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

namespace tractus::cli {
namespace {

constexpr const char *kMe = "tractus records: ";

std::optional<std::string> read_text(const std::string &file, std::ostream &err) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  if (!in || !(text << in.rdbuf())) {
    err << kMe << file << ": cannot be read\n";
    return std::nullopt;
  }
  return text.str();
}

// The author as the console takes it: initials or a name, 1 to 64 characters, no control ones.
bool author_ok(const std::string &author, std::ostream &err) {
  const bool ok = !author.empty() && author.size() <= 64 &&
                  std::none_of(author.begin(), author.end(),
                               [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  if (!ok)
    err << kMe << "--author \"" << author
        << "\": who it is, their initials or name: 1 to 64 characters, no control characters\n";
  return ok;
}

// "JD (command line, HOST)": who saved, kept with the version or the limits.
std::string saved_by(const std::string &author) {
  return author + " (command line, " + text::this_host_name() + ")";
}

// The machine's limits tightened by the clinic's in the store: what every table applies.
profiles::Limits clinic_limits_of(records::RecordsStore &store) {
  const auto in_store = records::clinic_limits(store);
  return in_store ? in_store->limits : profiles::kDefaultLimits;
}

} // namespace

int protocol_list(records::RecordsStore &store, std::ostream &out) {
  const auto all = records::clinic_protocols(store);
  for (const auto &p : all) {
    const auto profile = records::profile_of(p, profiles::kDefaultLimits);
    out << p.id << "  v" << p.version << "  "
        << (profile.ok() ? profile.value->name : "(does not read)") << "  " << p.created_utc << "  "
        << p.created_by << "\n";
  }
  if (all.empty()) out << "No clinic protocol in " << store.address().shown << "\n";
  return kExitCompleted;
}

int protocol_import(records::RecordsStore &store, const ProtocolOptions &o, std::ostream &out,
                    std::ostream &err) {
  std::set<std::string> stock;
  for (const auto &e : profiles::load_library().entries)
    stock.insert(e.profile.id);
  if (!author_ok(o.author, err)) return kExitBadInput;
  const profiles::Limits limits = clinic_limits_of(store);
  bool all_saved = true;
  for (const std::string &file : o.files) {
    const auto text = read_text(file, err);
    if (!text) {
      all_saved = false;
      continue;
    }
    const auto saved =
        records::save_clinic_protocol(store, *text, saved_by(o.author), limits, stock);
    if (!saved.problems.empty()) {
      all_saved = false;
      for (const auto &p : saved.problems)
        err << file << ": " << p << "\n";
      err << kMe << file << ": not imported\n";
      continue;
    }
    const auto &p = *saved.saved;
    out << file << ": " << records::clinic_protocol_label(p.id, p.version)
        << (saved.unchanged ? " (unchanged: the newest version already)" : " saved") << "\n";
  }
  return all_saved ? kExitCompleted : kExitBadInput;
}

int protocol_export(records::RecordsStore &store, const ProtocolOptions &o, std::ostream &out,
                    std::ostream &err) {
  const auto found = records::find_clinic_protocol(store, o.id, o.version);
  if (!found) {
    err << kMe << "no clinic protocol " << o.id
        << (o.version ? " version " + std::to_string(*o.version) : std::string()) << " in "
        << store.address().shown << "\n";
    return kExitBadInput;
  }
  if (o.out.empty()) {
    out << found->profile_json << "\n";
    return kExitCompleted;
  }
  try {
    console::write_private_file(o.out, found->profile_json + "\n");
  } catch (const console::PrivateFileError &e) {
    err << kMe << e.what() << "\n";
    return kExitBadInput;
  }
  out << "Wrote " << records::clinic_protocol_label(found->id, found->version) << " to " << o.out
      << "\n";
  return kExitCompleted;
}

int limits_show(records::RecordsStore &store, std::ostream &out) {
  const auto in_store = records::clinic_limits(store);
  const profiles::Limits limits = in_store ? in_store->limits : profiles::kDefaultLimits;
  out << "The clinic's limits in " << store.address().shown;
  if (in_store)
    out << " (set " << in_store->set_utc << " by " << in_store->set_by << ")\n";
  else
    out << ": none set, the machine's apply\n";
  for (const std::string &name : profiles::limit_member_names()) {
    const bool set = in_store && in_store->members.contains(name);
    out << "  " << name << " = " << profiles::shown_limit(name, limits)
        << (set ? "  (the clinic's)" : "") << "\n";
  }
  return kExitCompleted;
}

int limits_set(records::RecordsStore &store, const ProtocolOptions &o, std::ostream &out,
               std::ostream &err) {
  if (!author_ok(o.author, err)) return kExitBadInput;
  const auto text = read_text(o.limits_file, err);
  if (!text) return kExitBadInput;
  const nlohmann::json members = nlohmann::json::parse(*text, nullptr, false);
  if (members.is_discarded()) {
    err << o.limits_file << ": not JSON: a JSON object of the limits lowered, e.g. "
        << "{\"max_rate\": \"30 N/s\"}\n";
    return kExitBadInput;
  }
  const auto saved = records::set_clinic_limits(store, members, saved_by(o.author));
  if (!saved.problems.empty()) {
    for (const auto &p : saved.problems)
      err << o.limits_file << ": " << p << "\n";
    err << kMe << "the clinic's limits were not changed\n";
    return kExitBadInput;
  }
  out << "The clinic's limits set (" << members.size() << " member"
      << (members.size() == 1 ? "" : "s") << "); every table applies them from its next check\n";
  return limits_show(store, out);
}

ClinicForRun clinic_for_run(const std::string &records, const std::string &profile_id) {
  ClinicForRun r;
  const auto address = records::parse_store_address(records, console::kDefaultDataDir);
  if (!address) {
    r.problems.push_back("--records " + records + ": " + address.error);
    return r;
  }
  try {
    // Read only: a session on one table never migrates the schema the clinic's tables share.
    records::RecordsStore store(*address.value, TRACTUS_VERSION, records::StoreOpening::LookOnly);
    if (store.schema_version() < records::newest_schema_version()) {
      r.problems.push_back("--records " + store.address().shown + ": schema version " +
                           std::to_string(store.schema_version()) +
                           ", older than this tractus's: open it once with `tractus records "
                           "status` (which brings it up to date), then run again");
      return r;
    }
    r.limits = clinic_limits_of(store);
    if (!profiles::is_profile_id(profile_id) || profiles::find_profile(profile_id).ok()) return r;
    const auto found = records::find_clinic_protocol(store, profile_id);
    if (!found) return r; // neither stock nor the clinic's: the run says it is unknown
    auto parsed = records::profile_of(*found, r.limits);
    if (parsed.ok())
      r.protocol = std::move(parsed.value);
    else
      r.problems = profiles::to_strings(parsed.problems);
  } catch (const records::StoreError &e) {
    r.problems.push_back("--records: " + std::string(e.what()) + " (" +
                         records::failure_name(e.failure()) + ")");
  }
  return r;
}

} // namespace tractus::cli
