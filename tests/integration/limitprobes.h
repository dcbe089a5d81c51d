// SPDX-License-Identifier: Apache-2.0
#pragma once

// Probes for the limits tests (tst_limits, tst_sessionlimits): requests over fresh plain
// sockets (a connection over a cap is answered and closed before the request is even sent,
// which must still count as that answer), /metrics samples and the daemon's sockets.
#include "httpclient.h"
#include "syncdprocess.h"

#include <QByteArray>
#include <QString>
#include <QTcpSocket>

#include <memory>
#include <vector>

namespace herald::test {

// The daemons one test function starts, each with its own limits: kept until clear() (a
// test's cleanup), which first shows the logs of a failed test.
class StartedDaemons
{
public:
    // A daemon started with `args` (and that open-file limit, if not 0); nullptr (and a
    // warning) if it did not start.
    SyncdProcess *start(const QStringList &args, int openFileLimit = 0);
    void clear();

private:
    std::vector<std::unique_ptr<SyncdProcess>> m_daemons;
};

inline const QString Loopback = QStringLiteral("127.0.0.1");

// "GET <pathAndQuery> HTTP/1.1" with Host and `headers` (each ending in \r\n).
QByteArray get(const QByteArray &pathAndQuery, const QByteArray &headers = {});
// One request over a fresh connection, closed afterwards.
HttpResponse raw(const SyncdProcess &syncd, const QByteArray &request, int timeoutMs = 5000);
// GET /healthz as a trusted proxy would send it for `client`.
HttpResponse asForwarded(const SyncdProcess &syncd, const QByteArray &client);
// GET /api/v1/notifications with `token` as the bearer.
HttpResponse withToken(const SyncdProcess &syncd, const QString &token);
// A sample of GET /metrics (from loopback, so without a token): `name{node="0"<labels>}`;
// -1 (and a warning) when there is none.
double metric(const SyncdProcess &syncd, const QByteArray &name, const QByteArray &labels = {});
// The daemon's network sockets: descriptors that are sockets but not Unix ones.
int descriptorsOf(const SyncdProcess &syncd);
// The same once it holds still for 300 ms (up to 3 s): a connection made while the daemon
// started (a readiness probe's, a keep-alive one) may still be closing when a test counts from
// there.
int settledDescriptorsOf(const SyncdProcess &syncd);
// Connections that send nothing.
std::vector<std::unique_ptr<QTcpSocket>> silentConnections(const SyncdProcess &syncd, int count);
// QVERIFYs `status`, the error `code` and a Retry-After between the two bounds.
void verifyRetryLater(const HttpResponse &response, int status, const QString &code, int minSeconds,
                      int maxSeconds);

} // namespace herald::test
