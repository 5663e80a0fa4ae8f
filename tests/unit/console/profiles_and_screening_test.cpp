// The protocol list, a protocol's preview for one patient, and the screening checklist.
#include "console_support.hpp"

#include "bindings/table_bindings.hpp"

#include <gmock/gmock.h>

namespace tractus::console {
namespace {

using ::testing::HasSubstr;

class ServiceWithoutSession : public ::testing::Test {
protected:
  TableService service{bindings::make_table_binding("sim", 1).value.value(), ServiceOptions{}};
};

TEST_F(ServiceWithoutSession, ListsTheStockProtocols) {
  const ApiResult r = service.profiles();
  ASSERT_EQ(r.status, 200);
  std::vector<std::string> ids;
  for (const auto &p : r.body["profiles"])
    ids.push_back(p["id"]);
  EXPECT_THAT(ids, ::testing::IsSupersetOf({"lumbar-static", "lumbar-intermittent", "lumbar-cyclic",
                                            "lumbar-progressive", "cervical-static",
                                            "cervical-intermittent"}));
  EXPECT_EQ(r.body["profiles"][0]["max_force"].get<std::string>().empty(), false);
}

TEST_F(ServiceWithoutSession, PreviewScalesWithTheWeightAndRefusesATooHeavyPatient) {
  const ApiResult light = service.preview("lumbar-static", "55 kg");
  ASSERT_EQ(light.status, 200) << light.body.dump();
  EXPECT_NEAR(light.body["peak_N"].get<double>(), 0.33 * 55 * 9.80665, 1.0); // 33 %bw: 178 N
  EXPECT_LE(light.body["points"].size(), 600U);
  EXPECT_EQ(light.body["points"].back()[1].get<double>(), 0.0); // ends released
  EXPECT_NEAR(light.body["duration_s"].get<double>(), 900.0, 1e-9);

  const ApiResult lb = service.preview("lumbar-static", "176 lb");
  ASSERT_EQ(lb.status, 200);
  EXPECT_GT(lb.body["peak_N"].get<double>(), light.body["peak_N"].get<double>());

  // 290 kg: 33 %bw is 939 N, above the 890 N hard cap.
  const ApiResult heavy = service.preview("lumbar-static", "290 kg");
  EXPECT_EQ(heavy.status, 422);
  EXPECT_EQ(heavy.body["error"]["code"], "invalid");
  EXPECT_THAT(heavy.body["error"]["problems"][0].get<std::string>(), HasSubstr("890 N"));
}

TEST_F(ServiceWithoutSession, PreviewAnswers404ForAnUnknownIdAnd422ForABadWeight) {
  EXPECT_EQ(service.preview("no-such", "80 kg").status, 404);
  EXPECT_EQ(service.preview("../etc/passwd", "80 kg").status, 404);
  const ApiResult bad = service.preview("lumbar-static", "80");
  EXPECT_EQ(bad.status, 422);
  EXPECT_THAT(bad.body["error"]["problems"][0].get<std::string>(), HasSubstr("weight: "));
}

TEST(Screening, NamesTheContraindicationsAndRedFlagsOfTheDesign) {
  const nlohmann::json c = screening_checklist_json();
  std::string text = c.dump();
  for (const char *must : {"Pregnancy", "Tumour", "Fracture", "Osteoporosis", "implants",
                           "bladder or bowel", "weakness or numbness", "Fever"})
    EXPECT_THAT(text, HasSubstr(must));
  for (const auto &item : c["contraindications"]) {
    EXPECT_TRUE(item.contains("id"));
    EXPECT_TRUE(item.contains("text"));
  }
  EXPECT_GE(c["red_flags"].size(), 4U);
}

} // namespace
} // namespace tractus::console
