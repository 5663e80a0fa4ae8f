// `tractus config show [--config FILE] [serve's flags]`: the settings `tractus serve` would run
// with, and where each came from (the default, the configuration file, or a flag). Exit 0, or 2
// when the file is bad (every problem named with its JSON pointer). docs/configuration.md.
#pragma once

#include "cli/serve_command.hpp"

#include <iosfwd>
#include <memory>

namespace CLI {
class App;
}

namespace tractus::cli {

class ConfigCommandLine {
public:
  explicit ConfigCommandLine(CLI::App &app);
  [[nodiscard]] bool invoked() const;
  int run(std::ostream &out, std::ostream &err);

private:
  CLI::App *show_ = nullptr;
  ServeOptions options_;
  std::unique_ptr<ServeFlags> flags_;
};
std::unique_ptr<ConfigCommandLine> add_config_command(CLI::App &app);

} // namespace tractus::cli
