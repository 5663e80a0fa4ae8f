#!/usr/bin/python3
"""A traction table scripted to tractus's register map (docs/register-map.md), served by pymodbus.

An independent Modbus server for tractus's HAL: nothing here shares code with tractus-sim, so a
session that runs against it shows that hal/modbus speaks the documented map, not merely
whatever tractus-sim happens to do. The plant is deliberately simple: the cable reels in at the
commanded speed (20 ms lag) against a linear spring of 20 kN/m after 10 mm of slack, and an
unpowered drive is back-driven by the tension. The transmitter reads 5000 counts at no load and
50 counts per newton (its factory-calibration registers say so).

    pymodbus_table.py --port-file FILE [--identify-as-sim] [--broken-watchdog]
                      [--layout standard|remapped] [--hanger-file FILE]
                      [--estop-file FILE] [--trace-file FILE] [--normal-priority]
                      [--priority 1..99] [--silent-file FILE]

Listens on 127.0.0.1 on a free port and writes the port to FILE. --identify-as-sim answers with
tractus-sim's model code; --broken-watchdog ignores writes to the watchdog registers (a drive
whose watchdog cannot be configured).

--layout remapped serves the addresses, word orders and scales of
docs/examples/register-map-other-vendors.json instead of tractus's map (transmitter on unit 11
with its counts low word first, drive on unit 12 with 16-bit speeds, a watchdog in 0.1 s and
action code 3, no identification and no factory-calibration block); the safety I/O keeps unit 3.

--hanger-file FILE is the device's side channel for the technician's hands: a dead weight in
newtons, read from FILE (absent or empty: none), hangs on the load cell off the cable, so that
`tractus calibrate` can be run against this table as against a real one.

--estop-file FILE is the E-stop button: "open" in FILE (re-read every 50 ms) opens the E-stop
chain; its hardwired relay removes drive power at once (the drive reports STO and the cable is
back-driven), and the safety I/O reads the chain back open. Anything else closes it again.

--silent-file FILE silences devices: the unit ids listed in FILE (re-read every 50 ms) get no
reply at all, as a device that lost power or its cable; a unit no longer listed answers again.

--trace-file FILE records what the table itself did, for tests that judge the controller from
outside it: one line per tick of the device's clock, "MONO T TENSION ENABLED FAULT COMMANDED",
MONO being CLOCK_MONOTONIC in seconds (a test's std::chrono::steady_clock), T the device's own
clock in seconds, TENSION the cable's true tension in newtons, ENABLED 1 while the drive drives,
FAULT the drive's fault code, COMMANDED 1 while the controlword last written asks for operation
enabled (what the controller wants, whatever the drive can do).

A real table's devices do not share the controller's CPU; this stand-in does, so it serves at
SCHED_FIFO 90 when permitted (as tractus-sim does, above the controller's 80), or a CPU-bound
process beside the tests would make its replies, not tractus, late. --normal-priority opts out.
"""

import argparse
import asyncio
import ctypes
import gc
import logging
import os
import time

from pymodbus.datastore import ModbusServerContext
from pymodbus.exceptions import NoSuchSlaveException
from pymodbus.interfaces import IModbusSlaveContext
from pymodbus.server.async_io import ModbusTcpServer

SIM_MODEL = 0x5453   # "TS", tractus-sim
OWN_MODEL = 0x5059   # "PY", this script
SLACK_M = 0.010
STIFFNESS_N_PER_M = 20000.0
OFFSET_COUNTS = 5000
GAIN_COUNTS_PER_N = 50.0
BACK_DRIVE_NS_PER_M = 2500.0
SPEED_LAG_S = 0.020
TICK_S = 0.005   # the device's own clock ticks with or without requests (its watchdog runs)
STALL_S = 0.050  # a longer gap between two ticks is this process starved, not time passing


def split32(value):
    value &= 0xFFFFFFFF
    return [value >> 16, value & 0xFFFF]


