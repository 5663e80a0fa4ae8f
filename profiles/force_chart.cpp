#include "profiles/force_chart.hpp"

#include "profiles/quantity_text.hpp"
#include "text/number_text.hpp"

#include <algorithm>
#include <vector>

namespace tractus::profiles {
namespace {

constexpr int kSamplesPerColumn = 32;

std::string pad_left(std::string text, std::size_t width) {
  if (text.size() < width) text.insert(0, width - text.size(), ' ');
  return text;
}

} // namespace

std::string render_force_chart(const Trajectory &trajectory, int width, int height) {
  const double total = trajectory.total_duration().si();
  const double peak = trajectory.peak_force().si();
  if (total <= 0.0 || peak <= 0.0 || width < 2 || height < 2) return {};

  std::vector<double> column_peak(static_cast<std::size_t>(width), 0.0);
  for (int column = 0; column < width; ++column) {
    const double slice = total / width;
    for (int sample = 0; sample < kSamplesPerColumn; ++sample) {
      const Duration t((column + (sample + 0.5) / kSamplesPerColumn) * slice);
      column_peak[static_cast<std::size_t>(column)] =
          std::max(column_peak[static_cast<std::size_t>(column)], trajectory.at(t).force.si());
    }
  }

  const std::string top = text::format_number(peak, 0) + " N";
  const std::string middle = text::format_number(peak / 2.0, 0) + " N";
  const std::size_t label_width = top.size();
  std::string chart;
  for (int row = 0; row < height; ++row) {
    // A cell is filled when the column reaches the middle of the cell's band of force.
    const double threshold = peak * (height - row - 0.5) / height;
    std::string label;
    if (row == 0) label = top;
    if (row == height / 2) label = middle;
    chart += pad_left(label, label_width) + " |";
    for (const double force : column_peak)
      chart += force >= threshold ? '#' : ' ';
    chart.erase(chart.find_last_not_of(' ') + 1);
    chart += '\n';
  }
  chart += pad_left("0 N", label_width) + " +" + std::string(static_cast<std::size_t>(width), '-') +
           '\n';
  const std::string end = format_duration(trajectory.total_duration());
  chart += std::string(label_width + 2, ' ') + "0" +
           pad_left(end, static_cast<std::size_t>(width) - 1) + '\n';
  return chart;
}

} // namespace tractus::profiles
