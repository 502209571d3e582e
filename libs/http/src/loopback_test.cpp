// A real Server on 127.0.0.1:0 driven by the real Client and by raw sockets (for what a
// well-behaved client cannot do: slow sends, malformed requests, bodies it never sends).
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "made0/http/client.hpp"
#include "made0/http/server.hpp"
#include "raw_socket.hpp"

namespace made0::http {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using testing_util::Body;
using testing_util::RawSocket;

class LoopbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/healthz",
                [this](Request&) {
                  inline_thread_ = std::this_thread::get_id();
                  return Response::Text(200, "ok");
                },
                {.blocking = false});
    router_.Add("GET", "/port", [](Request& req) {
      return Response::Json(200, {{"port", req.remote_port}, {"address", req.remote_address}});
    });
    router_.Add("GET", "/v1/users/{id}", [](Request& req) {
      return Response::Json(200, {{"id", req.path_params.at("id")},
                                  {"x", req.Query("x").value_or("")},
                                  {"route", req.route},
                                  {"path", req.path}});
    });
    router_.Add("POST", "/echo", [](Request& req) {
      return Response::Text(200, req.body, std::string(req.Header("content-type").value_or("")));
    });
    router_.Add("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("boom"); });
    router_.Add("GET", "/slow", [this](Request& req) {
      blocking_thread_ = std::this_thread::get_id();
      ++slow_started_;
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(req.query.at("ms"))));
      return Response::Text(200, "slow done");
    });
    ServerOptions options;
    options.body_limit = 1024;
    options.read_timeout = 300ms;
    options.idle_timeout = 1s;
    options.worker_threads = 4;
    server_ = std::make_unique<Server>(options, router_);
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_GT(server_->Port(), 0);
  }

  std::string Url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(server_->Port()) + std::string(path);
  }
  Result<ClientResponse> Get(std::string_view path) { return client_.Send({.url = Url(path)}); }

  Router router_;
  std::unique_ptr<Server> server_;
  Client client_;
  std::atomic<std::thread::id> inline_thread_;
  std::atomic<std::thread::id> blocking_thread_;
  std::atomic<int> slow_started_{0};
};

TEST_F(LoopbackTest, ClientReusesKeptAliveConnection) {
  auto first = Get("/port");
  auto second = Get("/port");
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(json::parse(first->body)["address"], "127.0.0.1");
  EXPECT_EQ(json::parse(first->body)["port"], json::parse(second->body)["port"]);
  EXPECT_TRUE(first->Header("date").has_value());
}

TEST_F(LoopbackTest, ServerKeepsConnectionAliveAndHandlesHead) {
  RawSocket s(server_->Port());
  s.Send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string head = s.ReadResponse(/*head_request=*/true);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200 OK\r\n")) << head;
  EXPECT_NE(head.find("Content-Length: 2\r\n"), std::string::npos) << head;
  EXPECT_EQ(Body(head), "");
  std::string get = s.ReadResponse();
  EXPECT_TRUE(get.starts_with("HTTP/1.1 200 OK\r\n")) << get;
  EXPECT_EQ(Body(get), "ok");
  EXPECT_EQ(get.find("Connection: close"), std::string::npos);
}

TEST_F(LoopbackTest, PathParamsAndQuery) {
  auto r = Get("/v1/users/a%20b?x=1%2B2");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(json::parse(r->body), json::parse(R"({"id":"a b","x":"1+2",
      "route":"/v1/users/{id}","path":"/v1/users/a b"})"));
}

TEST_F(LoopbackTest, PostBodyRoundTrip) {
  auto r = client_.Send({.method = "POST",
                         .url = Url("/echo"),
                         .headers = {{"Content-Type", "application/json"}},
                         .body = R"({"a":1})"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"a":1})");
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
}

TEST_F(LoopbackTest, NotFoundAndMethodNotAllowedAreJson) {
  auto r404 = Get("/nope");
  ASSERT_TRUE(r404.ok());
  EXPECT_EQ(r404->status, 404);
  EXPECT_EQ(r404->Header("content-type"), "application/json");
  EXPECT_EQ(json::parse(r404->body)["error"]["message"], "no route for /nope");
  auto r405 = client_.Send({.method = "DELETE", .url = Url("/echo")});
  ASSERT_TRUE(r405.ok());
  EXPECT_EQ(r405->status, 405);
  EXPECT_EQ(r405->Header("Allow"), "POST");
  EXPECT_EQ(json::parse(r405->body)["error"]["code"], "method_not_allowed");
}

