#pragma once
// Template expansion for image arguments and environment values: "{name}" is replaced by the
// variable's value, "{{" and "}}" stand for literal braces. An unknown variable or an unclosed
// brace is an error, so a typo in a catalog is caught when the catalog loads, not at launch.
//
//   Expand("--listen-client-urls http://127.0.0.1:{port.client}", {{"port.client", "41234"}})
//     -> "--listen-client-urls http://127.0.0.1:41234"
//
// Variables hostd defines for every launch: instance_id, private_ip, name (the Name tag, or the
// instance ID), region, az, instance_dir, data_dir, and port.<endpoint> for each endpoint.

#include <map>
#include <string>
#include <string_view>

#include "made0/core/status.hpp"

namespace made0::hostd {

using TemplateVars = std::map<std::string, std::string, std::less<>>;

// Expand substitutes vars into text; errors are Invalid naming `field`.
Result<std::string> Expand(std::string_view text, const TemplateVars& vars, std::string_view field);

}  // namespace made0::hostd
