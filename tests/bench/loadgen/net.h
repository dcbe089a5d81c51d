// SPDX-License-Identifier: Apache-2.0
// Plain sockets to the server under test.
#pragma once

#include <netinet/in.h>
#include <string>

namespace loadgen {

// A non-blocking TCP_NODELAY socket with a connect to `to` in progress; -1 on failure.
// With --source-addresses K the sockets are bound to 127.0.0.2 ... 127.0.0.(K+1) in turn, so
// that tens of thousands of connections to one port do not run out of ephemeral ports.
int openSocket(const sockaddr_in &to);

// One blocking HTTP/1.1 request to `to` (default: the publisher's server), for setup and for
// reading /metrics only. Requests share one
// keep-alive connection (thousands of channels are created before a run; one connection per
// request would leave as many sockets in TIME_WAIT), reopened when the server closed it.
// False when the server could not be reached or answered nothing sensible.
bool httpRequest(const std::string &method, const std::string &path, const std::string &body,
                 int &status, std::string *response = nullptr, const sockaddr_in *to = nullptr);

// Closes the keep-alive connection of httpRequest() (before a measured phase).
void closeSetupConnection();

} // namespace loadgen
