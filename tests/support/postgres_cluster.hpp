// A throwaway PostgreSQL server for tests: initdb in a fresh temporary folder, started on a Unix
// socket in that folder only (no TCP port, so parallel tests cannot collide), one database
// created, and all of it stopped and removed when the object goes.
//
// Uses Debian's server binaries in /usr/lib/postgresql/<major>/bin (not on PATH). initdb and
// postgres refuse to run as root, and CI runs the tests as root, so as root every server tool
// runs as the `postgres` user (through `runuser`) and the folder is handed to that user. No
// server is left if the test fails; one is left only if the test process itself is killed.
#pragma once

#include <filesystem>
#include <string>

namespace tractus::testing {

class PostgresCluster {
public:
  // initdb, start and createdb `database` (letters, digits and '_', at most 63 bytes, else
  // std::invalid_argument). Throws std::runtime_error naming the step that failed and what it
  // printed, after removing whatever it had made.
  explicit PostgresCluster(std::string database = "tractus");
  // Stops the server at once (pg_ctl stop -m immediate; SIGKILL if that fails) and removes the
  // folder. Never throws.
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster &) = delete;
  PostgresCluster &operator=(const PostgresCluster &) = delete;

  // libpq keyword/value string: "host=SOCKDIR port=PORT dbname=NAME user=postgres".
  [[nodiscard]] std::string connection() const;
  // The same as a URI, the socket folder percent-encoded as the host:
  // "postgresql://postgres@%2Ftmp%2Ftractus-pg-AbC123:55432/tractus".
  [[nodiscard]] std::string uri() const;

  // Another database on the same server (createdb), its URI: a fresh store for each test of
  // one process without a server each. `name` as for the constructor.
  std::string create_database(const std::string &name);

  // Stop the server (pg_ctl stop -m fast) and start it again on the same socket, for tests of a
  // store that goes away and comes back. Both wait until done; both throw std::runtime_error.
  void stop();
  void start();
  [[nodiscard]] bool running() const;

  // The server's bin folder, for psql or pg_dump in a test.
  [[nodiscard]] const std::filesystem::path &bin_dir() const noexcept { return bin_; }

private:
  void remove() noexcept;

  std::string database_;
  std::filesystem::path bin_;
  std::filesystem::path dir_; // holds the socket, data/ and server.log
};

} // namespace tractus::testing
