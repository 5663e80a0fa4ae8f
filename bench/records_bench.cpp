// The records store's figures (issue 12; docs/performance.md "The records store"):
//   - the size a 20-minute session takes in the store (a real journal of lumbar-intermittent,
//     indexed), on SQLite and PostgreSQL;
//   - the time to open a patient with 100 visits (three courses of 40, 40 and 20, every visit
//     run), as the console's GET /api/records/patients/{id} does: the patient, their courses
//     with every visit and its session and the next proposal, and their sessions;
//   - the time to render that patient's 40-visit course report (PDF, and PNG at 2 px a point).
// The PostgreSQL runs use a server the bench starts itself (tests/support/postgres_cluster).
#include "console/journal_records.hpp"
#include "console/records_service.hpp"
#include "records/courses.hpp"
#include "records/patients.hpp"
#include "records/report/course_report.hpp"
#include "records/sessions.hpp"
#include "support/command_output.hpp"
#include "support/postgres_cluster.hpp"
#include "support/temp_dir.hpp"

#include <benchmark/benchmark.h>
#include <soci/soci.h>

#include <memory>

namespace {

using namespace tractus;

// One real 20-minute journal, written once by `tractus run` (lumbar-intermittent, 80 kg, the
// simulator in virtual time): header, samples at 10 Hz, events and summary as in the clinic.
const records::JournalView &twenty_minute_journal() {
  static testing::TempDir dir("records-bench-journal");
  static const records::JournalView view = [] {
    const auto ran = testing::run_command(std::string(TRACTUS_BIN) +
                                          " run --profile lumbar-intermittent --weight 80kg "
                                          "--patient P-0100 --journal " +
                                          dir.path().string());
    if (ran.exit_code != 0) throw std::runtime_error("tractus run: " + ran.output);
    return console::journal_view(std::filesystem::directory_iterator(dir.path())->path());
  }();
  return view;
}

// A store on `backend`, alive for the whole bench program.
struct Store {
  std::unique_ptr<testing::TempDir> dir;
  std::unique_ptr<testing::PostgresCluster> cluster;
  records::StoreAddress address;
  std::unique_ptr<records::RecordsStore> store;
};

Store make_store(records::Backend backend, const std::string &name) {
  Store s;
  if (backend == records::Backend::Postgresql) {
    s.cluster = std::make_unique<testing::PostgresCluster>(name);
    s.address = {records::Backend::Postgresql, s.cluster->uri() + "?connect_timeout=5",
                 s.cluster->uri()};
  } else {
    s.dir = std::make_unique<testing::TempDir>("records-bench-" + name);
    const auto file = (s.dir->path() / "records.sqlite").string();
    s.address = {records::Backend::Sqlite, file, "sqlite:" + file};
  }
  s.store = std::make_unique<records::RecordsStore>(s.address, "bench");
  return s;
}

// The bytes the store holds of one indexed session: what each column holds (SQLite and
// PostgreSQL alike), and for PostgreSQL its own measure of the row on disk (pg_column_size,
// after its TOAST compression of the long JSON columns).
void BM_SessionSizeInStore(benchmark::State &state) {
  const auto backend = static_cast<records::Backend>(state.range(0));
  const auto &journal = twenty_minute_journal();
  auto s = make_store(backend, "size");
  const auto entry = records::session_entry(journal, "bench");
  for (auto _ : state)
    records::index_session(*s.store, entry);
  long long text_bytes = 0;
  s.store->sql() << "SELECT SUM(LENGTH(header_json) + LENGTH(events_json) + "
                    "LENGTH(COALESCE(summary_json, '')) + LENGTH(curve_json) + LENGTH(problems))"
                    " FROM sessions",
      soci::into(text_bytes);
  state.counters["journal_bytes"] = static_cast<double>(journal.bytes);
  state.counters["store_text_bytes"] = static_cast<double>(text_bytes);
  state.counters["curve_points"] = static_cast<double>(entry.curve.size());
  state.counters["events"] = static_cast<double>(entry.events.size());
  if (backend == records::Backend::Postgresql) {
    long long row_bytes = 0;
    s.store->sql() << "SELECT SUM(pg_column_size(sessions.*)) FROM sessions", soci::into(row_bytes);
    state.counters["row_bytes_on_disk"] = static_cast<double>(row_bytes);
  }
}
BENCHMARK(BM_SessionSizeInStore)
    ->Arg(static_cast<int>(records::Backend::Sqlite))
    ->Arg(static_cast<int>(records::Backend::Postgresql))
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// Patient P-0100: three courses (40, 40, 20 visits), every visit confirmed, run (the 20-minute
// journal, indexed under its own id) and scored for pain.
void fill_patient_with_100_visits(records::RecordsStore &store) {
  records::add_patient(store, {"P-0100", 80.0, "", "", "bench"});
  auto entry = records::session_entry(twenty_minute_journal(), "bench");
  entry.patient_id = "P-0100";
  int session = 0;
  for (const int visits : {40, 40, 20}) {
    records::CoursePlan plan{"P-0100", "lumbar", "lumbar-intermittent", visits, {200.0, 2.0, 380.0},
                             "bench"};
    const auto course = records::start_course(store, plan, profiles::kDefaultLimits);
    for (int n = 0; n < visits; ++n) {
      const auto next = records::propose_next_visit(store, course);
      const auto v =
          records::confirm_visit(store, course, next.force_n, "bench", profiles::kDefaultLimits);
      records::record_pain(store, v.id, records::PainWhen::Before, 5);
      records::record_pain(store, v.id, records::PainWhen::After, 4);
      entry.session_id = "s" + std::to_string(++session);
      entry.started_utc = "2026-12-" + std::string(session < 10 ? "0" : "") + "01T09:00:00Z";
      records::index_session(store, entry);
      records::attach_session(store, v.id, entry.session_id);
    }
  }
}

void BM_OpenPatientWith100Visits(benchmark::State &state) {
  const auto backend = static_cast<records::Backend>(state.range(0));
  auto s = make_store(backend, "open");
  fill_patient_with_100_visits(*s.store);
  console::RecordsService service(
      console::RecordsOptions{s.address, "bench", profiles::kDefaultLimits, {}, {}});
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto answer = service.patient("P-0100");
    if (answer.status != 200) state.SkipWithError("the patient did not open");
    bytes = answer.body.dump().size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["answer_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_OpenPatientWith100Visits)
    ->Arg(static_cast<int>(records::Backend::Sqlite))
    ->Arg(static_cast<int>(records::Backend::Postgresql))
    ->Unit(benchmark::kMillisecond);

// The 40-visit course's report, read from the store and drawn, as the console's
// GET /api/records/courses/{id}/report does.
void BM_RenderCourseReport(benchmark::State &state) {
  const bool png = state.range(0) != 0;
  static Store s = [] {
    auto made = make_store(records::Backend::Sqlite, "report");
    fill_patient_with_100_visits(*made.store);
    return made;
  }();
  console::RecordsService service(
      console::RecordsOptions{s.address, "bench", profiles::kDefaultLimits, {}, {}});
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto answer = service.course_report("1", png ? "png" : "pdf");
    if (!answer.download) state.SkipWithError("no report");
    bytes = answer.download->bytes.size();
  }
  state.counters["report_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderCourseReport)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

} // namespace