TEST_F(LoopbackTest, HandlerExceptionIs500AndServerCarriesOn) {
  auto r = Get("/boom");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "internal");
  auto after = Get("/healthz");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->body, "ok");
}

TEST_F(LoopbackTest, BodyOverLimitIs413) {
  auto r = client_.Send({.method = "POST", .url = Url("/echo"), .body = std::string(5000, 'x')});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "too_large");
}

TEST_F(LoopbackTest, BodyOverLimitIsRefusedWithoutReadingIt) {
  RawSocket s(server_->Port());
  // The body is announced but never sent: the answer must not wait for it.
  s.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n");
  auto all = s.ReadUntilClosed(3s);
  ASSERT_TRUE(all.has_value()) << "connection not closed";
  EXPECT_TRUE(all->starts_with("HTTP/1.1 413 ")) << *all;
  EXPECT_NE(all->find("Connection: close\r\n"), std::string::npos);
}

TEST_F(LoopbackTest, ExpectContinue) {
  RawSocket s(server_->Port());
  s.Send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(s.ReadResponse(), "HTTP/1.1 100 Continue\r\n\r\n");
  s.Send("hello");
  EXPECT_EQ(Body(s.ReadResponse()), "hello");
}

TEST_F(LoopbackTest, ChunkedBodyAndItsLimit) {
  RawSocket s(server_->Port());
  s.Send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  EXPECT_EQ(Body(s.ReadResponse()), "hello world");
  // Chunks adding up to more than body_limit (1024) are refused midway.
  s.Send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  for (int i = 0; i < 3; ++i) s.Send("200\r\n" + std::string(512, 'x') + "\r\n");
  auto all = s.ReadUntilClosed(3s);
  ASSERT_TRUE(all.has_value());
  EXPECT_TRUE(all->starts_with("HTTP/1.1 413 ")) << *all;
}

TEST_F(LoopbackTest, MalformedRequestIs400AndClosed) {
  RawSocket s(server_->Port());
  s.Send("GARBAGE\r\n\r\n");
  auto all = s.ReadUntilClosed(3s);
  ASSERT_TRUE(all.has_value());
  EXPECT_TRUE(all->starts_with("HTTP/1.1 400 Bad Request\r\n")) << *all;
  EXPECT_EQ(json::parse(Body(*all))["error"]["code"], "malformed");
}

TEST_F(LoopbackTest, SlowClientIsCutOffAtReadTimeout) {
  RawSocket s(server_->Port());
  auto start = Clock::now();
  // One byte every 50 ms: each byte is progress, but the request as a whole takes too long.
  std::string_view request =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: aaaaaaaaaaaaaaaa\r\n\r\n";
  std::string got;
  bool open = true;
  for (char c : request) {
    s.Send(std::string_view(&c, 1));
    if (!(open = s.Read(got, 50ms))) break;
  }
  if (open) open = !s.ReadUntilClosed(2s).has_value();
  EXPECT_FALSE(open);
  EXPECT_EQ(got, "");  // closed without an answer
  auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2s);
}

TEST_F(LoopbackTest, IdleConnectionIsClosed) {
  RawSocket s(server_->Port());
  s.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(Body(s.ReadResponse()), "ok");
  auto start = Clock::now();
  ASSERT_TRUE(s.ReadUntilClosed(3s).has_value());
  EXPECT_GE(Clock::now() - start, 900ms);  // idle_timeout is 1s
}

TEST_F(LoopbackTest, BlockingRoutesRunOnWorkersAndDoNotBlockInlineOnes) {
  auto slow = std::async(std::launch::async, [this] { return Get("/slow?ms=500"); });
  while (slow_started_ == 0) std::this_thread::sleep_for(1ms);
  auto start = Clock::now();
  Client other;
  auto fast = other.Send({.url = Url("/healthz")});
  EXPECT_LT(Clock::now() - start, 300ms);
  ASSERT_TRUE(fast.ok());
  auto slow_result = slow.get();
  ASSERT_TRUE(slow_result.ok());
  EXPECT_EQ(slow_result->body, "slow done");
  EXPECT_NE(inline_thread_.load(), blocking_thread_.load());
  EXPECT_NE(blocking_thread_.load(), std::this_thread::get_id());
}

