#include "records/report/fhir_bundle.hpp"

#include "records/report/drawable_text.hpp"
#include "records/report/json_members.hpp"
#include "records/report/report_text.hpp"
#include "text/utc_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

namespace tractus::records::report {
namespace {

// What names a resource's UUID (with the session id and the resource's part in it): fixed, so
// a session exported twice, from any table, gives the same fullUrls.
constexpr std::string_view kResourceUuidName = "urn:tractus:session-id:";

// Members in the order written, so a person reading the file finds resourceType first.
using Json = nlohmann::ordered_json;

constexpr std::string_view kSnomed = "http://snomed.info/sct";
constexpr std::string_view kLoinc = "http://loinc.org";
constexpr std::string_view kUcum = "http://unitsofmeasure.org";
constexpr std::string_view kObservationCategory =
    "http://terminology.hl7.org/CodeSystem/observation-category";
// HL7's "test health data" (v3 ActReason HTEST), the usual tag for records of no real patient.
constexpr std::string_view kActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

// SHA-1 (FIPS 180-4 §6.1), used here only for version 5 UUIDs: an id, not a secret.
std::array<std::uint8_t, 20> sha1(std::string_view data) {
  std::array<std::uint32_t, 5> h = {0x67452301U, 0xEFCDAB89U, 0x98BADCFEU, 0x10325476U,
                                    0xC3D2E1F0U};
  std::string message(data);
  message.push_back('\x80');
  while (message.size() % 64 != 56)
    message.push_back('\0');
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  for (int shift = 56; shift >= 0; shift -= 8)
    message.push_back(static_cast<char>((bits >> shift) & 0xFFU));
  for (std::size_t block = 0; block < message.size(); block += 64) {
    std::array<std::uint32_t, 80> w{};
    for (std::size_t t = 0; t < 16; ++t) {
      for (std::size_t b = 0; b < 4; ++b)
        w[t] = (w[t] << 8) | static_cast<unsigned char>(message[block + t * 4 + b]);
    }
    for (std::size_t t = 16; t < 80; ++t)
      w[t] = std::rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    auto [a, b, c, d, e] = h;
    for (std::size_t t = 0; t < 80; ++t) {
      std::uint32_t f = 0, k = 0;
      if (t < 20) {
        f = (b & c) | (~b & d), k = 0x5A827999U;
      } else if (t < 40) {
        f = b ^ c ^ d, k = 0x6ED9EBA1U;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDCU;
      } else {
        f = b ^ c ^ d, k = 0xCA62C1D6U;
      }
      const std::uint32_t next = std::rotl(a, 5) + f + e + k + w[t];
      e = d, d = c, c = std::rotl(b, 30), b = a, a = next;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  std::array<std::uint8_t, 20> digest{};
  for (std::size_t i = 0; i < 20; ++i)
    digest[i] = static_cast<std::uint8_t>((h[i / 4] >> (24 - 8 * (i % 4))) & 0xFFU);
  return digest;
}

// Unix seconds of UTC text as the records keep it ("2026-12-06T09:30:00Z"), or nothing for any
// other text (a damaged header): read, written back and compared, so "2026-02-31T…" is refused.
std::optional<std::int64_t> utc_seconds(const std::string &text) {
  std::tm tm{};
  if (text.size() != 20 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const auto seconds = static_cast<std::int64_t>(timegm(&tm));
  if (text::utc_timestamp(seconds) != text) return std::nullopt;
  return seconds;
}

// Text as a FHIR string: valid UTF-8 on one line without control characters, trimmed; nothing
// when that leaves it empty (FHIR has no empty strings).
std::optional<std::string> fhir_text(std::string_view text) {
  std::string clean = drawable_text(text);
  const auto first = clean.find_first_not_of(' ');
  if (first == std::string::npos) return std::nullopt;
  return clean.substr(first, clean.find_last_not_of(' ') - first + 1);
}

// A FHIR code: text without whitespace or control characters (an id tractus wrote).
bool is_fhir_code(std::string_view text) {
  if (text.empty() || drawable_text(text) != text) return false;
  return text.find(' ') == std::string_view::npos;
}

Json coding(std::string_view system, std::string_view code, std::string_view display) {
  return {{"system", system}, {"code", code}, {"display", display}};
}

Json category(std::string_view code, std::string_view display) {
  return Json::array({{{"coding", Json::array({coding(kObservationCategory, code, display)})}}});
}

Json quantity(double value, std::string_view unit) {
  return {{"value", value}, {"unit", unit}, {"system", kUcum}, {"code", unit}};
}

Json reference(const std::string &full_url) { return {{"reference", full_url}}; }

// Sets resource.note to the texts that are not empty, if any (FHIR has no empty arrays).
void add_notes(Json &resource, const std::vector<std::string> &texts) {
  Json list = Json::array();
  for (const auto &t : texts)
    if (auto clean = fhir_text(t)) list.push_back({{"text", *clean}});
  if (!list.empty()) resource["note"] = std::move(list);
}

// What every resource of one session's bundle shares.
struct Context {
  std::string session_id;
  std::string session_ids; // the clinic's identifier system of session ids
  bool simulated = false;
  std::string patient_url; // empty when the session named no patient
  std::string procedure_url;
  std::optional<std::string> start, end; // FHIR dateTimes, when known

  // "urn:uuid:…" of this session's `part` ("procedure", "pain-before", …).
  [[nodiscard]] std::string url(std::string_view part) const {
    return "urn:uuid:" +
           name_based_uuid(kUuidNamespaceUrl,
                           std::string(kResourceUuidName) + session_id + "#" + std::string(part));
  }

  // A resource of `type`, tagged as test data when no patient was treated.
  [[nodiscard]] Json resource(std::string_view type) const {
    Json r = {{"resourceType", type}};
    if (simulated)
      r["meta"] = {{"tag", Json::array({coding(kActReason, "HTEST", "test health data")})}};
    return r;
  }

  [[nodiscard]] Json period() const {
    Json p = Json::object();
    if (start) p["start"] = *start;
    if (end) p["end"] = *end;
    return p;
  }

  // An Observation made during this session's Procedure, of the patient when there is one.
  [[nodiscard]] Json observation(Json categories, Json code) const {
    Json o = resource("Observation");
    o["partOf"] = Json::array({reference(procedure_url)});
    o["status"] = "final";
    o["category"] = std::move(categories);
    o["code"] = std::move(code);
    if (!patient_url.empty()) o["subject"] = reference(patient_url);
    return o;
  }
};

Context context_of(const SessionEntry &e) {
  Context c;
  c.session_id = e.session_id;
  c.simulated = e.simulated;
  if (fhir_text(e.patient_id)) c.patient_url = c.url("patient");
  c.procedure_url = c.url("procedure");
  if (const auto start = utc_seconds(e.started_utc)) {
    c.start = text::utc_timestamp(*start);
    // A duration beyond a week is a damaged journal's, not a session's: no end then.
    constexpr double kLongestBelievable = 7 * 24 * 3600.0;
    if (e.duration_s && *e.duration_s >= 0 && *e.duration_s <= kLongestBelievable)
      c.end = text::utc_timestamp(*start + std::llround(*e.duration_s));
  }
  return c;
}

// "fault 301 over-force", "stopped by operator", "interrupted — no summary in the journal …".
std::string outcome_text(const SessionEntry &e) {
  if (!e.summary)
    return "interrupted \xE2\x80\x94 no summary in the journal (a crash or power cut)";
  const std::string name = text_at(*e.summary, {"fault"});
  if (!e.fault_code && name.empty()) return e.outcome;
  std::string fault = "fault";
  if (e.fault_code) fault += " " + std::to_string(*e.fault_code);
  if (!name.empty()) fault += " " + name;
  return e.outcome == "fault" ? fault : e.outcome + " \xE2\x80\x94 " + fault;
}

// No SNOMED CT code for mechanical traction could be confirmed, so the procedure is said in text,
// with the protocol it ran as a code of tractus's own. The body sites are SNOMED CT's (the
// concepts DICOM's "Common Anatomic Regions" use for the cervical and lumbar spine).
Json procedure_code(const SessionEntry &e) {
  Json code = Json::object();
  if (is_fhir_code(e.profile_id)) {
    Json c = {{"system", kFhirProtocolSystem}, {"code", e.profile_id}};
    if (auto name = fhir_text(e.profile_name)) c["display"] = *name;
    code["coding"] = Json::array({c});
  }
  code["text"] = "Mechanical spinal traction";
  return code;
}

std::optional<Json> body_site(std::string_view region) {
  std::string_view snomed, text;
  if (region == "lumbar") {
    snomed = "122496007", text = "Lumbar spine";
  } else if (region == "cervical") {
    snomed = "122494005", text = "Cervical spine";
  } else if (auto other = fhir_text(region)) {
    return Json::array({{{"text", *other}}});
  } else {
    return std::nullopt;
  }
  return Json::array(
      {{{"coding", Json::array({{{"system", kSnomed}, {"code", snomed}}})}, {"text", text}}});
}

Json procedure(const SessionEntry &e, const std::optional<SessionVisit> &visit, const Context &c) {
  Json p = c.resource("Procedure");
  if (auto id = fhir_text(e.session_id))
    p["identifier"] = Json::array({{{"system", c.session_ids}, {"value", *id}}});
  const std::string_view status = fhir_procedure_status(e.outcome);
  p["status"] = status;
  const std::string outcome = outcome_text(e);
  if (status != "completed")
    if (auto why = fhir_text(outcome)) p["statusReason"] = {{"text", *why}};
  p["code"] = procedure_code(e);
  // Procedure.subject is required: a session that named no patient says so in its place.
  p["subject"] =
      c.patient_url.empty() ? Json{{"display", "no patient id given"}} : reference(c.patient_url);
  if (c.start) p["performedPeriod"] = c.period();
  if (auto site = body_site(e.region)) p["bodySite"] = *site;
  std::vector<std::string> texts;
  if (!e.profile_id.empty() || !e.profile_name.empty())
    texts.push_back("Protocol " + e.profile_id + ": " + e.profile_name);
  texts.push_back("Outcome: " + outcome);
  if (visit) {
    std::string v = "Course visit " + std::to_string(visit->number);
    if (std::isfinite(visit->confirmed_force_n) && visit->confirmed_force_n > 0)
      v += ", force confirmed " + force_text(visit->confirmed_force_n);
    texts.push_back(v);
  }
  // The table's name stays out: by default it is the computer's, often a room's or a person's.
  if (e.simulated) texts.push_back("Ran on a simulated table: no patient was treated.");
  add_notes(p, texts);
  return p;
}

std::optional<Json> peak_force(const SessionEntry &e, const Context &c) {
  if (!e.peak_force_n || !std::isfinite(*e.peak_force_n)) return std::nullopt;
  // No LOINC code measures a traction force: the code is tractus's own.
  Json o =
      c.observation(category("therapy", "Therapy"),
                    {{"coding", Json::array({coding(kFhirObservationSystem, "peak-traction-force",
                                                    "Peak traction force")})},
                     {"text", "Peak traction force"}});
  // The highest force of the whole session: true of its period, not of one instant.
  if (c.start) o["effectivePeriod"] = c.period();
  o["valueQuantity"] = quantity(std::round(*e.peak_force_n * 10) / 10, "N");
  return o;
}

std::optional<Json> hold_rms_error(const SessionEntry &e, const Context &c) {
  const auto percent = e.hold_rms_error_percent;
  if (!percent || !std::isfinite(*percent)) return std::nullopt;
  Json o = c.observation(
      category("therapy", "Therapy"),
      {{"coding", Json::array({coding(kFhirObservationSystem, "hold-rms-force-error",
                                      "Hold RMS force error, percent of the setpoint")})},
       {"text", "Hold RMS force error, percent of the setpoint"}});
  if (c.start) o["effectivePeriod"] = c.period();
  o["valueQuantity"] = quantity(std::round(*percent * 100) / 100, "%");
  return o;
}

// A pain score on the 0–10 numeric rating scale; before the session at its start, after it at
// its end (when the clinician asked is not recorded: these are the nearest times known).
std::optional<Json> pain(std::optional<int> score, bool before, const Context &c) {
  if (!score || *score < 0 || *score > 10) return std::nullopt;
  Json o = c.observation(
      category("survey", "Survey"),
      {{"coding",
        Json::array({coding(kLoinc, "72514-3",
                            "Pain severity - 0-10 verbal numeric rating [Score] - Reported")})},
       {"text", "Pain severity 0-10"}});
  const auto &when = before ? c.start : (c.end ? c.end : c.start);
  if (when) o["effectiveDateTime"] = *when;
  o["valueInteger"] = *score;
  add_notes(o, {before ? "Before the traction session" : "After the traction session"});
  return o;
}

} // namespace

std::string name_based_uuid(const Uuid &name_space, std::string_view name) {
  std::string input(name_space.begin(), name_space.end());
  input.append(name);
  const auto digest = sha1(input);
  std::array<std::uint8_t, 16> u{};
  std::copy_n(digest.begin(), 16, u.begin());
  u[6] = static_cast<std::uint8_t>((u[6] & 0x0FU) | 0x50U); // version 5
  u[8] = static_cast<std::uint8_t>((u[8] & 0x3FU) | 0x80U); // the RFC's variant
  std::string text;
  constexpr const char *kHex = "0123456789abcdef";
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHex[u[i] >> 4]);
    text.push_back(kHex[u[i] & 0x0FU]);
  }
  return text;
}

std::string_view fhir_procedure_status(std::string_view outcome) {
  if (outcome == "completed") return "completed";
  if (outcome.starts_with("stopped") || outcome == "fault" || outcome == "interrupted")
    return "stopped";
  return "unknown";
}

FhirNamespaces fhir_namespaces(std::string_view clinic_uuid) {
  const std::string clinic = "urn:tractus:clinic:" + std::string(clinic_uuid);
  return {"urn:uuid:" + name_based_uuid(kUuidNamespaceUrl, clinic + ":patient-id"),
          "urn:uuid:" + name_based_uuid(kUuidNamespaceUrl, clinic + ":session-id")};
}

std::string session_fhir_bundle(const SessionEntry &entry, const std::optional<SessionVisit> &visit,
                                const ReportStamp &stamp, const FhirNamespaces &ns) {
  Context c = context_of(entry);
  c.session_ids = ns.session_ids;
  Json entries = Json::array();
  const auto add = [&](const std::string &full_url, Json resource) {
    entries.push_back({{"fullUrl", full_url}, {"resource", std::move(resource)}});
  };
  if (!c.patient_url.empty()) {
    // The clinic's id and nothing else: tractus keeps no name, birth date or gender.
    Json patient = c.resource("Patient");
    patient["identifier"] =
        Json::array({{{"system", ns.patient_ids}, {"value", *fhir_text(entry.patient_id)}}});
    add(c.patient_url, std::move(patient));
  }
  add(c.procedure_url, procedure(entry, visit, c));
  if (auto o = peak_force(entry, c)) add(c.url("peak-force"), std::move(*o));
  if (auto o = hold_rms_error(entry, c)) add(c.url("hold-rms-error"), std::move(*o));
  if (visit) {
    if (auto o = pain(visit->pain_before, true, c)) add(c.url("pain-before"), std::move(*o));
    if (auto o = pain(visit->pain_after, false, c)) add(c.url("pain-after"), std::move(*o));
  }
  // A collection: a set of resources handed on together. Not a "document" (that is a
  // Composition someone attests, with author and title, the first entry) nor a "transaction"
  // (instructions to one server, a request in each entry): an export asserts only what it holds.
  Json bundle = c.resource("Bundle");
  bundle["identifier"] = {{"system", "urn:ietf:rfc:3986"}, {"value", c.url("bundle")}};
  bundle["type"] = "collection";
  if (const auto made = utc_seconds(stamp.generated_utc))
    bundle["timestamp"] = text::utc_timestamp(*made);
  bundle["entry"] = std::move(entries);
  return bundle.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace tractus::records::report
