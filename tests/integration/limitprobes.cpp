// SPDX-License-Identifier: Apache-2.0
#include "limitprobes.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QSet>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

using namespace Qt::StringLiterals;

namespace herald::test {

SyncdProcess *StartedDaemons::start(const QStringList &args, int openFileLimit)
{
    m_daemons.push_back(std::make_unique<SyncdProcess>());
    m_daemons.back()->setOpenFileLimit(openFileLimit);
    if (m_daemons.back()->start(args))
        return m_daemons.back().get();
    qWarning("%s", qPrintable(m_daemons.back()->errorString()));
    return nullptr;
}

void StartedDaemons::clear()
{
    for (const auto &daemon : m_daemons)
        daemon->dumpLogIfFailed();
    m_daemons.clear();
}

QByteArray get(const QByteArray &pathAndQuery, const QByteArray &headers)
{
    return "GET " + pathAndQuery + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n";
}

// One request over a fresh connection, closed afterwards. Plain sockets rather than
// HttpClient::rawRequest: a connection over a cap is answered and closed before the request is
// even sent, which must still count as that answer.
HttpResponse raw(const SyncdProcess &syncd, const QByteArray &request, int timeoutMs)
{
    HttpResponse response;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(syncd.port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        response.transportError = u"could not connect"_s;
        return response;
    }
    ::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL); // may be refused
    QByteArray received;
    bool closed = false;
    QDeadlineTimer deadline(timeoutMs);
    while (!HttpClient::parseRawResponse(received, closed, &response) && !closed &&
           !deadline.hasExpired()) {
        pollfd ready{fd, POLLIN, 0};
        ::poll(&ready, 1, int(qMax<qint64>(1, deadline.remainingTime())));
        char buffer[16384];
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0)
            received.append(buffer, n);
        else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            closed = true;
    }
    ::close(fd);
    if (!HttpClient::parseRawResponse(received, true, &response)) {
        response = {};
        response.transportError = u"no whole response"_s;
        response.body = received;
    }
    return response;
}

HttpResponse asForwarded(const SyncdProcess &syncd, const QByteArray &client)
{
    return raw(syncd, get("/healthz", "X-Forwarded-For: " + client + "\r\n"));
}

HttpResponse withToken(const SyncdProcess &syncd, const QString &token)
{
    return raw(syncd,
               get("/api/v1/notifications", "Authorization: Bearer " + token.toUtf8() + "\r\n"));
}

// A sample of GET /metrics (from loopback, so without a token): `name{node="0"<labels>}`.
double metric(const SyncdProcess &syncd, const QByteArray &name, const QByteArray &labels)
{
    const HttpResponse response = raw(syncd, get("/metrics"));
    const QByteArray prefix = name + "{node=\"0\"" + labels + "} ";
    for (const QByteArray &line : response.body.split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).toDouble();
    }
    qWarning("no %s%s in %s", name.constData(), labels.constData(), response.describe().data());
    return -1;
}

// The daemon's network sockets: descriptors that are sockets but not Unix ones (its other
// descriptors come and go on their own, and the signal watcher's socket pair is made just
// after the daemon says it listens).
int descriptorsOf(const SyncdProcess &syncd)
{
    QFile unixTable(u"/proc/%1/net/unix"_s.arg(syncd.pid()));
    QSet<QByteArray> unixInodes;
    if (unixTable.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : unixTable.readAll().split('\n')) {
            const QList<QByteArray> fields = line.simplified().split(' ');
            if (fields.size() >= 7)
                unixInodes.insert(fields.at(6));
        }
    }
    const QString dir = u"/proc/%1/fd/"_s.arg(syncd.pid());
    int sockets = 0;
    for (const QString &name : QDir(dir).entryList(QDir::System)) {
        char target[64] = {};
        const QByteArray path = QFile::encodeName(dir + name);
        if (::readlink(path.constData(), target, sizeof target - 1) <= 0)
            continue;
        const QByteArray link(target);
        if (link.startsWith("socket:[") && !unixInodes.contains(link.mid(8).chopped(1)))
            ++sockets;
    }
    return sockets;
}

int settledDescriptorsOf(const SyncdProcess &syncd)
{
    int count = descriptorsOf(syncd);
    for (int look = 0; look < 10; ++look) {
        QTest::qWait(300);
        const int again = descriptorsOf(syncd);
        if (again == count)
            break;
        count = again;
    }
    return count;
}

// Connections that send nothing.
std::vector<std::unique_ptr<QTcpSocket>> silentConnections(const SyncdProcess &syncd, int count)
{
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < count; ++i) {
        sockets.push_back(std::make_unique<QTcpSocket>());
        sockets.back()->connectToHost(Loopback, syncd.port());
        if (!sockets.back()->waitForConnected(5000))
            qWarning("connection %d failed", i);
    }
    return sockets;
}

void verifyRetryLater(const HttpResponse &response, int status, const QString &code, int minSeconds,
                      int maxSeconds)
{
    QVERIFY2(response.status == status, response.describe());
    QCOMPARE(response.errorCode(), code);
    const int seconds = response.header("retry-after").toInt();
    QVERIFY2(seconds >= minSeconds && seconds <= maxSeconds,
             response.header("retry-after").constData());
}

} // namespace herald::test
