#!/usr/bin/python3
"""Reads tractus-sim's documented registers with pymodbus (an independent Modbus client).

    pymodbus_read.py PORT

Prints one JSON object: for each block of docs/register-map.md the registers read, plus the
drive's status read back by one function-23 transaction that writes the Shutdown command.
Exits 1 with the reason on stderr if any request fails.
"""

import json
import logging
import sys

from pymodbus.client import ModbusTcpClient


def main():
    logging.disable(logging.CRITICAL)
    port = int(sys.argv[1])
    client = ModbusTcpClient("127.0.0.1", port=port, timeout=2)
    if not client.connect():
        print(f"cannot connect to 127.0.0.1:{port}", file=sys.stderr)
        return 1
    blocks = {
        "load_cell": (1, 0, 4),
        "load_cell_identification": (1, 100, 4),
        "load_cell_factory_calibration": (1, 110, 6),
        "drive_command": (2, 10, 3),
        "drive_status": (2, 13, 8),
        "drive_watchdog": (2, 30, 2),
        "drive_identification": (2, 100, 4),
        "safety_inputs": (3, 0, 1),
        "safety_identification": (3, 100, 4),
    }
    out = {}
    for name, (unit, address, count) in blocks.items():
        rr = client.read_holding_registers(address, count, slave=unit)
        if rr.isError():
            print(f"{name}: {rr}", file=sys.stderr)
            return 1
        out[name] = rr.registers
    rw = client.readwrite_registers(read_address=13, read_count=8, write_address=10,
                                    write_registers=[0x0006, 0, 0], unit=2)
    if rw.isError():
        print(f"function 23: {rw}", file=sys.stderr)
        return 1
    out["drive_status_after_function_23"] = rw.registers
    bad = client.read_holding_registers(50, 1, slave=1)
    out["unmapped_exception_code"] = getattr(bad, "exception_code", None)
    client.close()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
