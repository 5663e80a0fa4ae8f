// What the operator asks of a loaded session (POST /api/session/{start,pause,…}). Each reaches
// the supervisor as a one-cycle edge (controller::OperatorInput); the supervisor decides.
#pragma once

namespace tractus::console {

enum class OperatorCommand { Start, Pause, Resume, Stop, Acknowledge };

} // namespace tractus::console
