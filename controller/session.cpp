#include "controller/session.hpp"

namespace tractus::controller {

Force over_force_limit(Force peak, Force hard_cap) {
  const Force margin = max(peak * 0.04, newtons(8));
  return min(peak + margin, hard_cap * 1.01);
}

const char *to_string(ControllerKind k) {
  switch (k) {
  case ControllerKind::Adaptive: return "adaptive";
  case ControllerKind::Baseline: return "baseline";
  }
  return "unknown";
}

const char *to_string(EventKind k) {
  switch (k) {
  case EventKind::StateChanged: return "state";
  case EventKind::FaultLatched: return "fault";
  case EventKind::FaultCleared: return "fault-cleared";
  case EventKind::StartRefused: return "start-refused";
  case EventKind::OperatorAction: return "operator";
  case EventKind::PressTestPassed: return "press-test";
  case EventKind::Alarm: return "alarm";
  case EventKind::Acknowledged: return "acknowledged";
  case EventKind::Reminder: return "reminder";
  case EventKind::GuardingOnset: return "guarding-onset";
  case EventKind::GuardingEnd: return "guarding-end";
  case EventKind::WatchdogReset: return "watchdog-reset";
  }
  return "unknown";
}

Session::Session(const SessionSetup &setup)
    : setup_(setup), monitors_(setup.monitors), force_loop_(setup.force_loop),
      baseline_(setup.baseline), guarding_(setup.guarding), slip_pay_out_(setup.slip) {
  if (setup_.trajectory != nullptr)
    monitors_.set_over_force(over_force_limit(setup_.trajectory->peak_force(), setup_.hard_cap));
  state_ = setup_.trajectory != nullptr ? State::Ready : State::Idle;
}

void Session::emit(CycleOutput &out, EventKind k, FaultCode code, const char *detail,
                   double value) noexcept {
  if (out.event_count < out.events.size())
    out.events[out.event_count++] = Event{k, state_, code, detail, value};
  else if (out.events_dropped < 255)
    ++out.events_dropped;
}

void Session::enter(CycleOutput &out, State s) noexcept {
  if (s == state_) return;
  state_ = s;
  state_since_ = now_;
  emit(out, EventKind::StateChanged, FaultCode::None, to_string(s));
}

void Session::latch_fault(CycleOutput &out, FaultCode code) noexcept {
  fault_ = code;
  outcome_ = Outcome::Faulted;
  alarm_ = true;
  enter(out, State::Fault);
  emit(out, EventKind::FaultLatched, code, info(code).name);
}

// Stop category 1 (DESIGN §5): the release takes the force down to the minimum cord tension at
// the stop's rate, holds it, and disables the drive 5 s later (step_stop_release).
void Session::start_controlled_release() noexcept {
  // A stop never adds tension: the release goes down to the minimum cord tension, or stays
  // where it is if the cord is not even that tight yet (a stop while taking up slack).
  if (state_ == State::Pretension && pretension_ == PretensionStage::TakingUpSlack) {
    reset_controller(Speed{}); // from the slack take-up's fixed speed to standing still
    setpoint_.reset(last_measured_);
  }
  release_ = ReleaseStage::StopDescending;
  release_target_ = min(setup_.timings.min_cord_tension, setpoint_.value());
}

// A fault whose cause leaves the table fully under control (the journal, 204): latched with its
// alarm at once, but the patient is released as by a stop rather than by a torque-off, and the
// session ends in Fault once the drive is disabled.
void Session::begin_fault_release(CycleOutput &out, FaultCode code) noexcept {
  fault_ = code;
  outcome_ = Outcome::Faulted;
  alarm_ = true;
  release_ends_in_ = State::Fault;
  start_controlled_release();
  enter(out, State::Releasing);
  emit(out, EventKind::FaultLatched, code, info(code).name);
  emit(out, EventKind::Alarm, code, info(code).meaning);
}

void Session::begin_stop(CycleOutput &out, Outcome why) noexcept {
  outcome_ = why;
  fault_ = why == Outcome::PatientStop ? FaultCode::PatientSwitchPressed : FaultCode::OperatorStop;
  start_controlled_release();
  // DESIGN §5: a patient switch and an operator stop both raise the alarm until acknowledged,
  // so a stop nobody asked for (a colleague, a second console) is never missed.
  alarm_ = true;
  if (why == Outcome::PatientStop) {
    emit(out, EventKind::Alarm, fault_, "patient switch pressed");
  } else {
    emit(out, EventKind::OperatorAction, fault_, "stop");
    emit(out, EventKind::Alarm, fault_, "operator stop");
  }
  enter(out, State::Releasing);
}

void Session::handle_acknowledge(CycleOutput &out, const Readings &r, Force measured) noexcept {
  alarm_ = false;
  reminder_ = false;
  emit(out, EventKind::Acknowledged, fault_, "acknowledge");
  // A latched fault clears only when its cause is gone; an E-stop additionally needs this
  // acknowledgement to come after the chain closed again (the reset edge).
  if (state_ == State::Fault && !monitors_.cause_present(fault_, r, measured)) {
    emit(out, EventKind::FaultCleared, fault_, info(fault_).name);
    enter(out, State::Idle);
  }
}

Speed Session::control(Force target, ForceRate rate_limit, Force measured, const Readings &r,
                       Speed ceiling) noexcept {
  const Force sp = setpoint_.update(target, rate_limit, dt_);
  // The force loop runs under either controller: its identification of the cable feeds the
  // guarding detector and the journal. Under the baseline its command is not used.
  const Speed adaptive = force_loop_.update(sp, setpoint_.rate(), measured, r.drive.cable_position,
                                            dt_, ceiling, r.drive.cable_speed);
  if (setup_.controller == ControllerKind::Adaptive) return adaptive;
  return baseline_.update(sp, setpoint_.rate(), measured, r.drive.cable_position, dt_, ceiling);
}

void Session::reset_controller(Speed current_speed) noexcept {
  force_loop_.reset(current_speed);
  baseline_.reset(current_speed);
}

// At 100 Hz (RTU) a cycle of three 10 ms response timeouts plus a PC's 12 ms hole passes
// 50 ms: there the limit is 80 ms (8 periods), still under the drive's 100 ms watchdog.
bool Session::stalled() const noexcept {
  return dt_ > max(setup_.timings.stall_after, setup_.period * 8.0);
}

// The monitors' verdict plus the two the session itself can judge: a stalled loop and a session
// running past its planned time. Reads only; the time it judges is counted in begin_cycle().
FaultCode Session::supervisor_fault(const Readings &r, Force measured) const noexcept {
  const FaultCode seen = monitors_.check(r, measured);
  // A cycle this late means the loop stalled: nothing measured in between was seen, and the
  // drive's watchdog (100 ms) is close to acting. The drive is disabled rather than trusted,
  // and the fault is named for the stall: what the rate and plausibility monitors compare
  // across the gap is the gap itself (a 151 ms hole once read as 305, "harness slipped"). An
  // opened E-stop keeps its own name, since clearing it needs the chain's reset edge.
  if (stalled() && seen != FaultCode::EstopOpened) return FaultCode::LoopOverrun;
  if (seen != FaultCode::None) return seen;
  const auto &t = setup_.timings;
  const Duration planned =
      setup_.trajectory != nullptr ? setup_.trajectory->total_duration() : Duration{};
  if (active_time_ > planned + t.pretension_timeout + t.session_overrun_allowance)
    return FaultCode::SessionTimeLimit;
  if (state_ == State::Paused && now_ - state_since_ > t.max_pause)
    return FaultCode::SessionTimeLimit;
  return FaultCode::None;
}

// The clock, the force and the monitors' view of this cycle.
Force Session::begin_cycle(Duration now, const Readings &r) noexcept {
  // Measured dt: a late cycle is integrated as late, never assumed nominal.
  dt_ = first_step_ ? setup_.period : now - now_;
  first_step_ = false;
  now_ = now;
  force_loop_.set_oscillating_hold(false);
  const Force measured = r.load_cell.io == hal::IoStatus::Ok
                             ? setup_.calibration.to_force(r.load_cell.raw_counts)
                             : last_measured_;
  last_measured_ = measured;
  MonitorContext context;
  context.active = is_active(state_);
  context.taut = state_ == State::Treating || state_ == State::Paused ||
                 (state_ == State::Releasing && release_ == ReleaseStage::EndOfTreatment);
  monitors_.observe(now, r, measured, context);
  // Torque-on time for the session time limit (303 is not a pause's business: max_pause is).
  if (is_active(state_) && state_ != State::Paused) active_time_ += dt_;
  return measured;
}

// An active session's checks, in order of precedence: a fault, the journal, then a stop.
void Session::supervise(CycleOutput &out, const Readings &r, const OperatorInput &op,
                        Force measured) noexcept {
  if (const FaultCode f = supervisor_fault(r, measured); f != FaultCode::None) {
    latch_fault(out, f);
    if (f == FaultCode::ForceImplausible &&
        monitors_.implausibility() == Implausibility::SuddenDrop)
      slip_pay_out_.begin(now_, r.drive.io == hal::IoStatus::Ok && r.drive.operation_enabled);
    return;
  }
  if (r.journal_failed && release_ends_in_ != State::Fault) {
    // Whatever the session was doing (a stop's release included), the record of it can no
    // longer be kept: release the patient under control and end in Fault.
    begin_fault_release(out, FaultCode::JournalUnwritable);
    return;
  }
  const bool stopping = state_ == State::Releasing && release_ != ReleaseStage::EndOfTreatment;
  if (stopping) return; // a stop is already under way
  const bool pressed = r.safety.io == hal::IoStatus::Ok &&
                       hal::patient_switch_state(r.safety) == hal::PatientSwitch::Pressed;
  if (pressed)
    begin_stop(out, Outcome::PatientStop);
  else if (op.stop)
    begin_stop(out, Outcome::OperatorStop);
}

CycleOutput Session::step(Duration now, const Readings &r, const OperatorInput &op) noexcept {
  CycleOutput out;
  const Force measured = begin_cycle(now, r);
  if (state_ == State::Idle || state_ == State::Ready) track_press_test(out, r);
  if (op.acknowledge) handle_acknowledge(out, r, measured);
  if (is_active(state_)) supervise(out, r, op, measured);

  Motion motion = step_state(out, r, op, measured);
  const bool fault_reset = reset_stall_trip(out, r);
  check_drive_answers(out, r, motion.enable);
  if (state_ == State::Fault) motion = fault_motion(r, measured);
  if (!motion.enable) motion.speed = Speed{};
  remind(out);
  watch_guarding(out, r, measured);

  out.command.enable = motion.enable;
  out.command.cable_speed = motion.speed;
  out.command.fault_reset = fault_reset;
  out.state = state_;
  out.outcome = outcome_;
  out.setpoint = is_active(state_) ? setpoint_.value() : Force{};
  out.measured = measured;
  out.protocol_time = protocol_time_;
  out.fault = fault_;
  out.alarm = alarm_;
  out.reminder = reminder_;
  out.identification = force_loop_.identification();
  out.guarding = guarding_.active();
  return out;
}

Session::Motion Session::step_state(CycleOutput &out, const Readings &r, const OperatorInput &op,
                                    Force measured) noexcept {
  switch (state_) {
  case State::Idle: step_idle(out, r, op); return {};
  case State::Ready: step_ready(out, r, op, measured); return {};
  case State::Pretension: return step_pretension(out, r, measured);
  case State::Treating: return step_treating(out, r, op, measured);
  case State::Paused: return step_paused(out, r, op, measured);
  case State::Releasing:
    return release_ == ReleaseStage::EndOfTreatment ? step_end_of_treatment(out, r, measured)
                                                    : step_stop_release(out, r, measured);
  case State::Complete:
  case State::Fault: return {};
  }
  return {};
}

// A session whose protocol is not valid for this patient has no trajectory and never becomes
// Ready; a start request is still answered, as in Ready, with 117 and every other missing
// condition, so the operator learns why nothing happens.
void Session::step_idle(CycleOutput &out, const Readings &r, const OperatorInput &op) noexcept {
  if (!op.start || setup_.trajectory != nullptr) return;
  emit(out, EventKind::OperatorAction, FaultCode::None, "start");
  refuse_start(out, r);
}

void Session::step_ready(CycleOutput &out, const Readings &r, const OperatorInput &op,
                         Force measured) noexcept {
  // A stop in the same cycle wins: two consoles, or a shutdown racing a start, must never end in
  // a pull nobody can still cancel.
  if (!op.start || op.stop) return;
  emit(out, EventKind::OperatorAction, FaultCode::None, "start");
  if (refuse_start(out, r)) return;
  pretension_ = PretensionStage::TakingUpSlack;
  protocol_time_ = Duration{};
  active_time_ = Duration{};
  setpoint_.reset(measured);
  enter(out, State::Pretension);
}

Session::Motion Session::step_pretension(CycleOutput &out, const Readings &r,
                                         Force measured) noexcept {
  const auto &t = setup_.timings;
  if (now_ - state_since_ > t.pretension_timeout) {
    latch_fault(out, FaultCode::PretensionTimeout);
    return {};
  }
  if (pretension_ == PretensionStage::TakingUpSlack) {
    // Reel in at a fixed slow speed until the harness is taut, then hand over to force control
    // without a bump (the loop starts from the speed already commanded).
    if (measured >= t.pretension_handover) {
      pretension_ = PretensionStage::Settling;
      reset_controller(t.pretension_speed);
      setpoint_.reset(measured);
      settle_since_ = now_;
    }
    return {true, t.pretension_speed};
  }
  // Settle at the force the protocol starts from (the minimum cord tension).
  const Force start = setup_.trajectory->at(Duration{}).force;
  const Speed speed = control(start, t.treatment_rate, measured, r);
  if (now_ - settle_since_ >= t.pretension_settle) enter(out, State::Treating);
  return {true, speed};
}

Session::Motion Session::step_treating(CycleOutput &out, const Readings &r, const OperatorInput &op,
                                       Force measured) noexcept {
  const auto &t = setup_.timings;
  if (op.pause) {
    emit(out, EventKind::OperatorAction, FaultCode::None, "pause");
    pause_level_ = max(setpoint_.value() * 0.5, t.min_cord_tension);
    enter(out, State::Paused);
    return {true, control(pause_level_, t.treatment_rate, measured, r)};
  }
  // The protocol's clock moves first, by this cycle's measured dt, and the target is the
  // trajectory at the new time, so the setpoint's rate (its step over dt, the loop's
  // feedforward) is the trajectory's slope however long the cycle was. Read before the clock
  // moved, a late cycle's time arrived as the next, short cycle's step: a rate of slope ×
  // late / short, 11–24 mm/s of feedforward at 100 Hz, which a busy PC turned into a 302.
  if (treating_ != TreatingStage::Resuming) protocol_time_ += dt_;
  const auto sp = setup_.trajectory->at(protocol_time_);
  // The climb back after a pause is a ramp, whatever the phase it returns to. begin_cycle()
  // clears this for every other cycle.
  force_loop_.set_oscillating_hold(sp.phase == profiles::Phase::Hold &&
                                   treating_ != TreatingStage::Resuming);
  Speed speed{};
  if (treating_ == TreatingStage::Resuming) {
    // Climb back to where the protocol stopped at the treatment rate. The protocol clock is
    // frozen, so the target stands still and the limiter reaches it exactly; only then does the
    // clock restart (no last step at another rate).
    speed = control(sp.force, t.treatment_rate, measured, r);
    if (setpoint_.value() == sp.force) treating_ = TreatingStage::FollowingProtocol;
  } else {
    speed = control(sp.force, t.max_setpoint_rate, measured, r);
  }
  out.phase = sp.phase;
  if (sp.phase == profiles::Phase::Release || sp.phase == profiles::Phase::Done) {
    release_ = ReleaseStage::EndOfTreatment;
    enter(out, State::Releasing);
  }
  return {true, speed};
}

Session::Motion Session::step_paused(CycleOutput &out, const Readings &r, const OperatorInput &op,
                                     Force measured) noexcept {
  const Speed speed = control(pause_level_, setup_.timings.treatment_rate, measured, r);
  if (op.resume) {
    emit(out, EventKind::OperatorAction, FaultCode::None, "resume");
    treating_ = TreatingStage::Resuming;
    enter(out, State::Treating);
  }
  return {true, speed};
}

// The trajectory's own release phase, followed to its end.
Session::Motion Session::step_end_of_treatment(CycleOutput &out, const Readings &r,
                                               Force measured) noexcept {
  const auto &t = setup_.timings;
  protocol_time_ += dt_; // first, as while treating
  const auto sp = setup_.trajectory->at(protocol_time_);
  out.phase = sp.phase;
  const Speed speed = control(sp.force, t.max_setpoint_rate, measured, r);
  if (sp.phase != profiles::Phase::Done) return {true, speed};
  outcome_ = Outcome::Completed;
  reminder_ = true;
  next_reminder_ = now_ + t.reminder_every;
  enter(out, State::Complete);
  emit(out, EventKind::Reminder, FaultCode::None, "treatment complete");
  return {};
}

// Stop category 1: down to the minimum cord tension at the stop's rate, hold it, and disable the
// drive a fixed time after the release reached it. The cable is never reeled in during a stop,
// whatever the loop would like: its pulling speed limit is zero (a ceiling inside the PID, so
// the integrator cannot wind up against it, see pid.hpp).
Session::Motion Session::step_stop_release(CycleOutput &out, const Readings &r,
                                           Force measured) noexcept {
  const auto &t = setup_.timings;
  const Speed speed = control(release_target_, t.max_setpoint_rate, measured, r, Speed{});
  if (release_ == ReleaseStage::StopDescending && setpoint_.value() <= release_target_) {
    release_ = ReleaseStage::StopHolding;
    released_at_ = now_;
  }
  if (release_ == ReleaseStage::StopHolding && now_ - released_at_ >= t.disable_after_release) {
    enter(out, release_ends_in_);
    return {};
  }
  return {true, speed};
}

// A drive that does not report "operation enabled" soon after we asked is a drive fault.
void Session::check_drive_answers(CycleOutput &out, const Readings &r, bool enable) noexcept {
  if (enable && r.drive.io == hal::IoStatus::Ok && !r.drive.operation_enabled) {
    if (now_ - drive_answered_at_ > setup_.timings.drive_enable_timeout)
      latch_fault(out, FaultCode::DriveFault);
  } else {
    drive_answered_at_ = now_;
  }
}

// A latched fault disables the drive, except during a slip's bounded pay-out, which any other
// fault (E-stop first) or a stalled loop ends at once.
Session::Motion Session::fault_motion(const Readings &r, Force measured) noexcept {
  const FaultCode present = monitors_.check(r, measured);
  const bool other_fault =
      (present != FaultCode::None && present != FaultCode::ForceImplausible) || stalled();
  const SlipCommand c = slip_pay_out_.step(
      now_, measured, other_fault, r.drive.io == hal::IoStatus::Ok && r.drive.operation_enabled);
  return {c.enable, c.cable_speed};
}

void Session::remind(CycleOutput &out) noexcept {
  if (state_ != State::Complete || !reminder_ || now_ < next_reminder_) return;
  next_reminder_ = now_ + setup_.timings.reminder_every;
  emit(out, EventKind::Reminder, FaultCode::None, "treatment complete: acknowledge");
}

// Muscle guarding is watched while the patient is under the protocol's tension (treating or
// paused, the harness taut); it is a notice, never a fault: the loop's spasm relief already
// answers it. Leaving treatment (the end, a stop, a fault) ends an event under way.
void Session::watch_guarding(CycleOutput &out, const Readings &r, Force measured) noexcept {
  const bool under_tension = state_ == State::Treating || state_ == State::Paused;
  GuardingChange change = GuardingChange::None;
  if (!under_tension)
    change = guarding_.stop();
  else if (r.load_cell.io == hal::IoStatus::Ok && r.drive.io == hal::IoStatus::Ok)
    change = guarding_.update(setpoint_.value(), setpoint_.rate(), measured, r.drive.cable_position,
                              force_loop_.stiffness_estimate(), dt_);
  if (change == GuardingChange::Onset)
    emit(out, EventKind::GuardingOnset, FaultCode::None,
         "muscle guarding: the force rose with no cable drawn in", guarding_.size().si());
  else if (change == GuardingChange::End)
    emit(out, EventKind::GuardingEnd, FaultCode::None, "muscle guarding let go",
         guarding_.size().si());
}

} // namespace tractus::controller
