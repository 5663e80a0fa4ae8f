#include "cli/config_command.hpp"

#include "cli/config_file.hpp"
#include "cli/run_command.hpp" // the exit codes

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iomanip>
#include <ostream>

namespace tractus::cli {

ConfigCommandLine::ConfigCommandLine(CLI::App &app) {
  CLI::App *config = app.add_subcommand("config", "The console service's configuration");
  config->require_subcommand(1);
  show_ = config->add_subcommand(
      "show", "Print the settings `tractus serve` would use with these flags, and their sources");
  flags_ = std::make_unique<ServeFlags>(*show_, options_, "tractus config show: ");
}

bool ConfigCommandLine::invoked() const { return show_->parsed(); }

int ConfigCommandLine::run(std::ostream &out, std::ostream &err) {
  ServeOptions options = options_;
  std::string file;
  std::vector<SettingShown> shown;
  if (!flags_->configure(options, err, &file, &shown)) return kExitBadInput;
  out << "configuration file: "
      << (file.empty() ? std::string("none (") + kSystemConfigFile + " does not exist)" : file)
      << "\n";
  std::size_t width = 0;
  for (const SettingShown &s : shown)
    width = std::max(width, s.key.size());
  for (const SettingShown &s : shown)
    out << std::left << std::setw(static_cast<int>(width) + 2) << s.key << s.value << "  ("
        << s.from << ")\n";
  return 0;
}

std::unique_ptr<ConfigCommandLine> add_config_command(CLI::App &app) {
  return std::make_unique<ConfigCommandLine>(app);
}

} // namespace tractus::cli
