#include "harness/serve_process.hpp"

#include <gtest/gtest.h>

namespace tractus::integration {

void set_pin(const ScratchDir &dir, const std::string &role, const std::string &pin) {
  const RunResult r =
      run_command({"/bin/sh", "-c", "echo " + pin + " | \"$0\" pin set " + role + " --data \"$1\"",
                   Tools::tractus(), (dir / "data").string()},
                  20s);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
}

std::uint16_t announced_port(const std::filesystem::path &out, std::chrono::milliseconds limit) {
  const std::string marker = "http://127.0.0.1:";
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    const std::string text = read_file(out);
    if (const auto at = text.find(marker); at != std::string::npos)
      return static_cast<std::uint16_t>(std::stoi(text.substr(at + marker.size())));
    std::this_thread::sleep_for(50ms);
  }
  return 0;
}

nlohmann::json acknowledge_until_ended(const testing::HttpTestClient &client,
                                       const std::string &token, std::chrono::milliseconds limit) {
  nlohmann::json last;
  poll(limit, [&] {
    client.post_empty("/api/session/acknowledge", token);
    last = client.get("/api/state", token).json["last_session"];
    return !last.is_null();
  });
  return last;
}

} // namespace tractus::integration
