#!/usr/bin/python3
"""The technician's hands for `tractus calibrate … --interactive` against pymodbus_table.py.

    technician.py --hanger-file FILE -- tractus calibrate run --interactive …

Runs the command, reads its prompts ("place 400 N, then type the load …", "Hang 500 N on the
load cell, then press Enter"), hangs that weight through the table's side channel (writes the
newtons to FILE, which pymodbus_table.py --hanger-file reads), waits for the table to see it,
and answers with Enter, as a person at the table would. Takes the weight off at the end and
exits with the command's exit code; the command's output is passed through.
"""

import argparse
import os
import re
import subprocess
import sys
import time

PROMPT = re.compile(r"(?:place|Hang) (\d+(?:\.\d+)?) N")


def hang(path, newtons):
    with open(path + ".tmp", "w", encoding="ascii") as f:
        f.write(f"{newtons}\n")
    os.rename(path + ".tmp", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hanger-file", required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    hang(args.hanger_file, 0)
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    pending = b""
    while True:
        byte = child.stdout.read(1)
        if not byte:
            break
        sys.stdout.buffer.write(byte)
        pending += byte
        if byte == b"\n":
            pending = b""
        elif pending.endswith(b": "):
            match = PROMPT.search(pending.decode("utf-8", "replace"))
            if match:
                hang(args.hanger_file, float(match.group(1)))
                time.sleep(0.3)  # the table re-reads its side channel every 50 ms
                child.stdin.write(b"\n")
                child.stdin.flush()
                pending = b""
    sys.stdout.flush()
    code = child.wait()
    hang(args.hanger_file, 0)
    return code


if __name__ == "__main__":
    sys.exit(main())
