#include "console/screening.hpp"

namespace tractus::console {

namespace {

constexpr ScreeningItem kContraindications[] = {
    {"pregnancy", "Pregnancy"},
    {"spinal-tumour", "Tumour or malignancy of the spine, or a cancer that may have spread to it"},
    {"recent-fracture", "Fracture of the spine or pelvis, recent or not fully healed"},
    {"osteoporosis", "Osteoporosis or another disease that weakens the bones"},
    {"spinal-implants", "Spinal implants, fusion or other surgical hardware in the spine"},
    {"recent-spinal-surgery", "Spinal surgery in the last 6 months"},
    {"spinal-infection", "Infection of the spine or the discs (osteomyelitis, discitis)"},
    {"aortic-aneurysm", "Abdominal aortic aneurysm"},
    {"spinal-instability",
     "Spinal instability (spondylolisthesis above grade 1, rheumatoid arthritis of the neck)"},
};

constexpr ScreeningItem kRedFlags[] = {
    {"bladder-bowel-control", "Loss of bladder or bowel control, or new difficulty passing urine"},
    {"saddle-numbness", "Numbness in the groin, buttocks or inner thighs (saddle area)"},
    {"progressive-weakness", "Progressive weakness or numbness in the legs or arms"},
    {"fever", "Fever, chills or other signs of infection"},
    {"weight-loss", "Unexplained weight loss"},
    {"night-pain", "Severe pain at night or at rest that does not ease"},
    {"recent-trauma", "Recent significant trauma (a fall, a road accident)"},
};

nlohmann::json items_json(std::span<const ScreeningItem> items) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto &i : items)
    a.push_back({{"id", std::string(i.id)}, {"text", std::string(i.text)}});
  return a;
}

} // namespace

std::span<const ScreeningItem> contraindications() noexcept { return kContraindications; }
std::span<const ScreeningItem> red_flags() noexcept { return kRedFlags; }

nlohmann::json screening_checklist_json() {
  return {{"contraindications", items_json(contraindications())},
          {"red_flags", items_json(red_flags())},
          {"rule", "Answer every item with the patient. Any yes: no session; refer the patient."}};
}

} // namespace tractus::console
