// The profiles module's public surface in one include (DESIGN §3): quantity text, the profile
// model, parsing and validation, compile() to a Trajectory, the stock library, and a chart.
// Pure data and pure functions: no hardware, no clocks, no I/O besides reading profile files.
#pragma once

#include "profiles/compile.hpp"
#include "profiles/force_chart.hpp"
#include "profiles/library.hpp"
#include "profiles/limits.hpp"
#include "profiles/problem.hpp"
#include "profiles/profile.hpp"
#include "profiles/profile_parser.hpp"
#include "profiles/quantity_text.hpp"
#include "profiles/trajectory.hpp"
