#include "controller/monitors.hpp"

namespace tractus::controller {

void Monitors::Link::observe(Duration now, hal::IoStatus io) noexcept {
  ok = io == hal::IoStatus::Ok;
  failures = ok ? 0 : failures + 1;
  if (ok || !started) last_ok = now;
  started = true;
}

void Monitors::observe(Duration now, const Readings &r, Force measured,
                       const MonitorContext &context) noexcept {
  now_ = now;
  const bool drive_ok = r.drive.io == hal::IoStatus::Ok;
  const bool cell_ok = r.load_cell.io == hal::IoStatus::Ok;
  plausibility_.observe(now, measured, r.drive.cable_position, r.drive.cable_speed,
                        context.taut && drive_ok && cell_ok);
  // Travel is counted from where the cable was when torque first came on in this session.
  if (context.active && drive_ok && !have_travel_origin_) {
    have_travel_origin_ = true;
    travel_origin_ = r.drive.cable_position;
  }
  load_cell_link_.observe(now, r.load_cell.io);
  drive_link_.observe(now, r.drive.io);
  safety_link_.observe(now, r.safety.io);

  if (r.load_cell.io == hal::IoStatus::Ok) {
    if (!have_counter_ || r.load_cell.sample_counter != last_counter_) {
      have_counter_ = true;
      last_counter_ = r.load_cell.sample_counter;
      counter_changed_at_ = now;
    }
    counter_seen_at_ = now;
  }
  const bool discrepant = r.safety.io == hal::IoStatus::Ok &&
                          hal::patient_switch_state(r.safety) == hal::PatientSwitch::Discrepant;
  if (discrepant && !discrepant_) discrepant_since_ = now;
  discrepant_ = discrepant;
}

FaultCode Monitors::check(const Readings &r, Force measured) const noexcept {
  // Order: the hardwired chain first (it already removed power), then communication (nothing
  // else can be trusted without it), then the readings themselves.
  if (r.safety.io == hal::IoStatus::Ok && !r.safety.estop_chain_closed)
    return FaultCode::EstopOpened;
  const Duration lost = limits_.comm_lost_after;
  if (safety_link_.lost(now_, lost)) return FaultCode::SafetyIoCommLost;
  if (load_cell_link_.lost(now_, lost)) return FaultCode::LoadCellCommLost;
  if (drive_link_.lost(now_, lost)) return FaultCode::DriveCommLost;
  // Frozen: the good replies of the last stale_after all carried the same counter. Measured up
  // to the last good reply, not to now, so replies that stop coming read as 308, never as 303.
  if (have_counter_ && counter_seen_at_ - counter_changed_at_ >= limits_.stale_after)
    return FaultCode::LoadCellStale;
  if (r.load_cell.io == hal::IoStatus::Ok) {
    const auto &st = r.load_cell.status;
    if (!st.adc_ok || st.overload || st.excitation_fault) return FaultCode::LoadCellOutOfRange;
    if (measured < limits_.min_plausible || measured > limits_.full_scale)
      return FaultCode::LoadCellOutOfRange;
    if (measured > limits_.over_force) return FaultCode::OverForce;
  }
  switch (plausibility_.verdict()) {
  case Implausibility::RiseTooFast: return FaultCode::ForceRiseTooFast;
  case Implausibility::SuddenDrop:
  case Implausibility::TravelWithoutForce: return FaultCode::ForceImplausible;
  case Implausibility::None: break;
  }
  if (r.drive.io == hal::IoStatus::Ok) {
    if (r.drive.fault) return FaultCode::DriveFault;
    if (have_travel_origin_ && r.drive.cable_position - travel_origin_ > limits_.max_travel)
      return FaultCode::TravelLimit;
  }
  if (r.safety.io == hal::IoStatus::Ok) {
    if (!r.safety.patient_switch_connected) return FaultCode::PatientSwitchDisconnected;
    if (discrepant_ && now_ - discrepant_since_ >= limits_.switch_discrepancy_after)
      return FaultCode::PatientSwitchDiscrepancy;
  }
  return FaultCode::None;
}

bool Monitors::cause_present(FaultCode code, const Readings &r, Force measured) const noexcept {
  switch (code) {
  case FaultCode::EstopOpened:
    return r.safety.io != hal::IoStatus::Ok || !r.safety.estop_chain_closed;
  case FaultCode::SafetyIoCommLost: return !safety_link_.ok;
  case FaultCode::LoadCellCommLost: return !load_cell_link_.ok;
  case FaultCode::DriveCommLost: return !drive_link_.ok;
  case FaultCode::LoadCellStale:
    return r.load_cell.io != hal::IoStatus::Ok ||
           counter_seen_at_ - counter_changed_at_ >= limits_.stale_after;
  case FaultCode::LoadCellOutOfRange:
  case FaultCode::OverForce: return check(r, measured) == code;
  case FaultCode::DriveFault: return r.drive.io != hal::IoStatus::Ok || r.drive.fault;
  case FaultCode::TravelLimit:
    return r.drive.io != hal::IoStatus::Ok ||
           r.drive.cable_position - travel_origin_ > limits_.max_travel;
  case FaultCode::PatientSwitchDisconnected: return !r.safety.patient_switch_connected;
  case FaultCode::PatientSwitchDiscrepancy: return discrepant_;
  default: return false; // event-like faults (timeouts) are gone once latched
  }
}

} // namespace tractus::controller
