#include "console/http_tls.hpp"

#include <boost/asio/ssl/context.hpp>

#include <fstream>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace tractus::console {
namespace ssl = boost::asio::ssl;

namespace {

void readable(const std::filesystem::path &file, const char *what) {
  std::ifstream in(file);
  if (!in) throw TlsFileError(what + (" " + file.string()) + ": cannot be read");
}

std::string openssl_reason(const boost::system::system_error &e) { return e.code().message(); }

} // namespace

std::shared_ptr<ssl::context> load_tls_context(const std::filesystem::path &cert,
                                               const std::filesystem::path &key) {
  readable(cert, "--tls-cert");
  readable(key, "--tls-key");
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  // An encrypted key would ask for a pass phrase on the terminal: refuse it instead.
  context->set_password_callback(
      [](std::size_t, ssl::context::password_purpose) { return std::string(); });
  try {
    context->use_certificate_chain_file(cert.string());
  } catch (const boost::system::system_error &e) {
    throw TlsFileError("--tls-cert " + cert.string() +
                       ": not a PEM certificate (chain): " + openssl_reason(e));
  }
  try {
    context->use_private_key_file(key.string(), ssl::context::pem);
  } catch (const boost::system::system_error &e) {
    if (ERR_GET_REASON(static_cast<unsigned long>(e.code().value())) == X509_R_KEY_VALUES_MISMATCH)
      throw TlsFileError("--tls-key " + key.string() + ": does not match the certificate in " +
                         cert.string());
    throw TlsFileError("--tls-key " + key.string() +
                       ": not an unencrypted PEM private key: " + openssl_reason(e));
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ERR_clear_error();
    throw TlsFileError("--tls-key " + key.string() + ": does not match the certificate in " +
                       cert.string());
  }
  return context;
}

} // namespace tractus::console
