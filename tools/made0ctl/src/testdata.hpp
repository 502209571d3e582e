#pragma once
// Answers of the infra API (docs/infra-api.md) for made0ctl's tests: the seed's figure 6 subnets,
// and a CreateInstance saga that retried one step and completed.

#include <nlohmann/json.hpp>

#include "made0/ctl/format.hpp"

namespace made0::ctl::testdata {

// kNow is the tests' "now": 3m50.877s after the objects below were created.
inline const SystemTime kNow = *ParseRfc3339("2026-12-03T18:20:00Z");

inline nlohmann::json Regions() {
  return nlohmann::json::parse(R"({"regions":[
    {"name":"us-east-1","primary":true,"pool":"172.16.0.0/12",
     "availability_zones":["us-east-1a","us-east-1b","us-east-1c"]},
    {"name":"eu-west-1","primary":false,"pool":"10.32.0.0/12",
     "availability_zones":["eu-west-1a","eu-west-1b","eu-west-1c"]}]})");
}

inline nlohmann::json Vpc() {
  return nlohmann::json::parse(R"({"id":"vpc-01110f3f8d068810e","region":"us-east-1",
    "name":"made0","cidr":"172.16.0.0/16","provider_id":null,
    "created_at":"2026-12-03T18:16:09.123Z"})");
}

inline nlohmann::json Subnets() {
  return nlohmann::json::parse(R"({"subnets":[
    {"id":"subnet-0b5bd0eff5408f927","vpc_id":"vpc-01110f3f8d068810e","name":"made0-us-east-1a",
     "availability_zone":"us-east-1a","cidr":"172.16.128.0/17","addresses_in_use":2,
     "provider_id":null,"created_at":"2026-12-03T18:16:09.123Z"},
    {"id":"subnet-0d6a3e58e6be47e1e","vpc_id":"vpc-01110f3f8d068810e","name":"made0-us-east-1b",
     "availability_zone":"us-east-1b","cidr":"172.16.64.0/18","addresses_in_use":0,
     "provider_id":null,"created_at":"2026-12-03T18:16:09.123Z"},
    {"id":"subnet-099114b8224a00336","vpc_id":"vpc-01110f3f8d068810e","name":"made0-us-east-1c",
     "availability_zone":"us-east-1c","cidr":"172.16.32.0/19","addresses_in_use":0,
     "provider_id":"subnet-aws-1","created_at":"2026-12-03T18:16:09.123Z"}]})");
}

inline nlohmann::json Addresses() {
  return nlohmann::json::parse(R"({"addresses":[
    {"subnet_id":"subnet-0b5bd0eff5408f927","address":"172.16.128.4",
     "owner":"i-0a1b2c3d4e5f60718","created_at":"2026-12-03T18:18:00Z"},
    {"subnet_id":"subnet-0b5bd0eff5408f927","address":"172.16.128.5",
     "owner":"saga-00000000000000aa","created_at":"2026-12-03T18:19:58Z"}]})");
}

inline nlohmann::json SecurityGroups() {
  return nlohmann::json::parse(R"({"security_groups":[
    {"id":"sg-0123456789abcdef0","vpc_id":"vpc-01110f3f8d068810e","name":"etcd-members",
     "description":"etcd peers and clients","ingress":[
       {"id":"sgr-1","protocol":"tcp","from_port":2379,"to_port":2380,
        "source_cidr":"172.16.0.0/16"},
       {"id":"sgr-2","protocol":"tcp","from_port":22,"to_port":22,
        "source_group_id":"sg-0fedcba9876543210"},
       {"id":"sgr-3","protocol":"-1","from_port":-1,"to_port":-1,"source_cidr":"10.0.0.0/8"}],
     "provider_id":null,"created_at":"2026-12-03T18:16:09.123Z"}]})");
}

inline nlohmann::json Instance() {
  return nlohmann::json::parse(R"({"id":"i-0a1b2c3d4e5f60718","saga_id":"saga-00000000000000aa",
    "owner":"ann","cluster":"etcd","region":"us-east-1","availability_zone":"us-east-1a",
    "subnet_id":"subnet-0b5bd0eff5408f927","private_ip":"172.16.128.4","instance_type":"t3.small",
    "image":"test","state":"running",
    "endpoints":{"client":"127.0.0.1:40123","peer":"127.0.0.1:40124"},"provider":"local",
    "created_at":"2026-12-03T18:18:00Z","updated_at":"2026-12-03T18:18:04Z"})");
}

