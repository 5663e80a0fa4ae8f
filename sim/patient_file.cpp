#include "sim/patient_file.hpp"

#include "profiles/quantity_text.hpp"
#include "sim/patient_envelope.hpp"
#include "strict_json/strict_json.hpp"
#include "text/number_text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <string>
#include <vector>

namespace tractus::sim {
namespace {

using Json = nlohmann::ordered_json; // keeps document order, so problems list in file order

// A patient file is about 1 KiB; anything near this is not one.
constexpr std::size_t kMaxFileBytes = 64 * 1024;

// The document's texts; the figures (patient_figures()) give every other key, and the objects
// that hold them ("/harness" …).
constexpr std::array<std::string_view, 4> kTextKeys{"/format", "/name", "/description", "/region"};

PatientRead refused(const std::string &file, std::string message) {
  return PatientRead{std::nullopt, {profiles::Problem{file, "/", std::move(message)}}};
}

// "is a string", "is an object", "is null": what a value of the wrong JSON type is.
std::string kind_of(const Json &value) {
  if (value.is_null()) return "is null";
  const std::string type = value.type_name();
  return (type.front() == 'a' || type.front() == 'o' ? "is an " : "is a ") + type;
}

// The keys the object at `object` ("" for the document) holds, in the documented order.
std::vector<std::string> keys_of(std::string_view object) {
  std::vector<std::string> keys;
  const auto add = [&](std::string_view pointer) {
    if (pointer.size() <= object.size() + 1 || !pointer.starts_with(object) ||
        pointer[object.size()] != '/')
      return;
    const std::string_view rest = pointer.substr(object.size() + 1);
    std::string key(rest.substr(0, rest.find('/')));
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
  };
  for (const std::string_view pointer : kTextKeys)
    add(pointer);
  for (const PatientFigure &figure : patient_figures())
    add(figure.pointer);
  return keys;
}

std::string joined(const std::vector<std::string> &keys) {
  std::string list;
  for (const std::string &key : keys)
    list += (list.empty() ? "" : ", ") + key;
  return list;
}

const PatientFigure *figure_at(std::string_view pointer) {
  for (const PatientFigure &figure : patient_figures())
    if (figure.pointer == pointer) return &figure;
  return nullptr;
}

// What a figure must look like, for a message: `a force such as "13 N" or "3 lbf", 0 to 60 N`.
std::string allowed(const PatientFigure &figure) {
  switch (figure.text) {
  case FigureText::Mass: return "a mass such as \"80 kg\" or \"176 lb\", " + envelope_text(figure);
  case FigureText::Force: return "a force such as \"13 N\" or \"3 lbf\", " + envelope_text(figure);
  case FigureText::Duration:
    return "a duration such as \"60 s\" or \"5 min\", " + envelope_text(figure);
  case FigureText::Number: break;
  }
  return envelope_text(figure);
}

// The quantity in the figure's SI unit, by the reader tractus uses for it everywhere.
text::Outcome<double> read_quantity(const PatientFigure &figure, const std::string &text) {
  const auto si = [](const auto &parsed) {
    return parsed ? text::Outcome<double>{parsed.value->si(), {}}
                  : text::Outcome<double>::failure(parsed.error);
  };
  if (figure.text == FigureText::Mass) return si(profiles::parse_body_mass(text));
  if (figure.text == FigureText::Force) return si(profiles::parse_force(text));
  return si(profiles::parse_duration(text));
}

// The figure as the file holds it, with `decimals` at most: a number, or a quantity's text.
Json figure_json(const PatientFigure &figure, double value, int decimals) {
  const std::string number = text::format_number(value, decimals);
  if (figure.text != FigureText::Number) return number + " " + std::string(figure.unit);
  double read = value;
  std::from_chars(number.data(), number.data() + number.size(), read); // as a reader reads it
  return read;
}

// Whether `document_value`, read as a patient file's reader reads it, sets the figure to exactly
// the patient's own.
bool reads_back(const PatientFigure &figure, const Json &document_value,
                const PatientPreset &patient) {
  double read = 0.0;
  if (figure.text == FigureText::Number) {
    read = document_value.get<double>();
  } else {
    const text::Outcome<double> quantity = read_quantity(figure, document_value.get<std::string>());
    if (!quantity) return false;
    read = *quantity.value;
  }
  PatientPreset again = patient;
  figure.set(again, read);
  return again == patient;
}

bool is_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// One line of 1 to 120 characters (UTF-8 continuation bytes do not count), no control ones.
bool is_description(std::string_view text) {
  const auto characters = std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  });
  return characters >= 1 && characters <= 120 && std::none_of(text.begin(), text.end(), [](char c) {
           return static_cast<unsigned char>(c) < 0x20U || c == '\x7F';
         });
}

