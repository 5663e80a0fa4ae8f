#include "profiles/problem.hpp"

namespace tractus::profiles {

std::string to_string(const Problem &problem) {
  return problem.file + ": " + problem.pointer + ": " + problem.message;
}

std::vector<std::string> to_strings(const std::vector<Problem> &problems) {
  std::vector<std::string> lines;
  lines.reserve(problems.size());
  for (const Problem &problem : problems)
    lines.push_back(to_string(problem));
  return lines;
}

} // namespace tractus::profiles
