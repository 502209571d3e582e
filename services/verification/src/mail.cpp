#include "made0/verification/mail.hpp"

#include <ctime>

namespace made0::verification {
namespace {

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Page(const std::string& title, const std::string& body_html) {
  return "<!doctype html><html><body style=\"font-family:sans-serif;color:#1f2937\">"
         "<div style=\"max-width:520px;margin:24px auto\"><h2>" +
         title + "</h2>" + body_html +
         "<p style=\"color:#6b7280;font-size:12px\">made0</p></div></body></html>";
}

std::string Crlf(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string RfcDate(SystemTime t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

}  // namespace

std::string ValidityText(std::chrono::milliseconds ttl) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(ttl).count();
  auto count = [](long long n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
  };
  if (seconds >= 3600 && seconds % 3600 == 0) return count(seconds / 3600, "hour");
  if (seconds >= 60 && seconds % 60 == 0) return count(seconds / 60, "minute");
  return count(seconds, "second");
}

Mail VerificationMail(const std::string& to, const std::string& link_url,
                      std::chrono::milliseconds ttl) {
  const std::string valid = ValidityText(ttl);
  Mail m;
  m.to = to;
  m.subject = "Confirm your email address for made0";
  m.text = "Welcome to made0.\n\nConfirm your email address by opening this link:\n\n" + link_url +
           "\n\nThe link works once and expires in " + valid +
           ".\nIf you did not sign up, ignore this mail.\n";
  m.html = Page("Confirm your email address",
                "<p>Welcome to made0. Confirm your email address to finish signing up.</p>"
                "<p><a href=\"" +
                    HtmlEscape(link_url) +
                    "\" style=\"display:inline-block;padding:10px 18px;background:#2563eb;"
                    "color:#fff;border-radius:6px;text-decoration:none\">Confirm email</a></p>"
                    "<p>Or paste this link into your browser:<br>" +
                    HtmlEscape(link_url) + "</p><p>The link works once and expires in " + valid +
                    ".</p>");
  return m;
}

Mail AlreadyRegisteredMail(const std::string& to, const std::string& login_url) {
  Mail m;
  m.to = to;
  m.subject = "You already have a made0 account";
  m.text =
      "Someone (hopefully you) tried to sign up for made0 with this address, but you "
      "already have an account.\n\nLog in here:\n\n" +
      login_url + "\n\nIf it was not you, you can ignore this mail.\n";
  m.html =
      Page("You already have an account",
           "<p>Someone (hopefully you) tried to sign up with this address, but you already "
           "have an account.</p><p><a href=\"" +
               HtmlEscape(login_url) +
               "\">Log in to made0</a></p><p>If it was not you, you can ignore this mail.</p>");
  return m;
}

std::string RenderMime(const Mail& mail, const std::string& from, SystemTime date,
                       const std::string& boundary) {
  std::string out;
  out += "From: " + from + "\n";
  out += "To: <" + mail.to + ">\n";
  out += "Subject: " + mail.subject + "\n";
  out += "Date: " + RfcDate(date) + "\n";
  if (!mail.message_id.empty()) out += "Message-ID: " + mail.message_id + "\n";
  out += "MIME-Version: 1.0\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\n\n";
  out += "--" + boundary + "\nContent-Type: text/plain; charset=utf-8\n";
  out += "Content-Transfer-Encoding: 7bit\n\n" + mail.text + "\n";
  out += "--" + boundary + "\nContent-Type: text/html; charset=utf-8\n";
  out += "Content-Transfer-Encoding: 7bit\n\n" + mail.html + "\n";
  out += "--" + boundary + "--\n";
  return Crlf(out);
}

}  // namespace made0::verification
