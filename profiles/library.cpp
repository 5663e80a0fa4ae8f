#include "profiles/library.hpp"

#include "profiles/profile_parser.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

namespace tractus::profiles {
namespace {

bool is_slug(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::vector<std::filesystem::path> profile_files(const std::filesystem::path &dir) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto &entry : std::filesystem::directory_iterator(dir, error))
    if (entry.is_regular_file(error) && entry.path().extension() == ".json")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Library files are labelled by their name alone: messages stay short and the same on every
// machine.
Result<Profile> load_library_file(const std::filesystem::path &file, const Limits &limits) {
  Result<Profile> loaded = load_profile(file, limits);
  const std::string label = file.filename().string();
  for (Problem &problem : loaded.problems)
    if (problem.file == file.string()) problem.file = label;
  if (!loaded.ok()) return loaded;
  loaded.value->source = label;
  const std::string stem = file.stem().string();
  if (loaded.value->id != stem)
    return {
        std::nullopt,
        {Problem{label, "/id",
                 in_quotes(loaded.value->id) + " does not match the file name (" + stem + ")"}}};
  return loaded;
}

} // namespace

std::filesystem::path default_library_dir() {
  if (const char *dir = std::getenv("TRACTUS_PROFILE_DIR"); dir != nullptr && *dir != '\0')
    return dir;
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const std::filesystem::path installed = exe.parent_path() / TRACTUS_INSTALLED_PROFILES;
    if (std::filesystem::is_directory(installed, error)) return installed.lexically_normal();
  }
  return TRACTUS_PROFILE_LIBRARY;
}

Library load_library(const std::filesystem::path &dir, const Limits &limits) {
  Library library;
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    library.problems.push_back(
        {dir.string(), "/", "is not a directory (the profile library directory)"});
    return library;
  }
  for (const auto &file : profile_files(dir)) {
    Result<Profile> loaded = load_library_file(file, limits);
    if (loaded.ok())
      library.entries.push_back({file, std::move(*loaded.value)});
    else
      library.problems.insert(library.problems.end(), loaded.problems.begin(),
                              loaded.problems.end());
  }
  std::sort(
      library.entries.begin(), library.entries.end(),
      [](const LibraryEntry &a, const LibraryEntry &b) { return a.profile.id < b.profile.id; });
  return library;
}

Result<Profile> find_profile(std::string_view id_or_file, const std::filesystem::path &dir,
                             const Limits &limits) {
  const std::string text(id_or_file);
  if (text.find('/') != std::string::npos || text.ends_with(".json"))
    return load_profile(text, limits);
  if (!is_slug(text))
    return {std::nullopt,
            {Problem{text, "/",
                     "is neither a profile id nor a .json file (an id such as lumbar-static, or a "
                     "path ending in .json)"}}};
  const std::filesystem::path file = dir / (text + ".json");
  std::error_code error;
  if (!std::filesystem::exists(file, error)) {
    std::string ids;
    for (const auto &known : profile_files(dir))
      ids += (ids.empty() ? "" : ", ") + known.stem().string();
    return {std::nullopt, {Problem{text, "/", "no such profile in the library (" + ids + ")"}}};
  }
  return load_library_file(file, limits);
}

} // namespace tractus::profiles
