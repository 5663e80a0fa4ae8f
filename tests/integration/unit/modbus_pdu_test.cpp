// tractus-sim's side of the protocol: PDUs, CRC and RTU framing, against the specification's
// own examples (Modbus Application Protocol v1.1b3; Modbus over serial line v1.02).
#include "sim/server/modbus_pdu.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

using namespace tractus::sim::server;

namespace {

// 100 registers holding their own address; writes recorded in order.
class FakeSpace final : public RegisterSpace {
public:
  std::array<std::uint16_t, 100> regs{};
  std::vector<std::string> log;
  FakeSpace() {
    for (std::uint16_t i = 0; i < regs.size(); ++i)
      regs[i] = i;
  }
  Access read(std::uint8_t, std::uint16_t a, std::uint16_t n, std::uint16_t *out) override {
    log.push_back("read");
    if (a + n > regs.size()) return Access::IllegalAddress;
    for (std::uint16_t i = 0; i < n; ++i)
      out[i] = regs[a + i];
    return Access::Ok;
  }
  Access write(std::uint8_t, std::uint16_t a, std::uint16_t n, const std::uint16_t *v) override {
    log.push_back("write");
    if (a + n > regs.size()) return Access::IllegalAddress;
    for (std::uint16_t i = 0; i < n; ++i)
      regs[a + i] = v[i];
    return Access::Ok;
  }
};

std::vector<std::uint8_t> process(FakeSpace &s, std::vector<std::uint8_t> req) {
  std::uint8_t reply[kMaxPdu];
  const std::size_t n = process_pdu(s, 1, req, reply);
  return {reply, reply + n};
}

} // namespace

TEST(ModbusPdu, Crc16MatchesTheSerialLineSpecification) {
  const std::uint8_t frame[] = {0x01, 0x03, 0x00, 0x00, 0x00, 0x0A};
  EXPECT_EQ(crc16(frame, sizeof frame), 0xCDC5); // sent C5 CD
}

TEST(ModbusPdu, ReadHoldingRegisters) {
  FakeSpace s;
  EXPECT_EQ(process(s, {0x03, 0x00, 0x0A, 0x00, 0x02}),
            (std::vector<std::uint8_t>{0x03, 0x04, 0x00, 0x0A, 0x00, 0x0B}));
}

TEST(ModbusPdu, WriteMultipleEchoesAddressAndQuantity) {
  FakeSpace s;
  EXPECT_EQ(process(s, {0x10, 0x00, 0x01, 0x00, 0x02, 0x04, 0x00, 0x0A, 0x01, 0x02}),
            (std::vector<std::uint8_t>{0x10, 0x00, 0x01, 0x00, 0x02}));
  EXPECT_EQ(s.regs[1], 0x000A);
  EXPECT_EQ(s.regs[2], 0x0102);
}

TEST(ModbusPdu, Function23WritesBeforeItReads) {
  FakeSpace s;
  const auto r =
      process(s, {0x17, 0x00, 0x05, 0x00, 0x01, 0x00, 0x05, 0x00, 0x01, 0x02, 0xAB, 0xCD});
  EXPECT_EQ(r, (std::vector<std::uint8_t>{0x17, 0x02, 0xAB, 0xCD}));
  EXPECT_EQ(s.log, (std::vector<std::string>{"write", "read"}));
}

TEST(ModbusPdu, ExceptionsForUnknownFunctionsBadQuantitiesAndAddresses) {
  FakeSpace s;
  EXPECT_EQ(process(s, {0x2B, 0x0E, 0x01, 0x00}), (std::vector<std::uint8_t>{0xAB, 0x01}));
  EXPECT_EQ(process(s, {0x03, 0x00, 0x00, 0x00, 0x7E}), (std::vector<std::uint8_t>{0x83, 0x03}));
  EXPECT_EQ(process(s, {0x03, 0x00, 0x63, 0x00, 0x02}), (std::vector<std::uint8_t>{0x83, 0x02}));
  EXPECT_EQ(process(s, {0x10, 0x00, 0x01, 0x00, 0x02, 0x03, 0x00, 0x0A, 0x01}),
            (std::vector<std::uint8_t>{0x90, 0x03}));
}

TEST(RtuFraming, RequestLengthsFromTheFunctionCode) {
  const std::uint8_t read[] = {0x01, 0x03};
  EXPECT_EQ(rtu_request_length(read), 8);
  const std::uint8_t write16_partial[] = {0x01, 0x10, 0x00, 0x01, 0x00};
  EXPECT_EQ(rtu_request_length(write16_partial), 0);
  const std::uint8_t write16[] = {0x01, 0x10, 0x00, 0x01, 0x00, 0x02, 0x04};
  EXPECT_EQ(rtu_request_length(write16), 13);
  const std::uint8_t rw23[] = {0x02, 0x17, 0, 13, 0, 8, 0, 10, 0, 3, 6};
  EXPECT_EQ(rtu_request_length(rw23), 19);
  const std::uint8_t unknown[] = {0x01, 0x2B};
  EXPECT_EQ(rtu_request_length(unknown), -1);
}