// Walks the document, setting each figure it can read and naming every problem.
class PatientReader {
public:
  PatientReader(std::string file, std::vector<profiles::Problem> &problems)
      : file_(std::move(file)), problems_(problems) {}

  void read_object(const Json &object, const std::string &pointer) {
    const std::vector<std::string> keys = keys_of(pointer);
    for (const auto &[key, value] : object.items()) {
      const std::string member = pointer + "/" + strict_json::json_pointer_token(key);
      if (std::find(keys.begin(), keys.end(), key) == keys.end())
        add(member, "unknown key (known keys: " + joined(keys) + ")");
      else
        read_member(member, value);
    }
    for (const std::string &key : keys)
      if (!object.contains(key)) add(pointer + "/" + key, "missing (required)");
  }

  // One problem per pointer: the first is what to fix.
  void add(const std::string &pointer, std::string message) {
    if (std::none_of(problems_.begin(), problems_.end(),
                     [&](const profiles::Problem &p) { return p.pointer == pointer; }))
      problems_.push_back({file_, pointer, std::move(message)});
  }

  // The figures read; its texts view this reader.
  [[nodiscard]] PatientPreset patient() const {
    PatientPreset patient = patient_;
    patient.name = name_;
    patient.description = description_;
    return patient;
  }

private:
  void read_member(const std::string &pointer, const Json &value) {
    if (const PatientFigure *figure = figure_at(pointer)) return read_figure(*figure, value);
    if (std::find(kTextKeys.begin(), kTextKeys.end(), pointer) != kTextKeys.end())
      return read_text(pointer, value);
    if (!value.is_object())
      return add(pointer,
                 kind_of(value) + ", must be an object (" + joined(keys_of(pointer)) + ")");
    read_object(value, pointer);
  }

  void read_figure(const PatientFigure &figure, const Json &value) {
    const std::string pointer(figure.pointer);
    const bool number = figure.text == FigureText::Number;
    if (number ? !value.is_number() : !value.is_string())
      return add(pointer, kind_of(value) + ", must be a " + (number ? "number" : "string") + " (" +
                              allowed(figure) + ")");
    const text::Outcome<double> read = number ? text::Outcome<double>{value.get<double>(), {}}
                                              : read_quantity(figure, value.get<std::string>());
    if (!read) return add(pointer, read.error + " (" + allowed(figure) + ")");
    if (std::string outside = outside_envelope(figure, *read.value); !outside.empty())
      return add(pointer, std::move(outside));
    figure.set(patient_, *read.value);
  }

  void read_text(const std::string &pointer, const Json &value) {
    const std::string rule =
        pointer == "/format"        ? "must be \"" + std::string(kPatientFormat) + "\""
        : pointer == "/name"        ? "1 to 64 characters from a-z, 0-9 and -"
        : pointer == "/description" ? "one line of 1 to 120 printable characters"
                                    : "lumbar or cervical";
    if (!value.is_string())
      return add(pointer, kind_of(value) + ", must be a string (" + rule + ")");
    const std::string &text = value.get_ref<const std::string &>();
    const std::string said = profiles::in_quotes(text);
    if (pointer == "/format") {
      if (text != kPatientFormat) add(pointer, said + " is not this format (" + rule + ")");
    } else if (pointer == "/name") {
      if (is_name(text))
        name_ = text;
      else
        add(pointer, said + " is not a name (" + rule + ")");
    } else if (pointer == "/description") {
      if (is_description(text))
        description_ = text;
      else
        add(pointer, said + " is not a description (" + rule + ")");
    } else if (text == "lumbar" || text == "cervical") {
      patient_.region = text == "lumbar" ? Region::Lumbar : Region::Cervical;
    } else {
      add(pointer, said + " is not a region (" + rule + ")");
    }
  }

  std::string file_;
  std::vector<profiles::Problem> &problems_;
  PatientPreset patient_{};
  std::string name_, description_;
};

