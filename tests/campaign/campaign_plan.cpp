// Planning a campaign: which protocols (shortened to whole minutes, or their short forms over
// Modbus), and for each session its patient, body mass, fault kind and the moment it strikes.
// A session's plan depends on the campaign's seed and its own index alone.
#include "campaign.hpp"
#include "short_protocols.hpp"
#include "wire_faults.hpp"

#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "sim/injection.hpp"
#include "sim/patient_preset.hpp"
#include "sim/random.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tractus::campaign {

namespace {

// A planned event in Pretension lands this far after entering it at most: taking up the
// slack lasts 2–8 s on the stock patients (10–40 mm at 5 mm/s), then the 1 s settle.
constexpr double kPretensionWindowS = 1.4;
// A planned pause lasts this long (s): the level settles at half the setpoint in a few seconds.
constexpr double kPauseMinS = 2.0;
constexpr double kPauseMaxS = 20.0;
constexpr double kPauseMaxModbusS = 5.0; // real time: short sessions

// Plausible body masses for each simulated patient (the profile decides the force in %bw).
struct MassRange {
  std::string_view preset;
  double lo_kg, hi_kg;
};
constexpr MassRange kMassRanges[] = {
    {"light", 45, 65}, {"average", 65, 110}, {"heavy", 110, 185}, {"cervical", 50, 120}};

sim::Region sim_region(profiles::Region r) {
  return r == profiles::Region::Cervical ? sim::Region::Cervical : sim::Region::Lumbar;
}

std::vector<const sim::PatientPreset *> presets_for(profiles::Region region) {
  std::vector<const sim::PatientPreset *> out;
  for (const sim::PatientPreset &p : sim::patient_presets())
    if (p.region == sim_region(region)) out.push_back(&p);
  return out;
}

bool compiles(const profiles::Profile &profile, Mass mass) {
  return profiles::compile(profile, profiles::Patient{"campaign", mass}).ok();
}

std::uint64_t session_seed(std::uint64_t campaign_seed, std::uint64_t index) {
  sim::Random r(campaign_seed, index + 1);
  return r.next();
}

} // namespace

std::vector<std::string> campaign_kinds(const CampaignOptions &o) {
  std::vector<std::string> kinds;
  if (o.table == TableKind::ModbusTcp) {
    for (const KindRule &r : wire_kind_rules())
      kinds.emplace_back(r.kind);
  } else {
    for (const sim::InjectionKind &k : sim::injection_kinds())
      kinds.emplace_back(k.name);
    kinds.emplace_back(kOperatorStop);
  }
  if (o.kinds.empty()) return kinds;
  for (const std::string &k : o.kinds)
    if (std::find(kinds.begin(), kinds.end(), k) == kinds.end())
      throw std::invalid_argument("unknown fault kind \"" + k + "\"");
  return o.kinds;
}

std::vector<CampaignProfile> campaign_profiles(Duration session_length) {
  const profiles::Library library = profiles::load_library();
  if (!library.problems.empty())
    throw std::runtime_error("stock library: " + profiles::to_string(library.problems.front()));
  std::vector<CampaignProfile> out;
  for (const profiles::LibraryEntry &e : library.entries) {
    CampaignProfile cp{e.profile, e.profile.duration};
    const auto presets = presets_for(e.profile.region);
    auto fits = [&](const profiles::Profile &p) {
      for (const sim::PatientPreset *preset : presets)
        if (!compiles(p, preset->body_mass)) return false;
      return true;
    };
    if (!fits(cp.profile))
      throw std::runtime_error("stock profile " + e.profile.id +
                               " does not compile for its presets");
    if (session_length.si() > 0) {
      // The shortest whole-minute duration from session_length up that still compiles (a
      // protocol with many progressive steps needs its cycles).
      for (double m = session_length.si() / 60.0; m < cp.stock_duration.si() / 60.0; m += 1.0) {
        profiles::Profile shorter = cp.profile;
        shorter.duration = minutes(m);
        if (fits(shorter)) {
          cp.profile = shorter;
          break;
        }
      }
    }
    out.push_back(std::move(cp));
  }
  if (out.empty()) throw std::runtime_error("the stock library is empty");
  return out;
}

std::vector<CampaignProfile> campaign_profiles(const CampaignOptions &options) {
  if (options.table != TableKind::ModbusTcp) return campaign_profiles(options.session_length);
  const profiles::Library library = profiles::load_library();
  if (!library.problems.empty())
    throw std::runtime_error("stock library: " + profiles::to_string(library.problems.front()));
  std::vector<CampaignProfile> out;
  for (const profiles::LibraryEntry &e : library.entries) {
    CampaignProfile cp{short_form(e.profile), e.profile.duration};
    for (const sim::PatientPreset *preset : presets_for(e.profile.region))
      if (!session_trajectory(cp.profile, preset->body_mass, options))
        throw std::runtime_error("the short form of " + e.profile.id +
                                 " does not compile for its presets");
    out.push_back(std::move(cp));
  }
  if (out.empty()) throw std::runtime_error("the stock library is empty");
  return out;
}

