#include "harness/sim_harness.hpp"

#include "hal/register_map.hpp"

#include <sched.h>

#include <thread>

namespace tractus::integration {

namespace sc = hal::regmap::sim_control;

PtyPair::PtyPair(const ScratchDir &dir) : a_(dir / "pty-a"), b_(dir / "pty-b") {
  socat_ = std::make_unique<Process>(std::vector<std::string>{Tools::socat(), "-d", "-d",
                                                              "pty,raw,echo=0,link=" + a_.string(),
                                                              "pty,raw,echo=0,link=" + b_.string()},
                                     dir / "socat.out", dir / "socat.err");
  // socat stands in for the wire, which a busy CPU never delays: it relays at SCHED_FIFO 90
  // when permitted, with tractus-sim, above the controller's 80 (a 25 ms hiccup of a socat at
  // normal priority once ended an RTU session in 308).
  sched_param param{};
  param.sched_priority = 90;
  sched_setscheduler(socat_->pid(), SCHED_FIFO, &param); // unprivileged: stays normal
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < until) {
    std::error_code ec;
    if (std::filesystem::exists(a_, ec) && std::filesystem::exists(b_, ec)) {
      ready_ = true;
      return;
    }
    std::this_thread::sleep_for(10ms);
  }
}

SimServer::SimServer(const ScratchDir &dir, const std::vector<std::string> &extra,
                     std::uint16_t port)
    : out_(dir / "sim.out"), err_(dir / "sim.err") {
  const auto port_file = dir / "sim.port";
  std::filesystem::remove(port_file); // a restart in the same directory waits for its own
  std::vector<std::string> argv{
      Tools::tractus_sim(), "--listen",         "127.0.0.1:" + std::to_string(port),
      "--port-file",        port_file.string(), "--realtime"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  process_ = std::make_unique<Process>(argv, out_, err_);
  if (!wait_for_file(port_file, 10s)) return;
  port_ = static_cast<std::uint16_t>(std::stoi(read_file(port_file)));
  ready_ = port_ != 0;
}

SimServer::SimServer(const ScratchDir &dir, const std::string &rtu_device,
                     const std::vector<std::string> &extra)
    : out_(dir / "sim.out"), err_(dir / "sim.err") {
  std::vector<std::string> argv{Tools::tractus_sim(), "--rtu", rtu_device, "--realtime"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  process_ = std::make_unique<Process>(argv, out_, err_);
  // The banner on stdout comes once the device is open and the loop about to start.
  ready_ = wait_for_file(out_, 10s) && process_->running();
}

std::string SimServer::log() const { return read_file(out_) + read_file(err_); }

SimProbe::SimProbe(std::uint16_t port) {
  link_ = hal::modbus::Link::tcp({"127.0.0.1", port});
  link_->set_response_timeout(milliseconds(500));
  if (!link_->connect().empty()) link_.reset();
}

std::optional<Truth> SimProbe::truth() {
  if (!connected()) return std::nullopt;
  std::uint16_t r[sc::kDiagnosticsSize];
  if (link_->read(sc::kUnit, {0, sc::kDiagnosticsSize}, r) != hal::IoStatus::Ok)
    return std::nullopt;
  using hal::regmap::bit;
  using hal::regmap::get_i32;
  using hal::regmap::get_u32;
  constexpr auto hi = hal::regmap::WordOrder::HighFirst;
  Truth t;
  t.time_s = get_u32(r + sc::kTimeMs, hi) * 1e-3;
  t.tension_n = get_i32(r + sc::kTrueTension, hi) * sc::kTensionScale;
  const std::uint16_t f = r[sc::kDriveFlags];
  t.enabled = bit(f, sc::kFlagEnabled);
  t.fault = bit(f, sc::kFlagFault);
  t.sto = bit(f, sc::kFlagSto);
  t.watchdog_armed = bit(f, sc::kFlagWatchdogArmed);
  t.watchdog_tripped = bit(f, sc::kFlagWatchdogTripped);
  t.fault_code = r[sc::kDriveFaultCode];
  const std::uint32_t last = get_u32(r + sc::kLastCommandMs, hi);
  const std::uint32_t off = get_u32(r + sc::kTorqueOffMs, hi);
  if (last != sc::kNever) t.last_command_s = last * 1e-3;
  if (off != sc::kNever) t.torque_off_s = off * 1e-3;
  return t;
}

bool SimProbe::set(std::uint16_t address, std::uint16_t value) {
  return connected() && link_->write(sc::kUnit, {address, 1}, &value) == hal::IoStatus::Ok;
}

bool SimProbe::read(std::uint8_t unit, std::uint16_t address, std::uint16_t count,
                    std::uint16_t *out) {
  return connected() && link_->read(unit, {address, count}, out) == hal::IoStatus::Ok;
}

bool SimProbe::trigger(std::uint8_t device_unit, std::uint16_t which, std::uint16_t value) {
  return set(sc::trigger_address(device_unit, which), value);
}

std::optional<Truth> SimProbe::wait_for_tension(double newtons, Process &run,
                                                std::chrono::seconds limit) {
  std::optional<Truth> t;
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < give_up) {
    t = truth();
    if ((t && t->tension_n >= newtons) || !run.running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return t;
}

} // namespace tractus::integration
