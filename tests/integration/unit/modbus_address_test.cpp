// `--table` addresses of Modbus tables: what is accepted, and what a wrong one is told.
#include "hal/modbus/modbus_address.hpp"

#include <gtest/gtest.h>

using namespace tractus;
using namespace tractus::hal::modbus;

namespace {
std::string error_of(std::string_view text) {
  const AddressParse p = parse_modbus_address(text);
  EXPECT_FALSE(p) << text;
  return p.error;
}
} // namespace

TEST(ModbusAddress, TcpHostAndPortWithTheTcpDefaultTimeout) {
  const AddressParse p = parse_modbus_address("modbus-tcp://192.168.1.20:502");
  ASSERT_TRUE(p) << p.error;
  EXPECT_EQ(p.address->transport, Transport::Tcp);
  EXPECT_EQ(p.address->tcp.host, "192.168.1.20");
  EXPECT_EQ(p.address->tcp.port, 502);
  EXPECT_EQ(p.address->response_timeout, milliseconds(3));
  EXPECT_TRUE(p.address->map_file.empty());
  EXPECT_EQ(p.address->where(), "192.168.1.20:502");
}

TEST(ModbusAddress, TcpAcceptsNamesBracketedIpv6TimeoutAndMap) {
  const AddressParse p =
      parse_modbus_address("modbus-tcp://[::1]:1502?timeout=2.5ms&map=/etc/m.json");
  ASSERT_TRUE(p) << p.error;
  EXPECT_EQ(p.address->tcp.host, "::1");
  EXPECT_EQ(p.address->where(), "[::1]:1502");
  EXPECT_NEAR(p.address->response_timeout.si(), 2.5e-3, 1e-12);
  EXPECT_EQ(p.address->map_file, "/etc/m.json");
  EXPECT_TRUE(parse_modbus_address("modbus-tcp://table-7.local:502"));
}

TEST(ModbusAddress, RtuDefaultsAre115200Even8N1AndTenMilliseconds) {
  const AddressParse p = parse_modbus_address("modbus-rtu:///dev/ttyUSB0");
  ASSERT_TRUE(p) << p.error;
  EXPECT_EQ(p.address->transport, Transport::Rtu);
  EXPECT_EQ(p.address->rtu.device, "/dev/ttyUSB0");
  EXPECT_EQ(p.address->rtu.baud, 115200);
  EXPECT_EQ(p.address->rtu.parity, 'E');
  EXPECT_EQ(p.address->rtu.data_bits, 8);
  EXPECT_EQ(p.address->rtu.stop_bits, 1);
  EXPECT_EQ(p.address->response_timeout, milliseconds(10));
}

TEST(ModbusAddress, RtuParameters) {
  const AddressParse p = parse_modbus_address(
      "modbus-rtu:///dev/ttyS1?baud=19200&parity=n&data_bits=7&stop_bits=2&timeout=0.02s");
  ASSERT_TRUE(p) << p.error;
  EXPECT_EQ(p.address->rtu.baud, 19200);
  EXPECT_EQ(p.address->rtu.parity, 'N');
  EXPECT_EQ(p.address->rtu.data_bits, 7);
  EXPECT_EQ(p.address->rtu.stop_bits, 2);
  EXPECT_NEAR(p.address->response_timeout.si(), 0.02, 1e-12);
  EXPECT_EQ(p.address->where(), "/dev/ttyS1 19200 7N2");
}

TEST(ModbusAddress, ErrorsNameWhatIsWrong) {
  EXPECT_NE(error_of("modbus-tcp://10.0.0.1").find("missing \":PORT\""), std::string::npos);
  EXPECT_NE(error_of("modbus-tcp://:502").find("missing host"), std::string::npos);
  EXPECT_NE(error_of("modbus-tcp://h:70000").find("port 70000 is out of range (1 to 65535)"),
            std::string::npos);
  EXPECT_NE(error_of("modbus-tcp://h:0").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("modbus-tcp://h:50x").find("port \"50x\" is not a number"), std::string::npos);
  EXPECT_NE(error_of("modbus-tcp://::1:502").find("in brackets"), std::string::npos);
  EXPECT_NE(error_of("modbus-tcp://h:502/x").find("no path"), std::string::npos);
  EXPECT_NE(error_of("modbus-tcp://h:502?baud=9600").find("unknown parameter \"baud\""),
            std::string::npos);
  EXPECT_NE(error_of("modbus-tcp://h:502?timeout=5").find("not a time"), std::string::npos);
  EXPECT_NE(error_of("modbus-tcp://h:502?timeout=5s").find("out of range (0.5 ms to 1 s)"),
            std::string::npos);
  EXPECT_NE(error_of("modbus-rtu://dev/ttyS0").find("absolute path"), std::string::npos);
  EXPECT_NE(error_of("modbus-rtu:///dev/ttyS0?baud=12345").find("not a standard rate"),
            std::string::npos);
  EXPECT_NE(error_of("modbus-rtu:///dev/ttyS0?parity=X").find("must be N, E or O"),
            std::string::npos);
  EXPECT_NE(error_of("modbus-rtu:///dev/ttyS0?data_bits=9").find("7 or 8"), std::string::npos);
  EXPECT_NE(error_of("modbus-rtu:///dev/ttyS0?baud=9600&baud=19200").find("given twice"),
            std::string::npos);
  EXPECT_NE(error_of("modbus-rtu:///dev/ttyS0?baud").find("not NAME=VALUE"), std::string::npos);
  EXPECT_NE(error_of("modbus://h:502").find("unknown scheme"), std::string::npos);
}

TEST(ModbusAddress, EveryErrorQuotesTheAddress) {
  EXPECT_EQ(error_of("modbus-tcp://h").rfind("bad table address \"modbus-tcp://h\": ", 0), 0U);
}

TEST(ModbusAddress, RecognisesModbusSchemes) {
  EXPECT_TRUE(is_modbus_address("modbus-tcp://h:1"));
  EXPECT_TRUE(is_modbus_address("modbus-rtu:///dev/x"));
  EXPECT_FALSE(is_modbus_address("sim"));
  EXPECT_FALSE(is_modbus_address("sim:heavy"));
}