std::optional<profiles::Trajectory> session_trajectory(const profiles::Profile &profile,
                                                       Mass body_mass,
                                                       const CampaignOptions &options) {
  if (options.table == TableKind::ModbusTcp)
    return short_trajectory(profile, body_mass, options.treatment);
  auto compiled = profiles::compile(profile, profiles::Patient{"campaign", body_mass});
  if (!compiled.ok()) return std::nullopt;
  return std::move(*compiled.value);
}

SessionPlan plan_session(const std::vector<CampaignProfile> &profiles,
                         const CampaignOptions &options, std::uint64_t index) {
  // One stream per session: the plan of session i never depends on the others.
  sim::Random r(options.seed, 0x5AFE'0000'0000ULL + index);
  auto pick = [&r](std::size_t n) {
    return static_cast<std::size_t>(r.uniform() * static_cast<double>(n)) % n;
  };
  SessionPlan p;
  p.index = index;
  p.campaign_seed = options.seed;
  p.seed = session_seed(options.seed, index);
  p.slip_response = options.slip_response;

  const CampaignProfile &cp = profiles[pick(profiles.size())];
  p.profile = cp.profile.id;
  p.duration = cp.profile.duration;
  const auto presets = presets_for(cp.profile.region);
  p.preset = presets[pick(presets.size())];
  p.body_mass = p.preset->body_mass;
  if (r.uniform() < 0.5) {
    for (const MassRange &m : kMassRanges) {
      if (m.preset != p.preset->name) continue;
      const Mass drawn = kilograms(std::round(r.uniform(m.lo_kg, m.hi_kg) * 10.0) / 10.0);
      if (session_trajectory(cp.profile, drawn, options)) p.body_mass = drawn;
    }
  }

  const std::vector<std::string> kinds = campaign_kinds(options);
  if (r.uniform() >= options.no_fault_share) p.kind = kinds[pick(kinds.size())];

  // Where: pretension, or uniformly in time over the segments of a phase the protocol has.
  const auto trajectory = session_trajectory(cp.profile, p.body_mass, options);
  if (!trajectory) throw std::runtime_error(cp.profile.id + " does not compile for the preset");
  std::vector<Target> targets{Target::Pretension};
  const std::pair<profiles::Phase, Target> phases[] = {{profiles::Phase::Ramp, Target::Ramp},
                                                       {profiles::Phase::Hold, Target::Hold},
                                                       {profiles::Phase::Rest, Target::Rest},
                                                       {profiles::Phase::Release, Target::Release}};
  for (const auto &[phase, target] : phases)
    for (const profiles::Segment &s : trajectory->segments())
      if (s.phase == phase && s.length.si() > 0) {
        targets.push_back(target);
        break;
      }
  targets.push_back(Target::Paused);
  p.target = targets[pick(targets.size())];
  if (p.target == Target::Paused) {
    // Paused anywhere in the treatment before its final release.
    Duration end{};
    for (const profiles::Segment &s : trajectory->segments())
      if (s.phase != profiles::Phase::Release) end = max(end, s.end());
    p.pause_at = seconds(std::round(r.uniform(0.0, end.si()) * 1e3) / 1e3);
    const double pause_max = options.table == TableKind::ModbusTcp ? kPauseMaxModbusS : kPauseMaxS;
    p.pause_for = seconds(std::round(r.uniform(kPauseMinS, pause_max) * 1e3) / 1e3);
    p.at = seconds(std::round(r.uniform(0.1, p.pause_for.si() - 0.1) * 1e3) / 1e3);
  } else if (p.target == Target::Pretension) {
    p.at = seconds(std::round(r.uniform(0.0, kPretensionWindowS) * 1e3) / 1e3);
  } else {
    profiles::Phase want = profiles::Phase::Hold;
    for (const auto &[phase, target] : phases)
      if (target == p.target) want = phase;
    double total = 0;
    for (const profiles::Segment &s : trajectory->segments())
      if (s.phase == want) total += s.length.si();
    double u = r.uniform(0.0, total);
    for (const profiles::Segment &s : trajectory->segments()) {
      if (s.phase != want) continue;
      if (u <= s.length.si()) {
        p.at = seconds(std::round((s.start.si() + u) * 1e3) / 1e3);
        break;
      }
      u -= s.length.si();
    }
  }
  return p;
}

} // namespace tractus::campaign
