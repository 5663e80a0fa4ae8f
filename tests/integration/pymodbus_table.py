#!/usr/bin/python3
"""A traction table scripted to tractus's register map (docs/register-map.md), served by pymodbus.

An independent Modbus server for tractus's HAL: nothing here shares code with tractus-sim, so a
session that runs against it shows that hal/modbus speaks the documented map, not merely
whatever tractus-sim happens to do. The plant is deliberately simple: the cable reels in at the
commanded speed (20 ms lag) against a linear spring of 20 kN/m after 10 mm of slack, and an
unpowered drive is back-driven by the tension. The transmitter reads 5000 counts at no load and
50 counts per newton (its factory-calibration registers say so).

    pymodbus_table.py --port-file FILE [--identify-as-sim] [--broken-watchdog]

Listens on 127.0.0.1 on a free port and writes the port to FILE. --identify-as-sim answers with
tractus-sim's model code; --broken-watchdog ignores writes to the watchdog registers (a drive
whose watchdog cannot be configured).
"""

import argparse
import asyncio
import logging
import os
import time

from pymodbus.datastore import ModbusServerContext
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


def split32(value):
    value &= 0xFFFFFFFF
    return [value >> 16, value & 0xFFFF]


class Table:
    """The physics and the devices' state, advanced in 1 ms steps on every access."""

    def __init__(self, model, broken_watchdog):
        self.model = model
        self.broken_watchdog = broken_watchdog
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
        return self.fault == 0 and (cw & 0b1011) == 0b1011

    def advance(self):
        now = time.monotonic() - self.start
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

    def ident(self, unit):
        return [self.model] + split32(200000 + unit) + [0x0100]

    def read(self, unit, address):
        """Registers of `unit` as a dict address -> value."""
        regs = {}
        for i, v in enumerate(self.ident(unit)):
            regs[100 + i] = v
        if unit == 1:
            counts = OFFSET_COUNTS + round(GAIN_COUNTS_PER_N * self.tension())
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
                         19: self.fault, 20: 0, 30: self.watchdog[0], 31: self.watchdog[1]})
        elif unit == 3:
            pressed = self.press_from is not None and 0 <= self.t - self.press_from < 0.5
            # E-stop closed, A closed unless pressed, B closed while pressed, connected, locked.
            regs[0] = 1 | (0 if pressed else 2) | (4 if pressed else 0) | 8 | 16
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


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--identify-as-sim", action="store_true")
    parser.add_argument("--broken-watchdog", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)

    table = Table(SIM_MODEL if args.identify_as_sim else OWN_MODEL, args.broken_watchdog)
    context = ModbusServerContext(slaves={u: Unit(table, u) for u in (1, 2, 3)}, single=False)
    server = ModbusTcpServer(context, address=("127.0.0.1", 0), allow_reuse_address=True)
    task = asyncio.create_task(server.serve_forever())
    await server.serving
    port = server.server.sockets[0].getsockname()[1]
    with open(args.port_file + ".tmp", "w", encoding="ascii") as f:
        f.write(f"{port}\n")
    os.rename(args.port_file + ".tmp", args.port_file)
    await task


if __name__ == "__main__":
    asyncio.run(main())