TEST_F(LoopbackTest, ConcurrentRequestsFromSeveralThreads) {
  constexpr int kThreads = 8;
  constexpr int kEach = 50;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto r = Get(i % 2 ? "/healthz" : "/v1/users/" + id);
        if (r.ok() && r->status == 200 &&
            (i % 2 ? r->body == "ok" : json::parse(r->body)["id"] == id)) {
          ++good;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), kThreads * kEach);
}

TEST_F(LoopbackTest, ClientTimeoutIsUnavailable) {
  auto r = client_.Send({.url = Url("/slow?ms=400"), .timeout = 100ms});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("/slow"), std::string::npos) << r.error().message;
  EXPECT_FALSE(IsConnectFailure(r.error()));  // it was sent: it may have had an effect
}

TEST_F(LoopbackTest, StopWaitsForInFlightRequestThenRefuses) {
  auto slow = std::async(std::launch::async, [this] { return Get("/slow?ms=500"); });
  while (slow_started_ == 0) std::this_thread::sleep_for(1ms);
  RawSocket idle(server_->Port());  // an idle keep-alive connection is closed at once
  ASSERT_TRUE(idle.connected());
  auto start = Clock::now();
  server_->Stop(5s);
  auto took = Clock::now() - start;
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 3s);
  auto r = slow.get();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "slow done");
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(idle.ReadUntilClosed(100ms).has_value());

  auto refused = Get("/healthz");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(RawSocket(server_->Port()).connected());
  server_->Stop(1s);  // a second call is harmless
}

TEST_F(LoopbackTest, StopClosesWhatOutlivesTheGrace) {
  auto slow = std::async(std::launch::async, [this] { return Get("/slow?ms=600"); });
  while (slow_started_ == 0) std::this_thread::sleep_for(1ms);
  auto start = Clock::now();
  server_->Stop(50ms);
  // The handler cannot be interrupted, so Stop still waits for it; its answer is lost.
  EXPECT_GE(Clock::now() - start, 450ms);
  auto r = slow.get();
  EXPECT_FALSE(r.ok());
}

TEST(ServerTest, PortInUseIsAnError) {
  Router router;
  Server first({}, router);
  ASSERT_TRUE(first.Start().ok());
  ServerOptions options;
  options.port = first.Port();
  Server second(options, router);
  Status s = second.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  ServerOptions bad;
  bad.address = "not an address";
  EXPECT_EQ(Server(bad, router).Start().error().code, ErrorCode::kInvalid);
}

TEST(ServerTest, SeveralIoThreadsServeConcurrentConnections) {
  Router router;
  std::mutex mu;
  std::set<std::thread::id> io_threads;
  router.Add("GET", "/who",
             [&](Request&) {
               std::lock_guard lock(mu);
               io_threads.insert(std::this_thread::get_id());
               return Response::Text(200, "me");
             },
             {.blocking = false});
  ServerOptions options;
  options.io_threads = 3;
  Server server(options, router);
  ASSERT_TRUE(server.Start().ok());
  std::string url = "http://127.0.0.1:" + std::to_string(server.Port()) + "/who";
  std::atomic<int> good{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 6; ++t) {
    clients.emplace_back([&] {
      Client client;  // one connection per client thread
      for (int i = 0; i < 30; ++i) {
        auto r = client.Send({.url = url});
        if (r.ok() && r->body == "me") ++good;
      }
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(good.load(), 180);
  EXPECT_EQ(io_threads.size(), 3u);  // connections are spread round-robin
}

TEST(ClientTest, RefusedConnectionIsUnavailable) {
  int port;
  {
    Router router;
    Server server({}, router);
    ASSERT_TRUE(server.Start().ok());
    port = server.Port();
  }  // the destructor stops it: nothing listens there now
  Client client;
  auto r = client.Send({.url = "http://127.0.0.1:" + std::to_string(port) + "/x"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("127.0.0.1"), std::string::npos);
  EXPECT_TRUE(IsConnectFailure(r.error())) << r.error().message;
}

}  // namespace
}  // namespace made0::http
