// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"

#include <QProcessEnvironment>

namespace herald::syncd {

// Extra certificate authorities for the connections herald-syncd opens (peer links to wss://,
// and `watch`/`publish` against https://), taken from $SSL_CERT_FILE as OpenSSL programs
// (curl, openssl s_client) do, but added to the system's CAs instead of replacing them. Qt does
// not read the variable itself. For peers behind a reverse proxy with a private CA.
class TlsTrust
{
public:
    // The number of certificates added (0 when the variable is unset). BadRequest when it
    // names a file without a readable PEM certificate.
    static Result<int> addFromEnvironment(const QProcessEnvironment &environment);
};

} // namespace herald::syncd
