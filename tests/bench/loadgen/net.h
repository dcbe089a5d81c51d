// Plain sockets to the server under test.
#pragma once

#include <string>

namespace loadgen {

// A non-blocking TCP_NODELAY socket with a connect to serverAddr in progress; -1 on failure.
int openSocket();

// One blocking HTTP/1.1 request (Connection: close), for setup only; false when the server
// could not be reached or answered nothing sensible.
bool httpRequest(const std::string &method, const std::string &path, const std::string &body,
                 int &status, std::string *response = nullptr);

} // namespace loadgen