class Table:
    """The physics and the devices' state, advanced in 1 ms steps on every access."""

    def __init__(self, model, broken_watchdog, hanger_file=None, estop_file=None):
        self.model = model
        self.broken_watchdog = broken_watchdog
        self.hanger_file = hanger_file
        self.hanger_n = 0.0
        self.hanger_read_at = -1.0
        self.estop_file = estop_file
        self.estop_open = False
        self.estop_read_at = -1.0
        self.start = time.monotonic()
        self.t = 0.0
        self.x = 0.0            # cable drawn in, m
        self.v = 0.0            # cable speed, m/s
        self.command = [0x0006, 0, 0]
        self.watchdog = [0, 0]  # ms, action
        self.last_command = None
        self.fault = 0
        self.press_from = None

    def tension(self):
        return max(0.0, STIFFNESS_N_PER_M * (self.x - SLACK_M))

    def enabled(self):
        cw = self.command[0]
        return self.fault == 0 and not self.estop() and (cw & 0b1011) == 0b1011

    def estop(self):
        """True while the E-stop chain is open (side channel), re-read every 50 ms."""
        if self.estop_file and self.t - self.estop_read_at >= 0.05:
            self.estop_read_at = self.t
            try:
                with open(self.estop_file, encoding="ascii") as f:
                    self.estop_open = f.read().strip() == "open"
            except OSError:
                self.estop_open = False
        return self.estop_open

    def advance(self):
        now = time.monotonic() - self.start
        if now - self.t > STALL_S:
            # This process was not scheduled (a busy test machine): a device's own clock does
            # not lose that time, so neither does this one — it resumes where it stopped, and
            # its watchdog judges the controller, not the Python interpreter.
            self.start += now - self.t - 0.001
            now = self.t + 0.001
        while self.t + 0.001 <= now:
            self.t += 0.001
            if self.watchdog[0] and self.last_command is not None and self.fault == 0 \
                    and self.t - self.last_command > self.watchdog[0] / 1000.0:
                self.fault = 0x8130
            if self.enabled():
                hi, lo = self.command[1], self.command[2]
                raw = (hi << 16) | lo
                if raw >= 1 << 31:
                    raw -= 1 << 32
                target = raw * 1e-5
                self.v += (target - self.v) * 0.001 / SPEED_LAG_S
            else:
                self.v = -self.tension() / BACK_DRIVE_NS_PER_M
            self.x += self.v * 0.001

    def hanger(self):
        """The weight the technician hung (side channel), re-read every 50 ms."""
        if self.hanger_file and self.t - self.hanger_read_at >= 0.05:
            self.hanger_read_at = self.t
            try:
                with open(self.hanger_file, encoding="ascii") as f:
                    text = f.read().strip()
                self.hanger_n = float(text) if text else 0.0
            except (OSError, ValueError):
                self.hanger_n = 0.0
        return self.hanger_n

    def cell_counts(self):
        """With a weight on the hanger the cell is off the cable: it reads the weight alone."""
        hung = self.hanger()
        force = hung if hung > 0.0 else self.tension()
        return OFFSET_COUNTS + round(GAIN_COUNTS_PER_N * force)

    def watchdog_ms(self):
        return self.watchdog[0]

    def ident(self, unit):
        return [self.model] + split32(200000 + unit) + [0x0100]

    def read(self, unit, address):
        """Registers of `unit` as a dict address -> value."""
        regs = {}
        for i, v in enumerate(self.ident(unit)):
            regs[100 + i] = v
        if unit == 1:
            counts = self.cell_counts()
            regs.update({0: split32(counts)[0], 1: split32(counts)[1], 2: 1,
                         3: int(self.t * 1000) & 0xFFFF})
            cal = split32(OFFSET_COUNTS) + split32(round(GAIN_COUNTS_PER_N * 1000)) + split32(20000)
            for i, v in enumerate(cal):
                regs[110 + i] = v
        elif unit == 2:
            enabled = self.enabled()
            ready = self.fault == 0
            sw = (1 if ready or enabled else 0) | (0b110 if enabled else 0) \
                | (8 if self.fault else 0) | 0x10 | 0x20 | (0x40 if not ready and not self.fault else 0) \
                | (0x8000 if self.watchdog[0] else 0)
            pos = split32(round(self.x * 1e6))
            spd = split32(round(self.v * 1e5))
            regs.update({10: self.command[0], 11: self.command[1], 12: self.command[2], 13: sw,
                         14: pos[0], 15: pos[1], 16: spd[0], 17: spd[1],
                         18: round(0.0075 * self.tension() * 100) if enabled else 0,
                         19: self.fault, 20: 1 if self.estop() else 0, 30: self.watchdog[0], 31: self.watchdog[1]})
        elif unit == 3:
            pressed = self.press_from is not None and 0 <= self.t - self.press_from < 0.5
            # E-stop closed, A closed unless pressed, B closed while pressed, connected, locked.
            regs[0] = (0 if self.estop() else 1) | (0 if pressed else 2) | (4 if pressed else 0) | 8 | 16
        return regs

    def write(self, unit, address, values):
        if unit != 2:
            return False
        for i, v in enumerate(values):
            a = address + i
            if 10 <= a <= 12:
                self.command[a - 10] = v
                self.last_command = self.t
                if a == 10 and v & 0x80 and self.fault:
                    self.fault = 0
            elif 30 <= a <= 31:
                if not self.broken_watchdog:
                    self.watchdog[a - 30] = v
                    if a == 30 and v:
                        self.last_command = self.t
                        self.press_from = self.t + 0.3  # the patient tests the switch
            else:
                return False
        return True


