// The sweep's patient files (force_loop_sweep --write-patients): `lumbar` + `cervical` patients
// drawn by a Latin hypercube over the envelope of docs/simulator.md, each kept only if the
// checks across figures pass, written to DIR as tractus.patient/1 files and read back.
#pragma once

#include <cstdint>
#include <filesystem>

namespace tractus {

// 0 when every file was written and reads back as a patient; 1 otherwise (the problem on stderr).
int write_sweep_patients(const std::filesystem::path &dir, int lumbar, int cervical,
                         std::uint64_t seed);

} // namespace tractus
