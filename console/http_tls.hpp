// TLS for a console served beyond loopback (docs/console.md, "TLS"): the server's certificate
// and key, loaded once at start-up so a bad file stops `tractus serve` before anything starts.
#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>

namespace boost::asio::ssl {
class context;
}

namespace tractus::console {

// A certificate or key file that cannot be used; the message names the file and why.
class TlsFileError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// A TLS 1.2+ server context from a PEM certificate chain and its PEM private key (not
// encrypted: the daemon starts unattended). Throws TlsFileError.
std::shared_ptr<boost::asio::ssl::context> load_tls_context(const std::filesystem::path &cert,
                                                            const std::filesystem::path &key);

} // namespace tractus::console