def split32_low_first(value):
    hi, lo = split32(value)
    return [lo, hi]


def s16(value):
    value = max(-32768, min(32767, round(value)))
    return value & 0xFFFF


class RemappedTable(Table):
    """The same devices at the addresses of docs/examples/register-map-other-vendors.json."""

    UNITS = {11: "cell", 12: "drive", 3: "safety"}

    def read(self, unit, address):
        if unit == 3:
            return super().read(3, address)  # tractus's map: inputs and identification
        regs = {}
        if unit == 11:
            c = split32_low_first(self.cell_counts())
            # status: bit 15 ADC ok, bit 3 overload, bit 4 excitation fault
            regs.update({8: c[0], 9: c[1], 10: 0x8000, 11: int(self.t * 1000) & 0xFFFF})
        elif unit == 12:
            std = super().read(2, 0)
            sw = std[13] & 0x7FFF  # no watchdog-armed bit on this drive
            pos = split32(round(self.x * 1e5))  # 10 µm
            raw = (self.command[1] << 16) | self.command[2]
            raw = raw - (1 << 32) if raw >= 1 << 31 else raw
            regs.update({200: self.command[0], 201: s16(raw / 10), 210: sw,
                         211: pos[0], 212: pos[1], 213: s16(self.v * 1e4),  # 0.1 mm/s
                         214: s16(0.075 * self.tension() if self.enabled() else 0),  # 0.1 A
                         215: self.fault, 216: 1 if self.estop() else 0,
                         300: round(self.watchdog[0] / 100), 301: self.watchdog[1]})
        return regs

    def write(self, unit, address, values):
        if unit != 12:
            return False
        for i, v in enumerate(values):
            a = address + i
            if a == 200:
                Table.write(self, 2, 10, [v])
            elif a == 201:
                raw = v - 0x10000 if v >= 0x8000 else v
                # 0.1 mm/s here, 0.01 mm/s in the standard map (int32)
                Table.write(self, 2, 11, split32(raw * 10))
            elif a == 300:
                Table.write(self, 2, 30, [v * 100])
            elif a == 301:
                Table.write(self, 2, 31, [v])
            else:
                return False
        return True


class Unit(IModbusSlaveContext):
    """One unit id's holding registers, backed by the Table."""

    def __init__(self, table, unit):
        self.table = table
        self.unit = unit

    def reset(self):
        pass

    def validate(self, fx, address, count=1):
        self.table.advance()
        regs = self.table.read(self.unit, address)
        return all(a in regs for a in range(address, address + count))

    def getValues(self, fx, address, count=1):
        regs = self.table.read(self.unit, address)
        return [regs[a] for a in range(address, address + count)]

    def setValues(self, fx, address, values):
        self.table.write(self.unit, address, list(values))


