// The rule of a patient id, everywhere tractus takes one (a session's --patient, the console's
// session request, the records store): a pseudonymous id, never a name.
#pragma once

#include <string>
#include <string_view>

namespace tractus::text {

// What is wrong with `id` ("patient id \"Smith\": holds no digit: …"), or empty when it is an
// id: 1 to 32 ASCII letters, digits, '_' or '-', starting with a letter or digit, with at least
// one digit (a guard against "Smith" typed where an id belongs).
[[nodiscard]] std::string patient_id_problem(std::string_view id);

} // namespace tractus::text
