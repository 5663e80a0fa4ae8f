// A table on Modbus as a console lease: a view of the daemon's one connection
// (bindings/table_connection.hpp), used by one holder at a time.
#pragma once

#include "bindings/table_connection.hpp"
#include "console/table_binding.hpp"

#include <chrono>
#include <memory>

namespace tractus::bindings {

class ModbusLease final : public console::TableLease {
public:
  // Re-opens what broke since the last lease (between sessions only, DESIGN §4) and, for a
  // session, enables the drive's watchdog again (a drive that was power-cycled lost it).
  static console::LeaseOpen open(std::shared_ptr<TableConnection> connection,
                                 console::LeasePurpose purpose);

  hal::Table table() noexcept override { return connection_->table(); }
  std::unique_ptr<controller::Clock> make_clock() override;
  [[nodiscard]] nlohmann::ordered_json journal_table() const override {
    return connection_->journal_table;
  }
  [[nodiscard]] calibration::TreatmentCalibration
  calibration(const std::filesystem::path &store_dir, std::int64_t now_unix,
              const calibration::VerificationPolicy &policy) const override;
  void before_first_cycle() noexcept override;

  [[nodiscard]] Force capacity() const override;
  [[nodiscard]] double nominal_counts_per_newton() const override;
  void wait_one_period() override;
  [[nodiscard]] Duration period() const override { return connection_->period; }
  bool hang_reference_load(Force load) override;
  void remove_reference_load() override;
  [[nodiscard]] std::string description() const override;

private:
  explicit ModbusLease(std::shared_ptr<TableConnection> connection);
  bool write_reference_load(Force load);

  std::shared_ptr<TableConnection> connection_;
  std::chrono::steady_clock::time_point deadline_;
};

} // namespace tractus::bindings