// "[json.exception.parse_error.101] parse error at line 1, column 9: …" without its tag.
std::string syntax_error(const std::string &what) {
  const std::size_t tag_end = what.find("] ");
  return "not valid JSON: " + (tag_end == std::string::npos ? what : what.substr(tag_end + 2));
}

} // namespace

PatientRead parse_patient(std::string_view json_text, std::string_view file) {
  const std::string label(file);
  std::vector<std::string> duplicates;
  Json root;
  try {
    root = strict_json::parse_noting_duplicates<Json>(json_text, duplicates);
  } catch (const Json::parse_error &error) {
    return refused(label, syntax_error(error.what()));
  } catch (const Json::out_of_range &) {
    // The reader stops at a number no double can hold (99e999599).
    return refused(label, "a number is too large to read (numbers must fit a double)");
  }
  if (!root.is_object())
    return refused(label, kind_of(root) + ", must be an object (a tractus.patient/1 document)");
  std::vector<profiles::Problem> problems;
  PatientReader reader(label, problems);
  // A key given twice would keep its last value without a word: another patient than written.
  for (const std::string &pointer : duplicates)
    reader.add(pointer, "duplicate key (each key at most once)");
  reader.read_object(root, "");
  if (!problems.empty()) return {std::nullopt, std::move(problems)};
  const PatientPreset patient = reader.patient();
  for (EnvelopeProblem &problem : envelope_problems(patient))
    problems.push_back({label, std::move(problem.pointer), std::move(problem.message)});
  if (!problems.empty()) return {std::nullopt, std::move(problems)};
  return {SimulatedPatient(patient, label), {}};
}

PatientRead load_patient_file(const std::filesystem::path &path) {
  const std::string file = path.string();
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (std::filesystem::is_directory(status))
    return refused(file, "is a directory (a tractus.patient/1 file)");
  // A pipe or a device would block the read (a FIFO until something writes to it).
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    return refused(file, "is not a regular file (a tractus.patient/1 file)");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return refused(file, std::filesystem::exists(path, error)
                             ? "cannot be read (a readable tractus.patient/1 file)"
                             : "does not exist (a tractus.patient/1 file)");
  std::string text(kMaxFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxFileBytes)
    return refused(file, "is larger than 64 KiB (a patient file is about 1 KiB)");
  return parse_patient(text, file);
}

bool names_patient_file(std::string_view what) noexcept {
  return what.find('/') != std::string_view::npos || what.ends_with(".json");
}

text::Outcome<SimulatedPatient> find_simulated_patient(std::string_view what) {
  using Found = text::Outcome<SimulatedPatient>;
  if (!names_patient_file(what)) {
    if (const PatientPreset *preset = find_patient_preset(what)) return {*preset, {}};
    return Found::failure("unknown simulated patient " + profiles::in_quotes(what) + " (known: " +
                          std::string(patient_preset_names()) + "; or a patient file, FILE.json)");
  }
  PatientRead read = load_patient_file(std::filesystem::path(what));
  if (read) return {std::move(read.value), {}};
  std::string error = "the patient file is refused (docs/simulator.md, \"Patient files\"):";
  for (const profiles::Problem &problem : read.problems)
    error += "\n" + profiles::to_string(problem);
  return Found::failure(std::move(error));
}

// Enough decimals for every digit a double holds of the envelope's smallest figures.
constexpr int kMostDecimals = 40;

nlohmann::ordered_json patient_document(const PatientPreset &patient) {
  Json document;
  document["format"] = kPatientFormat;
  document["name"] = patient.name;
  document["description"] = patient.description;
  document["region"] = patient.region == Region::Lumbar ? "lumbar" : "cervical";
  for (const PatientFigure &figure : patient_figures()) {
    // The fewest decimals, six at least, that read back to exactly the patient's figure: as a
    // person writes it where that is exact (25 mm, never 25.000000000000004), every digit a
    // double needs where it is not (a figure given as "176 lb" is 79.83225712000001 kg), so a
    // run from the journal's record is the run that was, bit for bit (docs/simulator.md).
    const double value = figure.get(patient);
    Json written = figure_json(figure, value, 6);
    for (int decimals = 7; decimals <= kMostDecimals && !reads_back(figure, written, patient);
         ++decimals)
      written = figure_json(figure, value, decimals);
    document[Json::json_pointer(std::string(figure.pointer))] = std::move(written);
  }
  return document;
}

} // namespace tractus::sim
