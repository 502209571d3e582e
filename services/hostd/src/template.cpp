#include "made0/hostd/template.hpp"

namespace made0::hostd {

Result<std::string> Expand(std::string_view text, const TemplateVars& vars,
                           std::string_view field) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool doubled = i + 1 < text.size() && text[i + 1] == c;
    if (c == '}') {
      if (!doubled) {
        return Error::Invalid(std::string(field), "unmatched '}' in \"" + std::string(text) +
                                                      "\" (write }} for a literal brace)");
      }
      out += '}';
      ++i;
      continue;
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (doubled) {
      out += '{';
      ++i;
      continue;
    }
    const auto close = text.find('}', i);
    if (close == std::string_view::npos) {
      return Error::Invalid(std::string(field), "unclosed '{' in \"" + std::string(text) + "\"");
    }
    const std::string_view name = text.substr(i + 1, close - i - 1);
    auto it = vars.find(name);
    if (it == vars.end()) {
      return Error::Invalid(std::string(field), "unknown variable {" + std::string(name) +
                                                    "} in \"" + std::string(text) + "\"");
    }
    out += it->second;
    i = close;
  }
  return out;
}

}  // namespace made0::hostd
