#include "sim/server/transports.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <limits>
#include <time.h>

namespace tractus::sim::server {

Answer answer_request(TableRegisters &table, std::uint8_t unit, std::span<const std::uint8_t> pdu) {
  Answer a;
  a.fault = table.wire_fault(unit);
  if (pdu.empty()) return a;
  if (a.fault.exception != 0) {
    // The device refuses the request outright: it does not act on it.
    a.length = exception_pdu(pdu[0], static_cast<Access>(a.fault.exception), a.pdu.data());
  } else {
    a.length = process_pdu(table, unit, pdu, a.pdu.data());
  }
  if (a.fault.drop) a.length = 0; // the request acted, the reply is lost
  return a;
}

void DelayQueue::push(Pending p) {
  if (pending_.size() >= kMax) pending_.pop_front();
  const auto pos = std::upper_bound(pending_.begin(), pending_.end(), p.due,
                                    [](Micros due, const Pending &q) { return due < q.due; });
  pending_.insert(pos, std::move(p));
}

std::vector<DelayQueue::Pending> DelayQueue::take_due(Micros now) {
  std::vector<Pending> due;
  while (!pending_.empty() && pending_.front().due <= now) {
    due.push_back(std::move(pending_.front()));
    pending_.pop_front();
  }
  return due;
}

Micros DelayQueue::next_due() const noexcept {
  return pending_.empty() ? std::numeric_limits<Micros>::max() : pending_.front().due;
}

std::uint64_t run_server(TableRegisters &table, Transport &transport,
                         const std::atomic<bool> &stop) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
  };
  std::vector<pollfd> fds;
  while (!stop.load(std::memory_order_relaxed)) {
    Micros now = elapsed();
    table.advance_to(now);
    const Micros next_delayed = transport.send_due(now);
    const Micros next_step = (now / 1000 + 1) * 1000; // the plant's next 1 ms step
    const Micros wake = std::min(next_step, next_delayed);
    fds.clear();
    transport.collect(fds);
    const Micros wait = std::max<Micros>(0, wake - now);
    const timespec timeout{static_cast<time_t>(wait / 1000000),
                           static_cast<long>((wait % 1000000) * 1000)};
    const int n = ppoll(fds.data(), fds.size(), &timeout, nullptr);
    if (n < 0 && errno != EINTR) break;
    if (n > 0) {
      now = elapsed();
      table.advance_to(now); // answer with the plant as it is now
      transport.service(fds, now);
    }
  }
  return table.requests();
}

} // namespace tractus::sim::server