class SilencingContext(ModbusServerContext):
    """--silent-file: a listed unit's requests raise NoSuchSlaveException, which the server
    (ignore_missing_slaves) leaves unanswered. The units stay in slaves(), the list a
    connection's framer accepts before it waits for the next request, so silencing and
    restoring take effect at the next request on every connection."""

    def __init__(self, slaves, path):
        super().__init__(slaves=slaves, single=False)
        self.path = path
        self.silent = set()
        self.read_at = -1.0

    def poll(self):
        now = time.monotonic()
        if not self.path or now - self.read_at < 0.05:
            return
        self.read_at = now
        try:
            with open(self.path, encoding="ascii") as f:
                self.silent = {int(w) for w in f.read().split()}
        except (OSError, ValueError):
            self.silent = set()

    def __getitem__(self, slave):
        if slave in self.silent:
            raise NoSuchSlaveException(f"unit {slave} silenced by --silent-file")
        return super().__getitem__(slave)


async def tick(table, trace, context):
    """Advances the plant without requests: a killed controller still trips the watchdog."""
    while True:
        context.poll()
        table.advance()
        if trace:
            trace.write(f"{time.monotonic():.4f} {table.t:.4f} {table.tension():.2f} "
                        f"{1 if table.enabled() else 0} {table.fault} "
                        f"{1 if table.command[0] & 0b1011 == 0b1011 else 0}\n")
            trace.flush()
        await asyncio.sleep(TICK_S)


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--identify-as-sim", action="store_true")
    parser.add_argument("--broken-watchdog", action="store_true")
    parser.add_argument("--layout", choices=("standard", "remapped"), default="standard")
    parser.add_argument("--hanger-file")
    parser.add_argument("--estop-file")
    parser.add_argument("--trace-file")
    parser.add_argument("--silent-file")
    parser.add_argument("--normal-priority", action="store_true")
    # bench/modbus_under_load.sh: below the controller's loop (80), so that the interpreter's
    # work, which on a table runs on the device's own processor, never holds the loop's CPU.
    parser.add_argument("--priority", type=int, default=90, choices=range(1, 100),
                        metavar="1..99", help="SCHED_FIFO priority (default 90)")
    args = parser.parse_args()
    if not args.normal_priority:
        try:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(args.priority))
        except PermissionError:
            pass  # an unprivileged run: normal priority, as with tractus-sim
        # Memory locked, as tractus-sim's: this VM's kernel pages out what sat unused (a DAMON
        # "pageout" scheme runs), and a page of the interpreter read back from disk would stall
        # a reply (MCL_CURRENT | MCL_FUTURE).
        ctypes.CDLL(None, use_errno=True).mlockall(3)  # fails quietly when unprivileged
    logging.disable(logging.CRITICAL)

    kind = RemappedTable if args.layout == "remapped" else Table
    table = kind(SIM_MODEL if args.identify_as_sim else OWN_MODEL, args.broken_watchdog,
                 args.hanger_file, args.estop_file)
    trace = open(args.trace_file, "w", encoding="ascii") if args.trace_file else None
    units = (11, 12, 3) if args.layout == "remapped" else (1, 2, 3)
    context = SilencingContext({u: Unit(table, u) for u in units}, args.silent_file)
    # A silenced unit's requests go unanswered, not answered with a gateway exception.
    server = ModbusTcpServer(context, address=("127.0.0.1", 0), allow_reuse_address=True,
                             ignore_missing_slaves=bool(args.silent_file))
    task = asyncio.create_task(server.serve_forever())
    ticker = asyncio.create_task(tick(table, trace, context))
    await server.serving
    # No garbage-collector pass while serving. Timed collections stayed under 2 ms (docs/
    # performance.md, "The suite with the campaign beside it"), so this is a precaution, not the
    # found cause of the stand-in's silences; reference counting still frees what a request
    # leaves, and the few cycles over a session of minutes cost little memory.
    gc.collect()
    gc.freeze()
    gc.disable()
    port = server.server.sockets[0].getsockname()[1]
    with open(args.port_file + ".tmp", "w", encoding="ascii") as f:
        f.write(f"{port}\n")
    os.rename(args.port_file + ".tmp", args.port_file)
    await task
    ticker.cancel()


if __name__ == "__main__":
    asyncio.run(main())
