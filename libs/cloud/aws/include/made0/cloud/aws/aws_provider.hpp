#pragma once
// NewAwsProvider: the `aws` cloud::Provider, driving EC2 through its Query API (Version
// 2016-11-15) over libcurl, with requests signed by libcurl's built-in SigV4.
//
//   auto provider = cloud::aws::NewAwsProvider(config);   // config: made0/cloud/aws/config.hpp
//   auto vpc = provider->CreateVpc({.region = "us-east-1", .cidr = "172.16.0.0/16",
//                                   .name = "made0", .idempotency_token = saga + ":vpc"});
//
// How the interface's promises are kept on EC2:
// - RunInstance passes the idempotency token as EC2's ClientToken (a token longer than EC2's 64
//   characters, or not printable ASCII, is replaced by its SHA-256 in hex, so it stays stable).
// - EC2 has no ClientToken for CreateVpc, CreateSubnet and CreateSecurityGroup: the provider tags
//   what it creates with made0:idempotency-token=<token> (in the same call, through
//   TagSpecification) and first looks for an object carrying that tag.
// - AuthorizeIngress treats EC2's InvalidPermission.Duplicate as success.
// - TerminateInstance treats InvalidInstanceID.NotFound as success (EC2 forgets terminated
//   instances after about an hour).
// - Errors keep EC2's code in the message ("InvalidSubnetID.NotFound: The subnet ID ...");
//   throttling, EC2 server errors, HTTP 5xx and transport failures are retryable.
//
// Endpoints: EC2 knows nothing of an image's ports, so the caller records them as tags
// "made0:port:<name>" = "<port>" at RunInstance; Instance::endpoints then holds
// "<name>" -> "<private_ip>:<port>".
//
// Each call is one or a few blocking HTTPS requests; the provider is safe to use from several
// threads at once.

#include <memory>

#include "made0/cloud/aws/config.hpp"
#include "made0/cloud/provider.hpp"

namespace made0::cloud::aws {

std::unique_ptr<Provider> NewAwsProvider(AwsConfig config);

}  // namespace made0::cloud::aws
