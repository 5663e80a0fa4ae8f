// libFuzzer target: a profile file is outside input (typed by hand, copied between clinics).
// Whatever the bytes, parse_profile() must return problems or a profile, never crash, hang or
// trip a sanitizer; a profile it accepts must compile or be refused with problems, and its
// trajectory must stay finite and within the caps it was compiled under.
#include "profiles/compile.hpp"
#include "profiles/profile_parser.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace tractus;
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  const auto parsed = profiles::parse_profile(text, "fuzz.json");
  if (parsed.ok() == !parsed.problems.empty()) std::abort(); // exactly one of the two
  if (!parsed.ok()) return 0;
  for (const double kg : {50.0, 185.0}) {
    const auto compiled = profiles::compile(*parsed.value, {"fuzz", kilograms(kg)});
    if (!compiled.ok()) continue;
    const auto &trajectory = *compiled.value;
    const double ceiling = trajectory.forces().ceiling.si();
    const double step = std::max(trajectory.total_duration().si() / 500.0, 1e-3);
    for (double t = 0; t <= trajectory.total_duration().si() + 1; t += step) {
      const auto sp = trajectory.at(seconds(t));
      if (!std::isfinite(sp.force.si()) || sp.force.si() < 0 || sp.force.si() > ceiling + 1e-6)
        std::abort();
    }
  }
  return 0;
}
