#!/usr/bin/env bash
# Every test the hazard analysis names as verifying a mitigation must exist in one of the test
# executables given. Usage: check_named_tests.sh DOC EXECUTABLE...
set -euo pipefail
doc=$1
shift
known=$(mktemp)
trap 'rm -f "$known"' EXIT
for exe in "$@"; do
  # --gtest_list_tests prints "Suite." lines and indented test names; parameterised tests
  # carry an instantiation prefix ("Prefix/Suite.") and a "/N" suffix, dropped here.
  "$exe" --gtest_list_tests | awk '
    /^[^ ]/ { suite = $1; sub(/^.*\//, "", suite); next }
    /^  /   { name = $1; sub(/\/.*$/, "", name); print suite name }' >>"$known"
done
missing=0
# Names in backticks of the form Suite.TestName in the doc's tables.
for name in $(grep -o '`[A-Z][A-Za-z0-9]*\.[A-Z][A-Za-z0-9]*`' "$doc" | tr -d '`' | sort -u); do
  if ! grep -qx "$name" "$known"; then
    echo "$doc names $name, but no test executable has it"
    missing=1
  fi
done
count=$(grep -o '`[A-Z][A-Za-z0-9]*\.[A-Z][A-Za-z0-9]*`' "$doc" | sort -u | wc -l)
if [ "$missing" -eq 0 ]; then
  echo "all $count tests named in $doc exist"
fi
exit "$missing"