// Saga: a CreateInstance whose runInstance failed once (its AZ was down) and was retried.
inline nlohmann::json Saga() {
  return nlohmann::json::parse(R"({"id":"saga-00000000000000aa","type":"CreateInstance",
    "status":"completed","phase":"done","step":7,"step_name":"onComplete","attempt":1,
    "error":"","owner":"","created_at":"2026-12-03T18:18:00.000Z",
    "updated_at":"2026-12-03T18:18:04.200Z",
    "steps":[{"name":"cluster","compensable":false,"async":true,"persist":null},
             {"name":"securityGroups","compensable":false,"async":false,
              "persist":"securityGroupIds"},
             {"name":"category","compensable":false,"async":false,"persist":"count"},
             {"name":"subnet","compensable":true,"async":false,"persist":"subnetId"},
             {"name":"runInstance","compensable":true,"async":false,"persist":"instanceId"},
             {"name":"awaitInstance","compensable":false,"async":false,"persist":null},
             {"name":"saveInstance","compensable":true,"async":false,"persist":null},
             {"name":"onComplete","compensable":false,"async":false,"persist":null}],
    "input":{"owner":"ann","cluster":"etcd","region":"us-east-1","category":"small"},
    "data":{"securityGroupIds":["sg-0123456789abcdef0"],"count":1,
            "subnetId":"subnet-0b5bd0eff5408f927","instanceId":"i-0a1b2c3d4e5f60718"},
    "events":[
     {"seq":1,"at":"2026-12-03T18:18:00.000Z","kind":"saga_started","step":-1,
      "step_name":"","attempt":0,"duration_ms":null,"error":"","detail":{}},
     {"seq":2,"at":"2026-12-03T18:18:00.003Z","kind":"step_started","step":0,
      "step_name":"cluster","attempt":1,"duration_ms":null,"error":"","detail":{}},
     {"seq":3,"at":"2026-12-03T18:18:00.015Z","kind":"step_succeeded","step":0,
      "step_name":"cluster","attempt":1,"duration_ms":12.4,"error":"","detail":{}},
     {"seq":4,"at":"2026-12-03T18:18:00.030Z","kind":"step_succeeded","step":1,
      "step_name":"securityGroups","attempt":1,"duration_ms":8,"error":"","detail":{}},
     {"seq":5,"at":"2026-12-03T18:18:00.034Z","kind":"step_succeeded","step":2,
      "step_name":"category","attempt":1,"duration_ms":0.4,"error":"","detail":{}},
     {"seq":6,"at":"2026-12-03T18:18:00.052Z","kind":"step_succeeded","step":3,
      "step_name":"subnet","attempt":1,"duration_ms":15,"error":"","detail":{}},
     {"seq":7,"at":"2026-12-03T18:18:01.000Z","kind":"step_failed","step":4,
      "step_name":"runInstance","attempt":1,"duration_ms":940,
      "error":"hostd: AZ us-east-1a is down","detail":{}},
     {"seq":8,"at":"2026-12-03T18:18:01.001Z","kind":"retry_scheduled","step":4,
      "step_name":"runInstance","attempt":1,"duration_ms":null,"error":"",
      "detail":{"delay_ms":400}},
     {"seq":9,"at":"2026-12-03T18:18:01.500Z","kind":"step_succeeded","step":4,
      "step_name":"runInstance","attempt":2,"duration_ms":95,"error":"","detail":{}},
     {"seq":10,"at":"2026-12-03T18:18:03.900Z","kind":"step_succeeded","step":5,
      "step_name":"awaitInstance","attempt":1,"duration_ms":2400,"error":"","detail":{}},
     {"seq":11,"at":"2026-12-03T18:18:03.950Z","kind":"step_succeeded","step":6,
      "step_name":"saveInstance","attempt":1,"duration_ms":6,"error":"","detail":{}},
     {"seq":12,"at":"2026-12-03T18:18:04.190Z","kind":"step_succeeded","step":7,
      "step_name":"onComplete","attempt":1,"duration_ms":2,"error":"","detail":{}},
     {"seq":13,"at":"2026-12-03T18:18:04.200Z","kind":"finished","step":-1,
      "step_name":"","attempt":0,"duration_ms":null,"error":"","detail":{}}]})");
}

}  // namespace made0::ctl::testdata
