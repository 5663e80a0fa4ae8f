// The console's connection budget (docs/console.md, "Connections"): at most kMaxConnections
// open at once, so a flood cannot exhaust the process's file descriptors, and yet a new
// connection always gets in, so a STOP is delivered whatever else the network does. When the
// budget is full, the connection that has earned its place least is closed for the newcomer:
// first those that have said nothing (or finished) and show no token, then those half-way
// through an unauthenticated request (slowloris), then idle authenticated ones, oldest first.
// A connection in its first kFreshGrace is never chosen (its request may still be on the way),
// nor one whose request is being answered. Pure, so the order can be read and tested here.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>

namespace tractus::console {

// 64 connections: a table has one or two browsers, each opening a handful.
inline constexpr std::size_t kMaxConnections = 64;
// How long a new connection is safe from eviction while its first request arrives. Bounds the
// churn a flood can force to kMaxConnections per 20 ms, and gives a client that was slow to
// write (descheduled, a TLS handshake's round trips) time to get its request in. The server
// keeps accepting at that rate, and the kernel's accept queue keeps the order of arrival.
inline constexpr std::chrono::milliseconds kFreshGrace{20};

enum class ConnectionPhase {
  Waiting, // no byte of the next request yet (just accepted, or idle between requests)
  Reading, // part of a request (or of a TLS handshake) has arrived, not all of it
  Busy,    // a whole request is being answered
  Closing, // answered with Connection: close; draining what the client still sends
};

struct ConnectionStanding {
  ConnectionPhase phase = ConnectionPhase::Waiting;
  bool trusted = false;                          // a request on it carried a live token
  bool first_request = true;                     // its first request has not yet been read whole
  std::chrono::steady_clock::time_point since{}; // entered this phase (accepted, last answer)
};

// The order of eviction: lower goes first; nullopt never goes.
std::optional<int> eviction_rank(const ConnectionStanding &c,
                                 std::chrono::steady_clock::time_point now);

// The index of the connection to close for a newcomer, or nullopt when none may go (then the
// newcomer waits, in the kernel's accept queue, until one may).
std::optional<std::size_t> pick_eviction(std::span<const ConnectionStanding> open,
                                         std::chrono::steady_clock::time_point now);

} // namespace tractus::console
